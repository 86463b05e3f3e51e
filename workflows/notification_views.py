"""The member's "What's new for me" page (`/account/notifications/`, in home's URL map): their
notifications, marking them read, and which kinds also come by e-mail. The same content, in
short, is on the account page and as a count in the header (`templatetags/notification_tags`).
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from workflows.models import NotificationKind
from workflows.selectors.notifications import (
    email_off_kinds,
    notification_text,
    notifications_for,
)
from workflows.services.notifications import notification_email_set, notifications_mark_read


def shown(user, *, limit: int) -> list[dict]:
    """The member's notifications they may see, each with its text and link."""
    return [
        {"id": n.pk, "read": n.read_at is not None, "created_at": n.created_at}
        | notification_text(n)
        for n in notifications_for(user, limit=limit)
    ]


def _bad_request(field: str, message: str):
    return HttpResponseBadRequest(f"{field}: {message}", content_type="text/plain; charset=utf-8")


@login_required
def account_notifications(request):
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "read":
            read = request.POST.get("notification", "all")
            if read != "all" and not read.isdigit():
                return _bad_request("notification", _("Name one notification, or all."))
            notifications_mark_read(user=user, notification_id=None if read == "all" else int(read))
            messages.success(request, _("Marked as read."))
        elif action == "email":
            try:
                notification_email_set(user=user, email_kinds=request.POST.getlist("email"))
            except ValidationError:
                return _bad_request("email", _("Unknown kind of notification."))
            messages.success(request, _("Your e-mail choices are saved."))
        else:
            return _bad_request("action", _("Choose “read” or “email”."))
        return redirect("account_notifications")
    off = email_off_kinds(user)
    return TemplateResponse(
        request,
        "workflows/notifications.html",
        {
            "notifications": shown(user, limit=100),
            "kinds": [
                {"value": value, "label": label, "email": value not in off}
                for value, label in NotificationKind.choices
            ],
        },
        status=HTTPStatus.OK,
    )
