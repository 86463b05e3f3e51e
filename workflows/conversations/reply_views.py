"""Pages that act on one reply: edit and delete one's own, report, and the moderators' hide,
restore and dismiss, with their list of reports (/conversations/<space>/moderation/).

As everywhere under /conversations/: a visitor is sent to sign in, and a reply the person may
not read (or, for moderation, not moderate and not read) is the 404 of a missing id.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from workflows import spaces
from workflows.conversations import selectors, services
from workflows.conversations.forms import ReasonForm, ReplyForm, ReportForm
from workflows.conversations.views import form_errors, status_of, topic_url

REFUSALS = (ValidationError, PermissionDenied, services.RateLimited)


def _reply(request, space, reply_id, *, moderating=False):
    if moderating:
        reply = selectors.reply_for_reader_or_moderator(request.user, reply_id)
    else:
        reply = selectors.reply_for_reader(request.user, reply_id)
    if reply is None or reply.topic.space_id != space.pk:
        raise Http404
    return reply


def _refused(request, error) -> None:
    if isinstance(error, ValidationError):
        text = " ".join(error.messages)
    else:
        text = getattr(error, "message", None) or " ".join(map(str, error.args))
    messages.error(request, text)


def reply_edit(request, space_slug, reply_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    reply = _reply(request, space, reply_id)
    if reply.author_id != request.user.pk or reply.is_deleted:
        raise PermissionDenied
    status = HTTPStatus.OK
    if request.method == "POST":
        form = ReplyForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError({})
            services.reply_update(user=request.user, reply=reply, body=form.cleaned_data["body"])
        except REFUSALS as error:
            form_errors(form, error)
            status = status_of(error)
        else:
            return redirect(topic_url(reply.topic, reply, request.user))
    else:
        form = ReplyForm(initial={"body": reply.body})
    return TemplateResponse(
        request,
        "conversations/reply_edit.html",
        {"space": space, "reply": reply, "topic": reply.topic, "form": form},
        status=status,
    )


@require_POST
def reply_delete(request, space_slug, reply_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    reply = _reply(request, space, reply_id)
    topic = reply.topic
    try:
        services.reply_delete(user=request.user, reply=reply)
    except REFUSALS as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your reply was deleted."))
    return redirect(topic_url(topic))


@require_POST
def reply_report(request, space_slug, reply_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    reply = _reply(request, space, reply_id)
    form = ReportForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Keep the reason to 500 characters or fewer."))
        services.report_create(user=request.user, reply=reply, reason=form.cleaned_data["reason"])
    except REFUSALS as error:
        _refused(request, error)
    else:
        messages.success(request, _("Thank you. The space's moderators will look at this reply."))
    return redirect(topic_url(reply.topic, reply, request.user))


ACTIONS = {
    "hide": (
        services.reply_hide,
        gettext_lazy("The reply is hidden. Its author sees your reason."),
    ),
    "restore": (services.reply_restore, gettext_lazy("The reply is shown again.")),
    "dismiss": (
        services.reports_dismiss,
        gettext_lazy("The reports were dismissed; the reply stays."),
    ),
}


@require_POST
def reply_moderate(request, space_slug, reply_id, action):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    reply = _reply(request, space, reply_id, moderating=True)
    service, _done = ACTIONS[action]
    try:
        if action == "dismiss":
            service(user=request.user, reply=reply)
        else:
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            service(user=request.user, reply=reply, reason=reason)
    except REFUSALS as error:
        if isinstance(error, PermissionDenied):
            raise
        _refused(request, error)
    else:
        messages.success(request, str(_done))
    return redirect("conversation_moderation", space.slug)


TOPIC_ACTIONS = {
    "hide": (
        services.topic_hide,
        gettext_lazy("The conversation is hidden. Its starter sees your reason."),
    ),
    "restore": (services.topic_restore, gettext_lazy("The conversation is shown again.")),
}


@require_POST
def topic_moderate(request, space_slug, topic_id, action):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    topic = selectors.topic_for_moderator(request.user, topic_id)
    if topic is None and selectors.topic_for_reader(request.user, topic_id, space) is not None:
        raise PermissionDenied
    if topic is None or topic.space_id != space.pk:
        raise Http404
    service, done = TOPIC_ACTIONS[action]
    form = ReasonForm(request.POST)
    try:
        service(
            user=request.user,
            topic=topic,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, str(done))
    return redirect("conversation_moderation", space.slug)


def moderation(request, space_slug):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    if not spaces.may_moderate(request.user, space):
        raise PermissionDenied
    replies = list(selectors.moderation_list(request.user, space)[:100])
    reports = selectors.reports_of(replies)
    for reply in replies:
        reply.open_report_list = reports.get(reply.pk, [])
    context = {
        "space": space,
        "local_space": spaces.space_local_page(space),
        "replies": replies,
        "hidden_topics": list(selectors.hidden_topics(request.user, space)[:100]),
    }
    return TemplateResponse(request, "conversations/moderation.html", context)
