"""Reads for notifications: which a member may see, and what each says, for them.

Hidden answers exactly like missing: a notification that names a draft or a community the
recipient may no longer see (an editor voted out, a page moved or deleted) is not shown, not
counted and not e-mailed. What a notification says is drawn here, when it is shown, in the
language active then.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.admin_titles import may_read_draft
from core.visibility import user_can_view_page
from workflows.models import Notification, NotificationEmailOff, NotificationKind
from workflows.notification_subjects import checks_batched, subject_for
from workflows.selectors import moderation

SHOWN = 200  # at most this many of the newest are considered (the page, the count)


def notification_visible(notification: Notification, user) -> bool:
    """May `user` see this notification (their own, naming only what they may see)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if notification.recipient_id != user.pk:
        return False
    if notification.subject_type:
        registered = subject_for(notification.subject_type)
        return registered is not None and bool(registered.visible(notification, user))
    if notification.kind == NotificationKind.JOIN_DECIDED:
        return notification.community_id is not None  # their own request; names are public
    page = notification.page
    if page is None:
        return False
    if notification.kind == NotificationKind.REVIEW_WAITING:
        return moderation.user_is_reviewer(user=user, page=page)
    return may_read_draft(user, page) or (page.live and user_can_view_page(user, page))


def _mine(user):
    return Notification.objects.filter(recipient=user).select_related("page", "community")


def notifications_for(user, *, limit: int = SHOWN) -> list[Notification]:
    """The member's notifications they may see, newest first."""
    if user is None or not user.is_authenticated:
        return []
    with checks_batched(user):
        return [n for n in _mine(user)[:SHOWN] if notification_visible(n, user)][:limit]


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    unread = _mine(user).filter(read_at__isnull=True)[:SHOWN]
    with checks_batched(user):
        return sum(1 for n in unread if notification_visible(n, user))


def email_off_kinds(user) -> set[str]:
    return set(NotificationEmailOff.objects.filter(user=user).values_list("kind", flat=True))


def _community_path(community) -> str:
    pages = community.pages()
    page = pages.filter(locale__language_code=get_language()).first() or pages.first()
    return page.url if page is not None else reverse("join", args=[community.slug])


def notification_text(notification: Notification) -> dict:
    """{"text": what happened, "path": where to look, "comment": a reviewer's words}, in the
    active language. Call only for a notification the reader may see."""
    if notification.subject_type:
        return subject_for(notification.subject_type).describe(notification)
    page = notification.page
    kind = notification.kind
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk]) if page is not None else ""
    if kind == NotificationKind.DRAFT_APPROVED:
        text = _("Your draft “%(title)s” was approved and published.") % {"title": page.title}
        path = page.url or edit
    elif kind == NotificationKind.DRAFT_SENT_BACK:
        text = _("Your draft “%(title)s” was sent back for changes.") % {
            "title": page.draft_title or page.title
        }
        path = edit
    elif kind == NotificationKind.REVIEW_WAITING:
        text = _("“%(title)s” awaits your review.") % {"title": page.draft_title or page.title}
        path = edit
    elif notification.admitted:
        text = _("You were welcomed into %(community)s.") % {
            "community": notification.community.name
        }
        path = _community_path(notification.community)
    else:
        text = _("Your request to join %(community)s was declined.") % {
            "community": notification.community.name
        }
        path = reverse("join", args=[notification.community.slug])
    return {"text": text, "path": path, "comment": notification.comment}
