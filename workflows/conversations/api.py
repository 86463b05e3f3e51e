"""Conversations through the API: /api/v2/conversations/ (docs/api.md, docs/community-tools.md).

Thin wrappers around `selectors` and `services`. A topic or reply the caller may not read
answers the JSON 404 of a missing id (a topic in a space they are not in, a hidden reply);
bad input is 400 naming the field, nothing changed; reporting twice or hiding a hidden reply is
409; a refusal 403 (changing someone else's reply, moderating without being a moderator);
writing too fast 429, nothing saved.
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.response import Response

from core.api.views import MemberAPIView
from core.visibility import visible_pages
from resources.models import GuidePage, ResourcePage
from workflows import spaces
from workflows.api.drafts import data_of, not_found, paged, paging
from workflows.conversations import selectors, services
from workflows.conversations.representation import reply_data, topic_data
from workflows.services.draft_input import first_error

TAGS = ["conversations"]
EXAMPLE_REPLY = {
    "id": 88,
    "topic": 7,
    "parent": None,
    "author": "Robin",
    "mine": False,
    "body": "The walk helped me. https://example.org/walk",
    "body_html": 'The walk helped me. <a href="https://example.org/walk" '
    'rel="nofollow ugc noopener">https://example.org/walk</a>',
    "created_at": "2026-12-01T10:00:00+00:00",
    "edited_at": None,
    "deleted": False,
    "hidden": False,
    "hidden_reason": None,
    "reported_by_me": False,
    "answers": [],
}
EXAMPLE_TOPIC = {
    "id": 7,
    "space": "bereaved",
    "title": "Getting through the holidays",
    "about": None,
    "started_by": "Robin",
    "created_at": "2026-12-01T09:00:00+00:00",
    "last_activity_at": "2026-12-01T10:00:00+00:00",
    "url": "/api/v2/conversations/7/",
    "html_url": "/conversations/bereaved/7/",
    "hidden": False,
    "hidden_reason": None,
}
LIMITS = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]
ERRORS = {
    400: OpenApiTypes.OBJECT,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    409: OpenApiTypes.OBJECT,
    429: OpenApiTypes.OBJECT,
}


def refused(error: Exception) -> Response:
    if isinstance(error, services.RateLimited):
        return Response({"message": error.message}, status=HTTPStatus.TOO_MANY_REQUESTS)
    if isinstance(error, ValidationError):
        field, message = first_error(error)
        codes = (
            {getattr(e, "code", None) for e in error.error_list}
            if hasattr(error, "error_list")
            else set()
        )
        if hasattr(error, "error_dict"):
            codes = {e.code for errors in error.error_dict.values() for e in errors}
        status = HTTPStatus.CONFLICT if codes & {"duplicate", "conflict"} else 400
        return Response({"message": message, "field": field}, status=status)
    message = " ".join(map(str, getattr(error, "args", ()))) or _("You may not do this.")
    return Response({"message": message}, status=HTTPStatus.FORBIDDEN)


REFUSALS = (ValidationError, PermissionDenied, services.RateLimited)


def _detail(request, topic) -> Response:
    page_or_error = paging(request)
    if isinstance(page_or_error, Response):
        return page_or_error
    limit, offset = page_or_error
    thread = selectors.thread(request.user, topic, limit=limit, offset=offset)
    moderator = spaces.may_moderate(request.user, topic.space)
    data = topic_data(topic, user=request.user, moderator=moderator)
    data["reply_count"] = thread.count
    data["replies"] = {
        "meta": {"total_count": thread.total},
        "items": [reply_data(r, user=request.user, moderator=moderator) for r in thread.replies],
    }
    return Response(data)


class TopicListView(MemberAPIView):
    @extend_schema(
        operation_id="conversations_list",
        summary="Conversations in the spaces you are in, most recently active first.",
        description="`space` (a slug) narrows to one space; `page` (a guide's or resource's "
        "id) to the conversation about that page. A space you are not in lists nothing, as "
        "one that does not exist.",
        parameters=[OpenApiParameter("space", str), OpenApiParameter("page", int), *LIMITS],
        responses=OpenApiTypes.OBJECT,
        examples=[
            OpenApiExample(
                "Topics",
                value={"meta": {"total_count": 1}, "items": [EXAMPLE_TOPIC]},
                response_only=True,
            )
        ],
        tags=TAGS,
    )
    def get(self, request):
        topics = selectors.topics_visible_to(request.user)
        if "space" in request.GET:
            topics = topics.filter(space__slug=request.GET["space"])
        if "page" in request.GET:
            raw = request.GET["page"]
            if not raw.isdigit() or len(raw) > 12:
                return Response({"message": _("page is a page id.")}, status=400)
            topics = topics.filter(page_id=int(raw))
        return paged(request, topics, lambda rows: [topic_data(t, user=request.user) for t in rows])

    @extend_schema(
        operation_id="conversations_create",
        summary="Start a conversation in a space, or reply to a guide or resource.",
        description="Either `space` (slug), `title` and `body`: a new topic with its opening "
        "reply; or `page` (the id of a guide or resource you may read) and `body`: a reply in "
        "that page's conversation (made on the first reply). 201 with the topic.",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, **ERRORS},
        examples=[
            OpenApiExample(
                "A topic",
                value={"space": "bereaved", "title": "Holidays", "body": "How do you cope?"},
                request_only=True,
            ),
            OpenApiExample(
                "About a guide", value={"page": 42, "body": "This helped."}, request_only=True
            ),
        ],
        tags=TAGS,
    )
    def post(self, request):
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        try:
            if "page" in data:
                topic = self._page_topic(request, data)
            else:
                space = self._space(request, data.get("space"))
                topic = services.topic_create(
                    user=request.user, space=space, title=data.get("title"), body=data.get("body")
                )
        except REFUSALS as error:
            return refused(error)
        response = _detail(request, topic)
        response.status_code = HTTPStatus.CREATED
        return response

    @staticmethod
    def _space(request, slug):
        space = spaces.space_of(request.user, slug)
        if space is None:
            raise ValidationError({"space": [_("No space of yours has this name.")]})
        return space

    @staticmethod
    def _page_topic(request, data):
        page_id = data.get("page")
        page = None
        if isinstance(page_id, int) and not isinstance(page_id, bool) and page_id > 0:
            pages = visible_pages(request.user).type(GuidePage, ResourcePage)
            page = pages.filter(pk=page_id).first()
        if page is None or spaces.source_space(page) is None:
            raise ValidationError({"page": [_("No guide or resource you may read has this id.")]})
        with transaction.atomic():
            topic = services.topic_for_page(page)
            services.reply_create(user=request.user, topic=topic, body=data.get("body"))
        return topic


class TopicDetailView(MemberAPIView):
    @extend_schema(
        operation_id="conversations_detail",
        summary="A conversation with a page of its replies (each with its answers).",
        description="`limit` and `offset` page the top-level replies; each carries all its "
        "answers. A constant number of queries per page.",
        parameters=LIMITS,
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "A conversation",
                value={
                    **EXAMPLE_TOPIC,
                    "reply_count": 1,
                    "replies": {"meta": {"total_count": 1}, "items": [EXAMPLE_REPLY]},
                },
                response_only=True,
            )
        ],
        tags=TAGS,
    )
    def get(self, request, topic_id: int):
        topic = selectors.topic_for_reader(request.user, topic_id)
        return not_found() if topic is None else _detail(request, topic)


class ReplyCreateView(MemberAPIView):
    @extend_schema(
        operation_id="conversations_reply",
        summary="Reply in a conversation; `parent` answers a top-level reply (one level).",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, **ERRORS},
        examples=[
            OpenApiExample("A reply", value={"body": "Thank you."}, request_only=True),
            OpenApiExample(
                "Too fast",
                value={
                    "message": "That is a lot at once: please wait a minute before writing again."
                },
                response_only=True,
                status_codes=["429"],
            ),
        ],
        tags=TAGS,
    )
    def post(self, request, topic_id: int):
        topic = selectors.topic_for_reader(request.user, topic_id)
        if topic is None:
            return not_found()
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        parent = None
        if data.get("parent") is not None:
            parent = selectors.reply_for_reader(request.user, data["parent"])
            if parent is None or parent.topic_id != topic.pk:
                return refused(
                    ValidationError({"parent": [_("That reply is not in this conversation.")]})
                )
        try:
            reply = services.reply_create(
                user=request.user, topic=topic, body=data.get("body"), parent=parent
            )
        except REFUSALS as error:
            return refused(error)
        return Response(reply_data(reply, user=request.user), status=HTTPStatus.CREATED)


class ReplyView(MemberAPIView):
    @extend_schema(
        operation_id="conversations_reply_detail",
        summary="One reply you may read.",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def get(self, request, reply_id: int):
        reply = selectors.reply_for_reader(request.user, reply_id)
        if reply is None:
            return not_found()
        moderator = spaces.may_moderate(request.user, reply.topic.space)
        return Response(reply_data(reply, user=request.user, moderator=moderator))

    @extend_schema(
        operation_id="conversations_reply_update",
        summary="Change the text of your own reply.",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        examples=[OpenApiExample("New text", value={"body": "Thank you all."}, request_only=True)],
        tags=TAGS,
    )
    def patch(self, request, reply_id: int):
        reply = selectors.reply_for_reader(request.user, reply_id)
        if reply is None:
            return not_found()
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        try:
            reply = services.reply_update(user=request.user, reply=reply, body=data.get("body"))
        except REFUSALS as error:
            return refused(error)
        return Response(reply_data(reply, user=request.user))

    @extend_schema(
        operation_id="conversations_reply_delete",
        summary="Delete your own reply (one others answered stays as “deleted”).",
        request=None,
        responses={204: None, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def delete(self, request, reply_id: int):
        reply = selectors.reply_for_reader(request.user, reply_id)
        if reply is None:
            return not_found()
        try:
            services.reply_delete(user=request.user, reply=reply)
        except REFUSALS as error:
            return refused(error)
        return Response(status=HTTPStatus.NO_CONTENT)


class ReportView(MemberAPIView):
    @extend_schema(
        operation_id="conversations_report",
        summary="Report a reply to the space's moderators (once; 409 the second time).",
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, **ERRORS},
        examples=[OpenApiExample("A report", value={"reason": "Unkind."}, request_only=True)],
        tags=TAGS,
    )
    def post(self, request, reply_id: int):
        reply = selectors.reply_for_reader(request.user, reply_id)
        if reply is None:
            return not_found()
        data = data_of(request) or {}
        try:
            services.report_create(user=request.user, reply=reply, reason=data.get("reason", ""))
        except REFUSALS as error:
            return refused(error)
        return Response({"message": _("Reported.")}, status=HTTPStatus.CREATED)


# Mounted at /api/v2/ by config/api.py.
urlpatterns = [
    path("conversations/", TopicListView.as_view(), name="api_conversations"),
    path("conversations/<int:topic_id>/", TopicDetailView.as_view(), name="api_conversation"),
    path(
        "conversations/<int:topic_id>/replies/",
        ReplyCreateView.as_view(),
        name="api_conversation_replies",
    ),
    path("conversations/replies/<int:reply_id>/", ReplyView.as_view(), name="api_reply"),
    path(
        "conversations/replies/<int:reply_id>/report/",
        ReportView.as_view(),
        name="api_reply_report",
    ),
]
