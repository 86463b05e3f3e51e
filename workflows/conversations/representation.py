"""The API's representation of topics and replies: what a member is shown, drawn for them (a
hidden reason only for its author and the space's moderators; never a username or e-mail)."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.utils import get_user_display_name

from workflows.conversations.text import render_body


def _at(moment) -> str | None:
    return moment.isoformat() if moment else None


def _name(user) -> str | None:
    return get_user_display_name(user) if user is not None else None


def about(topic) -> dict | None:
    if topic.page_id:
        return {"type": "page", "id": topic.page_id}
    if topic.key:
        kind, _sep, ident = topic.key.partition(":")
        return {"type": kind, "id": int(ident) if ident.isdigit() else ident}
    return None


def topic_data(topic, *, user=None, moderator: bool = False) -> dict:
    starter = user is not None and topic.starter_id is not None and topic.starter_id == user.pk
    return {
        "id": topic.pk,
        "space": topic.space.slug,
        "title": topic.title,
        "about": about(topic),
        "started_by": _name(topic.starter),
        "created_at": _at(topic.created_at),
        "last_activity_at": _at(topic.last_activity_at),
        "url": reverse("api_conversation", args=[topic.pk]),
        "html_url": reverse("conversation_topic", args=[topic.space.slug, topic.pk]),
        "hidden": topic.is_hidden,
        "hidden_reason": topic.hidden_reason
        if topic.is_hidden and (starter or moderator)
        else None,
    }


def reply_data(reply, *, user, moderator: bool = False, answers: bool = True) -> dict:
    mine = reply.author_id is not None and reply.author_id == user.pk
    data = {
        "id": reply.pk,
        "topic": reply.topic_id,
        "parent": reply.parent_id,
        "author": _name(reply.author),
        "mine": mine,
        "body": reply.body,
        "body_html": str(render_body(reply.body)),
        "created_at": _at(reply.created_at),
        "edited_at": _at(reply.edited_at),
        "deleted": reply.is_deleted,
        "hidden": reply.is_hidden,
        "hidden_reason": reply.hidden_reason if (mine or moderator) and reply.is_hidden else None,
        "reported_by_me": bool(getattr(reply, "reported_by_me", False)),
    }
    if answers and reply.parent_id is None and hasattr(reply, "shown_answers"):
        data["answers"] = [
            reply_data(answer, user=user, moderator=moderator, answers=False)
            for answer in reply.shown_answers
        ]
    return data
