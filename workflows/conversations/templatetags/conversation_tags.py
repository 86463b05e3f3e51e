"""Template tags that embed a conversation in another page: a gathering's
(`{% conversation topic %}`), a guide's or a resource's (`{% page_conversation page %}`), and
the space page's link (`{% conversations_link page %}`). Each shows nothing to someone who may
not read the conversation: no count, no form."""

from __future__ import annotations

from django import template
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name

from workflows import spaces
from workflows.conversations import selectors
from workflows.conversations.forms import ReplyForm
from workflows.conversations.services import source_page, topic_for
from workflows.conversations.text import render_body

register = template.Library()
EMBEDDED = 20


@register.filter
def reply_body(text):
    return render_body(text)


@register.filter
def author_name(user):
    return get_user_display_name(user) if user is not None else ""


def _thread_context(request, topic, space, reply_action: str) -> dict:
    user = request.user
    thread = selectors.thread(user, topic, limit=EMBEDDED) if topic is not None else None
    return {
        "request": request,
        "user": user,
        "topic": topic,
        "space": space,
        "thread": thread,
        "has_more": thread is not None and thread.total > EMBEDDED,
        "form": ReplyForm(),
        "reply_action": reply_action,
        "may_moderate": spaces.may_moderate(user, space),
        "show": True,
    }


@register.inclusion_tag("conversations/_embedded.html", takes_context=True)
def conversation(context, topic):
    """A topic's conversation (e.g. a gathering's), for those who may read it."""
    request = context.get("request")
    if request is None or topic is None or not selectors.topic_readable(request.user, topic):
        return {"show": False}
    action = reverse("conversation_reply", args=[topic.space.slug, topic.pk])
    return _thread_context(request, topic, topic.space, action)


@register.inclusion_tag("conversations/_embedded.html", takes_context=True)
def conversation_about(context, obj, kind: str):
    """The conversation about another tool's object that has `space`, `pk` and `title` (a
    gathering: `{% conversation_about gathering "gathering" %}`), made the first time it is
    shown. The calling page has already decided that the reader may see the object."""
    request = context.get("request")
    if request is None or obj is None or not spaces.in_space(request.user, obj.space):
        return {"show": False}
    return conversation(context, topic_for(obj.space, f"{kind}:{obj.pk}", obj.title))


@register.inclusion_tag("conversations/_embedded.html", takes_context=True)
def page_conversation(context, page):
    """The conversation about a guide or a resource (its form makes it on the first reply)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or page is None:
        return {"show": False}
    if not page.pk or not page.live or getattr(request, "is_preview", False):
        return {"show": False}  # a draft or an admin preview: no conversation yet
    source = source_page(page)
    space = spaces.source_space(source)
    if space is None or not spaces.in_space(request.user, space):
        return {"show": False}
    action = reverse("conversation_page_reply", args=[space.slug, source.pk])
    return _thread_context(request, selectors.topic_of_page(source), space, action)


@register.inclusion_tag("conversations/_space_link.html", takes_context=True)
def conversations_link(context, page):
    """The link from a space's page to its conversations."""
    request = context.get("request")
    space = spaces.source_space(page)
    if request is None or space is None or not spaces.in_space(request.user, space):
        return {"url": None}
    return {"url": reverse("conversation_space", args=[space.slug])}
