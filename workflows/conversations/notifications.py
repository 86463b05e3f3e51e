"""The "reply" and "topic" notification subjects (workflows.notification_subjects): a new
reply in a conversation someone takes part in (REPLY_NEW), and a moderator's hiding or restoring
of someone's reply or topic (REPLY_MODERATED, `admitted`: False hidden, True restored;
`comment`: the reason). Shown only while the recipient may still read it: a reply deleted,
hidden from them, or in a space they left is simply not shown."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.utils import get_user_display_name

from workflows.conversations.models import Reply
from workflows.conversations.selectors import (
    reply_for_reader,
    shown_to,
    topic_for_reader,
    topics_visible_to,
)
from workflows.models import NotificationKind
from workflows.notification_subjects import checked_in_batch, register_subject


def reply_path(reply) -> str:
    topic = reply.topic
    url = reverse("conversation_topic", args=[topic.space.slug, topic.pk])
    return f"{url}#reply-{reply.pk}"


def _visible(notification, user) -> bool:
    readable = Reply.objects.filter(shown_to(user)).filter(
        topic__in=topics_visible_to(user).values("pk")
    )
    checked, visible = checked_in_batch(user, "reply", readable)
    if notification.subject_id in checked:
        return notification.subject_id in visible
    return reply_for_reader(user, notification.subject_id) is not None  # alone, or made since


def _describe(notification) -> dict:
    reply = reply_for_reader(notification.recipient, notification.subject_id)
    title = reply.topic.title
    if notification.kind == NotificationKind.REPLY_MODERATED:
        if notification.admitted:
            text = _("A moderator restored your reply in “%(title)s”.") % {"title": title}
        else:
            text = _("A moderator hid your reply in “%(title)s”.") % {"title": title}
        return {"text": text, "path": reply_path(reply), "comment": notification.comment}
    name = get_user_display_name(reply.author) if reply.author else _("a former member")
    text = _("%(name)s replied in “%(title)s”.") % {"name": name, "title": title}
    return {"text": text, "path": reply_path(reply), "comment": ""}


def _topic_visible(notification, user) -> bool:
    checked, visible = checked_in_batch(user, "topic", topics_visible_to(user))
    if notification.subject_id in checked:
        return notification.subject_id in visible
    return topic_for_reader(user, notification.subject_id) is not None  # alone, or made since


def _topic_describe(notification) -> dict:
    topic = topic_for_reader(notification.recipient, notification.subject_id)
    if notification.admitted:
        text = _("A moderator showed your conversation “%(title)s” again.") % {"title": topic.title}
    else:
        text = _("A moderator hid your conversation “%(title)s”.") % {"title": topic.title}
    path = reverse("conversation_topic", args=[topic.space.slug, topic.pk])
    return {"text": text, "path": path, "comment": notification.comment}


def register() -> None:
    register_subject(
        "topic",
        visible=_topic_visible,
        describe=_topic_describe,
        subject=gettext_lazy("News from a conversation you take part in"),
    )
    register_subject(
        "reply",
        visible=_visible,
        describe=_describe,
        subject=gettext_lazy("News from a conversation you take part in"),
    )
