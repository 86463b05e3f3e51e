"""The "remembrance" notification subject: the reminder its author asked for, on the date they
chose (`NotificationKind.REMEMBRANCE_DATE`). Only the author is ever notified of a remembrance;
nobody else is told of it, or of a date."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.notification_subjects import register_subject
from workflows.remembrance.models import Remembrance
from workflows.remembrance.selectors import remembrance_notification_visible

SUBJECT = "remembrance"


def describe(notification) -> dict:
    item = Remembrance.objects.select_related("space").get(pk=notification.subject_id)
    return {
        "text": _("Today is the day you asked to be reminded of: %(name)s.") % {"name": item.name},
        "path": reverse("remembrance", args=[item.space.slug, item.pk]),
        "comment": "",
    }


def register() -> None:
    register_subject(
        SUBJECT,
        visible=remembrance_notification_visible,
        describe=describe,
        subject=gettext_lazy("A date you asked to be reminded of"),
    )
