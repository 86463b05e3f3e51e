"""Writes for conversations: start a topic, reply, edit and delete one's own, report, and the
moderators' hide, restore and dismiss (docs/community-tools.md, "Conversations").

Every write checks its input first and raises `ValidationError` naming the field
(`{"body": [...]}`) with nothing changed; a refusal is `PermissionDenied`; too many writes in a
short time is `RateLimited` (nothing saved). Who may read what is `selectors`; a caller looks the
object up there first, so an object the person may not read never reaches these functions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from core.languages import page_language
from workflows import spaces
from workflows.conversations.models import BODY_MAX, REASON_MAX, TITLE_MAX, Reply, Report, Topic
from workflows.conversations.selectors import participants, topic_readable
from workflows.models import NotificationKind
from workflows.services.notifications import notify

# (how many, in how many seconds) per person; settings.CONVERSATIONS_RATE_LIMITS overrides.
RATE_LIMITS = {"reply": (6, 60), "topic": (3, 600), "report": (10, 600)}


class RateLimited(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _rate_check(user, action: str) -> None:
    """Count one `action` by `user` in the current window; refuse past the limit."""
    limits = {**RATE_LIMITS, **getattr(settings, "CONVERSATIONS_RATE_LIMITS", {})}
    allowed, seconds = limits[action]
    window = int(timezone.now().timestamp()) // seconds
    key = f"conversations:rate:{action}:{user.pk}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    if count > allowed:
        minutes = max(1, seconds // 60)
        raise RateLimited(
            ngettext(
                "That is a lot at once: please wait a minute before writing again.",
                "That is a lot at once: please wait %(minutes)d minutes before writing again.",
                minutes,
            )
            % {"minutes": minutes}
        )


def _text(value, field: str, *, maximum: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: [_("Write text here.")]})
    text = value.strip()
    if required and not text:
        raise ValidationError({field: [_("This cannot be empty.")]})
    if len(text) > maximum:
        raise ValidationError(
            {field: [_("Keep this to %(max)d characters or fewer.") % {"max": maximum}]}
        )
    if "\x00" in text:
        raise ValidationError({field: [_("This cannot hold NUL characters.")]})
    return text


def _touch(topic: Topic) -> None:
    Topic.objects.filter(pk=topic.pk).update(last_activity_at=timezone.now())


# Topics ----------------------------------------------------------------------------------


@transaction.atomic
def topic_create(*, user, space: Page, title, body) -> Topic:
    """A member starts a topic in their space: a title and the opening reply."""
    if not spaces.in_space(user, space):
        raise PermissionDenied(_("You are not in this space."))
    title = " ".join(_text(title, "title", maximum=TITLE_MAX).split())
    body = _text(body, "body", maximum=BODY_MAX)
    _rate_check(user, "topic")
    topic = Topic.objects.create(space=space, title=title, starter=user)
    Reply.objects.create(topic=topic, author=user, body=body)
    return topic


def _get_or_create(lookup: dict, defaults: dict) -> Topic:
    try:
        with transaction.atomic():
            return Topic.objects.get_or_create(**lookup, defaults=defaults)[0]
    except IntegrityError:  # created meanwhile by another request: exactly one topic
        return Topic.objects.get(**lookup)


def topic_for(space: Page, key: str, title: str) -> Topic:
    """The conversation about another tool's object (`key`, such as "gathering:12") in `space`,
    created the first time it is asked for. Its title follows `title`."""
    if not key or len(key) > 64:
        raise ValueError("a topic key is 1 to 64 characters")
    title = " ".join(str(title).split())[:TITLE_MAX] or key
    topic = _get_or_create({"space": space, "key": key}, {"title": title})
    if topic.title != title:
        Topic.objects.filter(pk=topic.pk).update(title=title)
        topic.title = title
    return topic


def topic_delete_for(space: Page, key: str) -> None:
    """Delete the conversation about an object that is gone (its replies go with it)."""
    Topic.objects.filter(space=space, key=key).delete()


def source_page(page: Page) -> Page:
    """A page's version in the default language (one conversation for every translation)."""
    if page_language(page) == settings.LANGUAGE_CODE:
        return page.page_ptr if hasattr(page, "page_ptr") else page
    return (
        Page.objects.filter(
            translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        or page
    )


def topic_for_page(page: Page) -> Topic:
    """The conversation about a guide or a resource, created the first time someone replies."""
    page = source_page(page)
    space = spaces.source_space(page)
    if space is None:
        raise ValueError("only pages inside a space have conversations")
    return _get_or_create({"page": page}, {"space": space, "title": page.title[:TITLE_MAX]})


# Replies ---------------------------------------------------------------------------------


def _notify_participants(reply: Reply) -> None:
    topic = reply.topic
    ids = participants(topic) - {reply.author_id}
    people = get_user_model().objects.filter(pk__in=ids, is_active=True)
    for person in people:
        if topic_readable(person, topic):
            notify(person, NotificationKind.REPLY_NEW, subject=("reply", reply.pk))


@transaction.atomic
def reply_create(*, user, topic: Topic, body, parent: Reply | None = None) -> Reply:
    """A reply to the topic, or an answer to one of its top-level replies (no deeper)."""
    if not topic_readable(user, topic):
        raise PermissionDenied(_("You are not in this space."))
    body = _text(body, "body", maximum=BODY_MAX)
    if parent is not None:
        if parent.topic_id != topic.pk:
            raise ValidationError({"parent": [_("That reply is not in this conversation.")]})
        if parent.parent_id is not None:
            raise ValidationError({"parent": [_("Answer the reply it answers: one level only.")]})
        if parent.is_deleted:
            raise ValidationError({"parent": [_("That reply was deleted.")]})
    _rate_check(user, "reply")
    reply = Reply.objects.create(topic=topic, parent=parent, author=user, body=body)
    _touch(topic)
    _notify_participants(reply)
    return reply


def _own(user, reply: Reply) -> None:
    if reply.author_id is None or reply.author_id != user.pk or reply.is_deleted:
        raise PermissionDenied(_("Only its author may change a reply."))


@transaction.atomic
def reply_update(*, user, reply: Reply, body) -> Reply:
    _own(user, reply)
    body = _text(body, "body", maximum=BODY_MAX)
    reply.body = body
    reply.edited_at = timezone.now()
    reply.save(update_fields=["body", "edited_at"])
    return reply


@transaction.atomic
def reply_delete(*, user, reply: Reply) -> None:
    """Delete one's own reply. One that others answered stays as "deleted" (no text, no
    author) while their answers hang on it."""
    _own(user, reply)
    reply_erase(reply)


def reply_erase(reply: Reply) -> None:
    """Take a reply's words and author out: gone, or a tombstone while answers hang on it."""
    parent_id = reply.parent_id
    if reply.answers.exists():
        reply.reports.all().delete()
        Reply.objects.filter(pk=reply.pk).update(
            body="", author=None, deleted_at=timezone.now(), edited_at=None
        )
    else:
        reply.delete()
    if parent_id is not None:
        Reply.objects.filter(pk=parent_id, deleted_at__isnull=False, answers__isnull=True).delete()


# Reports and moderation ------------------------------------------------------------------


def report_create(*, user, reply: Reply, reason="") -> Report:
    """A member reports a reply to the space's moderators: once each."""
    reason = _text(reason, "reason", maximum=REASON_MAX, required=False)
    if reply.author_id == user.pk:
        raise ValidationError({"reply": [_("You cannot report your own reply.")]})
    if reply.is_deleted:
        raise ValidationError({"reply": [_("That reply was deleted.")]})
    _rate_check(user, "report")
    try:
        with transaction.atomic():
            return Report.objects.create(reply=reply, reporter=user, reason=reason)
    except IntegrityError:
        raise ValidationError(
            {"reply": ValidationError(_("You already reported this reply."), code="duplicate")}
        ) from None


def _moderate(user, reply: Reply) -> Reply:
    if not spaces.may_moderate(user, reply.topic.space):
        raise PermissionDenied(_("Only the space's moderators may do this."))
    return Reply.objects.select_for_update().get(pk=reply.pk)


def _resolve_reports(reply: Reply) -> None:
    Report.objects.filter(reply=reply, resolved_at__isnull=True).update(resolved_at=timezone.now())


def _mark_moderated(locked, *, user, reason: str, hidden: bool, told, subject: str) -> None:
    """Hide (with the reason) or show again a locked reply or topic, and tell `told` why."""
    locked.hidden_at = timezone.now() if hidden else None
    locked.hidden_reason = reason if hidden else ""
    locked.moderated_by = user
    locked.save(update_fields=["hidden_at", "hidden_reason", "moderated_by"])
    notify(
        told,
        NotificationKind.REPLY_MODERATED,
        subject=(subject, locked.pk),
        comment=reason,
        admitted=not hidden,
    )


@transaction.atomic
def reply_hide(*, user, reply: Reply, reason) -> Reply:
    """A moderator hides a reply: gone for everyone but its author, who sees the reason."""
    reason = _text(reason, "reason", maximum=REASON_MAX)
    locked = _moderate(user, reply)
    if locked.is_hidden:
        raise ValidationError(
            {"reply": ValidationError(_("This reply is already hidden."), code="conflict")}
        )
    if locked.is_deleted:
        raise ValidationError({"reply": [_("That reply was deleted.")]})
    _resolve_reports(locked)
    _mark_moderated(
        locked, user=user, reason=reason, hidden=True, told=locked.author, subject="reply"
    )
    return locked


@transaction.atomic
def reply_restore(*, user, reply: Reply, reason) -> Reply:
    """A moderator shows a hidden reply again, saying why."""
    reason = _text(reason, "reason", maximum=REASON_MAX)
    locked = _moderate(user, reply)
    if not locked.is_hidden:
        raise ValidationError(
            {"reply": ValidationError(_("This reply is not hidden."), code="conflict")}
        )
    _resolve_reports(locked)
    _mark_moderated(
        locked, user=user, reason=reason, hidden=False, told=locked.author, subject="reply"
    )
    return locked


def _moderate_topic(user, topic: Topic) -> Topic:
    if not spaces.may_moderate(user, topic.space):
        raise PermissionDenied(_("Only the space's moderators may do this."))
    return Topic.objects.select_for_update().get(pk=topic.pk)


@transaction.atomic
def topic_hide(*, user, topic: Topic, reason) -> Topic:
    """A moderator hides a whole topic (its title is the harm): gone for everyone but the member
    who started it, who sees the reason."""
    reason = _text(reason, "reason", maximum=REASON_MAX)
    locked = _moderate_topic(user, topic)
    if locked.is_hidden:
        raise ValidationError(
            {"topic": ValidationError(_("This conversation is already hidden."), code="conflict")}
        )
    _mark_moderated(
        locked, user=user, reason=reason, hidden=True, told=locked.starter, subject="topic"
    )
    return locked


@transaction.atomic
def topic_restore(*, user, topic: Topic, reason) -> Topic:
    reason = _text(reason, "reason", maximum=REASON_MAX)
    locked = _moderate_topic(user, topic)
    if not locked.is_hidden:
        raise ValidationError(
            {"topic": ValidationError(_("This conversation is not hidden."), code="conflict")}
        )
    _mark_moderated(
        locked, user=user, reason=reason, hidden=False, told=locked.starter, subject="topic"
    )
    return locked


@transaction.atomic
def reports_dismiss(*, user, reply: Reply) -> Reply:
    """A moderator keeps a reported reply as it is: its reports leave the list."""
    locked = _moderate(user, reply)
    _resolve_reports(locked)
    return locked


# Accounts --------------------------------------------------------------------------------


@transaction.atomic
def member_conversations_delete(user) -> None:
    """On account deletion: every reply of theirs is erased (words and name; a tombstone stays
    only where others answered); topics they started stay, credited to no one, with their
    title, so that the others' replies keep their conversation; their reports go."""
    mine = Reply.objects.filter(author=user)
    for reply in [*mine.filter(parent__isnull=False), *mine.filter(parent__isnull=True)]:
        reply_erase(reply)
    Topic.objects.filter(starter=user).update(starter=None)
    Report.objects.filter(reporter=user).delete()
