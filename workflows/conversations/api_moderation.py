"""The moderators' side of /api/v2/conversations/: the list of reported and hidden replies of a
space, and hide, restore, dismiss (docs/community-tools.md). Someone who may not read the reply
gets the 404 of a missing id; someone who reads it but does not moderate the space, 403."""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.response import Response

from core.api.views import MemberAPIView
from workflows import spaces
from workflows.api.drafts import data_of, not_found, paged
from workflows.conversations import selectors, services
from workflows.conversations.api import ERRORS, LIMITS, REFUSALS, TAGS, refused
from workflows.conversations.representation import reply_data, topic_data


def _moderation_view(action: str, service, summary: str):
    class ModerateView(MemberAPIView):
        @extend_schema(
            operation_id=f"conversations_{action}",
            summary=summary,
            request=OpenApiTypes.OBJECT,
            responses={200: OpenApiTypes.OBJECT, **ERRORS},
            tags=TAGS,
        )
        def post(self, request, reply_id: int):
            reply = selectors.reply_for_reader_or_moderator(request.user, reply_id)
            if reply is None:
                return not_found()
            data = data_of(request) or {}
            try:
                if action == "dismiss":
                    reply = service(user=request.user, reply=reply)
                else:
                    reply = service(user=request.user, reply=reply, reason=data.get("reason"))
            except REFUSALS as error:
                return refused(error)
            return Response(reply_data(reply, user=request.user, moderator=True))

    ModerateView.__name__ = f"Reply{action.title()}View"
    return ModerateView


class ModerationListView(MemberAPIView):
    @extend_schema(
        operation_id="conversations_moderation",
        summary="For a space's moderators: reported and hidden replies, newest first.",
        parameters=[OpenApiParameter("space", str, required=True), *LIMITS],
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def get(self, request):
        space = spaces.space_by_slug(request.GET.get("space", ""))
        if space is None or not spaces.in_space(request.user, space):
            return not_found()
        if not spaces.may_moderate(request.user, space):
            return refused(PermissionDenied(_("Only the space's moderators may do this.")))

        def listed(rows):
            rows = list(rows)
            reports = selectors.reports_of(rows)
            return [
                {
                    **reply_data(r, user=request.user, moderator=True, answers=False),
                    "topic_title": r.topic.title,
                    "reports": [
                        {"reason": p.reason, "created_at": p.created_at.isoformat()}
                        for p in reports.get(r.pk, [])
                    ],
                }
                for r in rows
            ]

        response = paged(request, selectors.moderation_list(request.user, space), listed)
        if response.status_code == HTTPStatus.OK:
            response.data["hidden_topics"] = [
                topic_data(topic, user=request.user, moderator=True)
                for topic in selectors.hidden_topics(request.user, space).select_related("space")[
                    :100
                ]
            ]
        return response


def _topic_moderation_view(action: str, service, summary: str):
    class ModerateTopicView(MemberAPIView):
        @extend_schema(
            operation_id=f"conversations_topic_{action}",
            summary=summary,
            request=OpenApiTypes.OBJECT,
            responses={200: OpenApiTypes.OBJECT, **ERRORS},
            tags=TAGS,
        )
        def post(self, request, topic_id: int):
            topic = selectors.topic_for_moderator(request.user, topic_id)
            if topic is None:
                if selectors.topic_for_reader(request.user, topic_id) is not None:
                    return refused(PermissionDenied(_("Only the space's moderators may do this.")))
                return not_found()
            data = data_of(request) or {}
            try:
                topic = service(user=request.user, topic=topic, reason=data.get("reason"))
            except REFUSALS as error:
                return refused(error)
            return Response(topic_data(topic, user=request.user, moderator=True))

    ModerateTopicView.__name__ = f"Topic{action.title()}View"
    return ModerateTopicView


# Mounted at /api/v2/ by config/api.py.
urlpatterns = [
    path(
        "conversations/<int:topic_id>/hide/",
        _topic_moderation_view(
            "hide",
            services.topic_hide,
            "Hide a whole conversation (moderators), with a reason its starter sees.",
        ).as_view(),
        name="api_conversation_hide",
    ),
    path(
        "conversations/<int:topic_id>/restore/",
        _topic_moderation_view(
            "restore", services.topic_restore, "Show a hidden conversation again (moderators)."
        ).as_view(),
        name="api_conversation_restore",
    ),
    path("conversations/moderation/", ModerationListView.as_view(), name="api_conversation_mod"),
    path(
        "conversations/replies/<int:reply_id>/hide/",
        _moderation_view(
            "hide", services.reply_hide, "Hide a reply (moderators), with a reason its author sees."
        ).as_view(),
        name="api_reply_hide",
    ),
    path(
        "conversations/replies/<int:reply_id>/restore/",
        _moderation_view(
            "restore",
            services.reply_restore,
            "Show a hidden reply again (moderators), with a reason.",
        ).as_view(),
        name="api_reply_restore",
    ),
    path(
        "conversations/replies/<int:reply_id>/dismiss/",
        _moderation_view(
            "dismiss",
            services.reports_dismiss,
            "Keep a reported reply: its reports leave the moderators' list.",
        ).as_view(),
        name="api_reply_dismiss",
    ),
]
