"""Writes for notifications: `notify` records one and, once the transaction that caused it has
committed, e-mails it, unless the member turned that kind off; marking read; the e-mail
choices (docs/moderation.md, "Notifications").

E-mail links are absolute, built on `settings.WAGTAILADMIN_BASE_URL` (the configured address,
whatever port it names), in the recipient's language. Subjects never name a draft or a
community: a subject shows on a lock screen.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.users.models import UserProfile

from workflows.models import Notification, NotificationEmailOff, NotificationKind
from workflows.notification_subjects import subject_for
from workflows.selectors.notifications import notification_text, notification_visible

SUBJECTS = {
    NotificationKind.DRAFT_APPROVED: gettext_lazy("Your draft was approved"),
    NotificationKind.DRAFT_SENT_BACK: gettext_lazy("Your draft was sent back for changes"),
    NotificationKind.REVIEW_WAITING: gettext_lazy("A draft awaits your review"),
    NotificationKind.JOIN_DECIDED: gettext_lazy("Your request to join was answered"),
}


def notify(
    user,
    kind: str,
    *,
    page=None,
    community=None,
    comment: str = "",
    admitted=None,
    subject: tuple[str, int] | None = None,
) -> Notification | None:
    """Tell `user` that something happened: shown on the site, and e-mailed after commit.

    A community tool names what it is about as `subject=(registered type, id)`
    (`workflows.notification_subjects`)."""
    if user is None or not user.is_active or kind not in NotificationKind.values:
        return None
    subject_type, subject_id = subject if subject is not None else ("", None)
    if subject_type and subject_for(subject_type) is None:
        raise ValueError(f"unregistered notification subject {subject_type!r}")
    notification = Notification.objects.create(
        recipient=user,
        kind=kind,
        page=page,
        community=community,
        comment=comment or "",
        admitted=admitted,
        subject_type=subject_type,
        subject_id=subject_id,
    )
    if user.email and not NotificationEmailOff.objects.filter(user=user, kind=kind).exists():
        transaction.on_commit(partial(notification_email_send, notification.pk))
    return notification


def _language(user) -> str:
    languages = {code for code, _name in settings.LANGUAGES}
    preferred = UserProfile.get_for_user(user).get_preferred_language()
    return preferred if preferred in languages else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notification_email_send(notification_id: int) -> bool:
    """E-mail one notification (called after commit). Nothing is sent if it is gone, if the
    recipient may no longer see what it names, or if they turned its kind off meanwhile."""
    notification = (
        Notification.objects.select_related("recipient", "page", "community")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return False
    user = notification.recipient
    if not user.email or not notification_visible(notification, user):
        return False
    if NotificationEmailOff.objects.filter(user=user, kind=notification.kind).exists():
        return False
    with translation.override(_language(user)):
        said = notification_text(notification)
        body = render_to_string(
            "workflows/email/notification.txt",
            {
                "text": said["text"],
                "comment": said["comment"],
                "url": absolute_url(said["path"]),
                "settings_url": absolute_url(reverse("account_notifications")),
            },
        )
        registered = subject_for(notification.subject_type)
        if registered is not None:
            subject = str(registered.email_subject)
        else:
            subject = str(SUBJECTS[notification.kind])
    send_mail(subject, body, None, [user.email])
    return True


@transaction.atomic
def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one (by id) or all of the member's notifications read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_email_set(*, user, email_kinds) -> set[str]:
    """The kinds the member wants by e-mail (every other kind is turned off)."""
    wanted = set(email_kinds)
    unknown = wanted - set(NotificationKind.values)
    if unknown:
        raise ValidationError({"email": _("Unknown kind of notification.")})
    off = set(NotificationKind.values) - wanted
    NotificationEmailOff.objects.filter(user=user).exclude(kind__in=off).delete()
    for kind in off:
        NotificationEmailOff.objects.get_or_create(user=user, kind=kind)
    return wanted
