"""Conversation pages: /conversations/<space slug>/... (docs/community-tools.md).

A visitor is sent to sign in for every address here, whether a space, topic or reply exists or
not; a signed-in person outside the space, or asking for a topic or reply they may not read,
gets the site's 404, raised exactly as for a missing id (docs/privacy.md, existence pairs).
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community_pages.privacy import inside_space_denied
from core.visibility import visible_pages
from resources.models import GuidePage, ResourcePage
from workflows import spaces
from workflows.conversations import selectors, services
from workflows.conversations.forms import ReplyForm, TopicForm
from workflows.conversations.models import Reply

PAGE_SIZE = 20


def page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def form_errors(form, error) -> None:
    """Put a service's refusal on the form: a field's error on that field, else at the top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, getattr(error, "message", None) or " ".join(map(str, error.args)))


def status_of(error) -> int:
    if isinstance(error, services.RateLimited):
        return HTTPStatus.TOO_MANY_REQUESTS
    if isinstance(error, PermissionDenied):
        return HTTPStatus.FORBIDDEN
    return HTTPStatus.BAD_REQUEST


def topic_url(topic, reply: Reply | None = None, user=None) -> str:
    url = reverse("conversation_topic", args=[topic.space.slug, topic.pk])
    if reply is None:
        return url
    top = reply.parent or reply
    before = (
        Reply.objects.filter(topic=topic, parent__isnull=True)
        .filter(selectors.shown_to(user))
        .filter(created_at__lt=top.created_at)
        .count()
    )
    page = before // PAGE_SIZE + 1
    return f"{url}?page={page}#reply-{reply.pk}" if page > 1 else f"{url}#reply-{reply.pk}"


def about_url(topic) -> str | None:
    """The page of the object a keyed topic is about ("gathering:12" → the gathering's page,
    named "gathering" in the URL map with the space's slug and the id), if there is one."""
    kind, _sep, ident = topic.key.partition(":")
    if not kind or not ident.isdigit():
        return None
    try:
        return reverse(kind, args=[topic.space.slug, int(ident)])
    except NoReverseMatch:
        return None


def home(request):
    """/conversations/: the spaces I am in, each with its conversations."""
    if not request.user.is_authenticated:
        return inside_space_denied(request)
    return TemplateResponse(
        request, "conversations/home.html", {"spaces": list(spaces.spaces_of(request.user))}
    )


def space_topics(request, space_slug, *, form=None, status=HTTPStatus.OK):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    topics = selectors.topics_visible_to(request.user, space)
    number = page_number(request)
    total = topics.count()
    shown = list(topics[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    context = {
        "space": space,
        "local_space": spaces.space_local_page(space),
        "topics": shown,
        "page": number,
        "has_next": number * PAGE_SIZE < total,
        "form": form or TopicForm(),
        "may_moderate": spaces.may_moderate(request.user, space),
    }
    if context["may_moderate"]:
        reported = selectors.moderation_list(request.user, space).filter(open_reports__gt=0)
        context["open_reports"] = reported.count()
    return TemplateResponse(request, "conversations/space.html", context, status=status)


@require_POST
def topic_start(request, space_slug):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    form = TopicForm(request.POST)
    if not form.is_valid():
        return space_topics(request, space_slug, form=form, status=HTTPStatus.BAD_REQUEST)
    try:
        topic = services.topic_create(
            user=request.user,
            space=space,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
    except (ValidationError, PermissionDenied, services.RateLimited) as error:
        form_errors(form, error)
        return space_topics(request, space_slug, form=form, status=status_of(error))
    return redirect(topic_url(topic))


def topic_detail(request, space_slug, topic_id, *, form=None, status=HTTPStatus.OK):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    topic = selectors.topic_for_reader(request.user, topic_id, space)
    if topic is None:
        raise Http404
    number = page_number(request)
    thread = selectors.thread(request.user, topic, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    context = {
        "space": space,
        "local_space": spaces.space_local_page(space),
        "topic": topic,
        "thread": thread,
        "page": number,
        "has_next": number * PAGE_SIZE < thread.total,
        "form": form or ReplyForm(),
        "may_moderate": spaces.may_moderate(request.user, space),
        "reply_action": reverse("conversation_reply", args=[space.slug, topic.pk]),
        "about_url": about_url(topic),
    }
    return TemplateResponse(request, "conversations/topic.html", context, status=status)


def _parent(request, form, topic) -> Reply | None:
    parent_id = form.cleaned_data.get("parent")
    if parent_id is None:
        return None
    parent = selectors.reply_for_reader(request.user, parent_id)
    if parent is None or parent.topic_id != topic.pk:
        raise ValidationError({"parent": [_("That reply is not in this conversation.")]})
    return parent


@require_POST
def topic_reply(request, space_slug, topic_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    topic = selectors.topic_for_reader(request.user, topic_id, space)
    if topic is None:
        raise Http404
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({})
        reply = services.reply_create(
            user=request.user,
            topic=topic,
            body=form.cleaned_data["body"],
            parent=_parent(request, form, topic),
        )
    except (ValidationError, PermissionDenied, services.RateLimited) as error:
        form_errors(form, error)
        return topic_detail(request, space_slug, topic_id, form=form, status=status_of(error))
    return redirect(topic_url(topic, reply, request.user))


@require_POST
def page_reply(request, space_slug, page_id):
    """A reply to a guide or a resource, from its page: the conversation is made on first use."""
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    page = (
        visible_pages(request.user).type(GuidePage, ResourcePage).filter(pk=page_id).first()
        if str(page_id).isdigit()
        else None
    )
    if page is None or spaces.source_space(page).pk != space.pk:
        raise Http404
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _page_form_error(request, page, form, HTTPStatus.BAD_REQUEST)
    try:
        with transaction.atomic():  # no empty conversation is left by a refused reply
            topic = services.topic_for_page(page)
            reply = services.reply_create(
                user=request.user,
                topic=topic,
                body=form.cleaned_data["body"],
                parent=_parent(request, form, topic),
            )
    except (ValidationError, PermissionDenied, services.RateLimited) as error:
        form_errors(form, error)
        return _page_form_error(request, page, form, status_of(error))
    return redirect(topic_url(topic, reply, request.user))


def _page_form_error(request, page, form, status):
    return TemplateResponse(
        request,
        "conversations/page_reply_error.html",
        {"page": page, "form": form},
        status=status,
    )
