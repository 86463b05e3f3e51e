"""The API endpoints for feeds, memberships and join requests (/api/v2/...); the schedule is
`schedule.py`.

Each endpoint asks the one visibility rule (`core/visibility.py`) and the membership services;
writes validate first and answer 400 with a JSON `message`. The support-group fields of the
pages endpoint are `serializers.py`; the pages endpoint itself is `core/api/pages.py`.
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from wagtail.admin.utils import get_user_display_name

from community_pages.api.schedule import ScheduleView
from community_pages.feed_views import feed_links
from community_pages.models import JoinRequest
from community_pages.selectors import community_by_slug, pending_join_requests
from community_pages.services import MembershipError, join_request_decide, membership_request
from core.access import communities_of, editor_communities, is_staff
from core.api.views import MemberAPIView, ReaderAPIView, bad_request


class FeedsView(ReaderAPIView):
    """The calendar and Meeting Guide feed URLs of the spaces you may see, and the public feed.

    A calendar app sends no cookie: make a personal feed token on /account/feeds/ and add it.
    """

    @extend_schema(responses=OpenApiTypes.OBJECT, tags=["schedules"])
    def get(self, request):
        return Response(
            {
                "spaces": feed_links(request) if request.user.is_authenticated else [],
                "public": request.build_absolute_uri(reverse("feed_public_meetings_json")),
            }
        )


def _community_data(community) -> dict:
    return {"slug": community.slug, "name": community.name}


def _join_request_data(join_request) -> dict:
    return {
        "id": join_request.pk,
        "community": join_request.community.slug,
        "user": get_user_display_name(join_request.user),  # as the web pages name people
        "message": join_request.message,
        "status": join_request.status,
        "created_at": join_request.created_at.isoformat(),
        "decided_at": join_request.decided_at.isoformat() if join_request.decided_at else None,
    }


class AccountView(MemberAPIView):
    """You: your name, your communities (member and editor), your requests to join."""

    @extend_schema(responses=OpenApiTypes.OBJECT, tags=["account"])
    def get(self, request):
        user = request.user
        member_of = list(communities_of(user))
        editor_of = list(editor_communities(user))
        return Response(
            {
                "username": user.get_username(),
                "is_staff": is_staff(user),
                "communities": [_community_data(c) for c in member_of],
                "editor_of": [_community_data(c) for c in editor_of],
                "join_requests": [
                    _join_request_data(jr)
                    for jr in JoinRequest.objects.filter(user=user).select_related(
                        "community", "user"
                    )
                ],
            }
        )


_JOIN_REQUEST_CREATE = inline_serializer(
    "JoinRequestCreate",
    {"community": serializers.SlugField(), "message": serializers.CharField(required=False)},
)


class JoinRequestListView(MemberAPIView):
    """Your requests to join, and the pending requests you may decide (editors, staff)."""

    @extend_schema(responses=OpenApiTypes.OBJECT, tags=["membership"])
    def get(self, request):
        mine = JoinRequest.objects.filter(user=request.user).select_related("community", "user")
        return Response(
            {
                "mine": [_join_request_data(jr) for jr in mine],
                "to_decide": [_join_request_data(jr) for jr in pending_join_requests(request.user)],
            }
        )

    @extend_schema(
        request=_JOIN_REQUEST_CREATE,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        tags=["membership"],
    )
    def post(self, request):
        data = request.data if hasattr(request.data, "get") else {}
        slug, message = data.get("community"), data.get("message", "")
        if not isinstance(slug, str) or not isinstance(message, str):
            return bad_request(_("Send “community” (a slug) and optionally “message”."))
        community = community_by_slug(slug, listed=True)
        if community is None:
            return bad_request(_("There is no community “%(slug)s”.") % {"slug": slug[:60]})
        try:
            join_request = membership_request(
                user=request.user, community=community, message=message
            )
        except MembershipError as error:
            return bad_request(str(error))
        return Response(_join_request_data(join_request), status=HTTPStatus.CREATED)


class JoinRequestDecideView(MemberAPIView):
    """Admit or decline a pending request (the community's editors and staff)."""

    @extend_schema(
        request=inline_serializer(
            "JoinRequestDecision", {"decision": serializers.ChoiceField(["admit", "decline"])}
        ),
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=["membership"],
    )
    def post(self, request, join_request_id: int):
        data = request.data if hasattr(request.data, "get") else {}
        decision = data.get("decision")
        if decision not in ("admit", "decline"):
            return bad_request(_("Send “decision”: “admit” or “decline”."))
        not_found = Response({"message": _("Not found.")}, status=HTTPStatus.NOT_FOUND)
        # Someone who may not decide it is told it does not exist, not that it does.
        if not pending_join_requests(request.user).filter(pk=join_request_id).exists():
            return not_found
        try:
            join_request = join_request_decide(
                join_request_id=join_request_id,
                decided_by=request.user,
                admit=decision == "admit",
            )
        except PermissionDenied:
            return not_found
        except MembershipError as error:
            return bad_request(str(error))
        return Response(_join_request_data(join_request))


# Mounted at /api/v2/ by config/api.py.
urlpatterns = [
    path("account/", AccountView.as_view(), name="api_account"),
    path("schedule/", ScheduleView.as_view(), name="api_schedule"),
    path("feeds/", FeedsView.as_view(), name="api_feeds"),
    path("join-requests/", JoinRequestListView.as_view(), name="api_join_requests"),
    path(
        "join-requests/<int:join_request_id>/decide/",
        JoinRequestDecideView.as_view(),
        name="api_join_request_decide",
    ),
]
