"""The API endpoints for schedules, feeds, memberships and join requests (/api/v2/...).

Each endpoint asks the one visibility rule (`core/visibility.py`) and the membership services;
writes validate first and answer 400 with a JSON `message`. The support-group fields of the
pages endpoint are `serializers.py`; the pages endpoint itself is `core/api/pages.py`.
"""

from __future__ import annotations

from datetime import date, timedelta
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from wagtail.admin.utils import get_user_display_name
from wagtail.models import Page

from community_pages import schedules
from community_pages.feed_views import feed_links
from community_pages.models import JoinRequest
from community_pages.selectors import (
    community_by_slug,
    pending_join_requests,
    space_by_slug,
    support_groups_visible,
)
from community_pages.services import MembershipError, join_request_decide, membership_request
from core.access import communities_of, editor_communities, is_staff
from core.api.views import MemberAPIView, ReaderAPIView, bad_request
from core.languages import content_language_codes
from core.visibility import user_can_view_page

MAX_RANGE_DAYS = 366
DEFAULT_DAYS = 28  # four weeks, like the group schedule page
SCHEDULE_PARAMETERS = ("start", "end", "space", "locale")

# Schedules, feeds, memberships, join requests -------------------------------------------------


class BadParameter(ValueError):
    pass


def _parse_date(request, name: str, default: date) -> date:
    if name not in request.GET:
        return default
    try:
        return date.fromisoformat(request.GET[name])
    except ValueError:
        raise BadParameter(
            _("“%(name)s” must be a date such as 2026-01-31.") % {"name": name}
        ) from None


def _schedule_window(request) -> tuple[date, date]:
    """`start` and `end` are both included: `?start=2027-01-26&end=2027-01-26` is that day."""
    unknown = sorted(set(request.GET) - set(SCHEDULE_PARAMETERS))
    if unknown:
        raise BadParameter(
            _("Unknown parameter “%(name)s”: use %(known)s.")
            % {"name": unknown[0][:40], "known": ", ".join(SCHEDULE_PARAMETERS)}
        )
    for name in SCHEDULE_PARAMETERS:
        if len(request.GET.getlist(name)) > 1:
            raise BadParameter(_("Give “%(name)s” once.") % {"name": name})
    start = _parse_date(request, "start", timezone.localdate())
    end = _parse_date(request, "end", start + timedelta(days=DEFAULT_DAYS - 1))
    if end < start:
        raise BadParameter(_("“end” must not be before “start”."))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise BadParameter(
            _("Ask for at most %(n)d days at a time (“start” to “end”).") % {"n": MAX_RANGE_DAYS}
        )
    locale = request.GET.get("locale")
    if locale is not None and locale not in content_language_codes():
        raise BadParameter(
            _("“locale” must be one of: %(codes)s.")
            % {"codes": ", ".join(content_language_codes())}
        )
    if request.GET.get("space") == "":
        raise BadParameter(_("“space” must be a community or Common Ground slug."))
    return start, end


_GROUP = inline_serializer(
    "ScheduleGroup",
    {
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "locale": serializers.ChoiceField(content_language_codes()),
        "html_url": serializers.URLField(),
    },
)
_MEETINGS = inline_serializer(
    "ScheduleMeeting",
    many=True,
    fields={
        "start": serializers.DateTimeField(help_text="Local time with its UTC offset."),
        "end": serializers.DateTimeField(),
        "group": _GROUP,
    },
)
_SCHEDULE = inline_serializer(
    "Schedule",
    {
        "start": serializers.DateField(),
        "end": serializers.DateField(help_text="Included: the last day asked for."),
        "items": _MEETINGS,
    },
)
_MESSAGE = inline_serializer("ScheduleError", {"message": serializers.CharField()})


class ScheduleView(ReaderAPIView):
    """Meetings of the support groups you may see, on the days from `start` to `end`.

    Both dates are included (a one-day window has `start` equal to `end`); the days are each
    group's local dates. See docs/api.md and docs/feeds.md.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day. Default: today."),
            OpenApiParameter(
                "end",
                OpenApiTypes.DATE,
                description=f"Last day, included; not before start, at most {MAX_RANGE_DAYS} "
                f"days in all. Default: start + {DEFAULT_DAYS - 1} days (four weeks).",
            ),
            OpenApiParameter(
                "space",
                str,
                pattern=r"^[-a-zA-Z0-9_]+$",
                description="A community or Common Ground slug. Unknown or not yours: 404.",
            ),
            OpenApiParameter(
                "locale",
                str,
                enum=content_language_codes(),
                description="Only groups in this language.",
            ),
        ],
        responses={200: _SCHEDULE, 400: _MESSAGE, 401: _MESSAGE, 404: _MESSAGE},
        tags=["schedules"],
    )
    def get(self, request):
        # The API is outside the language prefix, so its messages follow the asker's
        # Accept-Language (or language cookie), as a localized client expects.
        with translation.override(translation.get_language_from_request(request)):
            response = self._answer(request)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    def _answer(self, request):
        try:
            start, end = _schedule_window(request)
        except BadParameter as error:
            return bad_request(str(error))
        slug = request.GET.get("space")
        if slug:
            space = space_by_slug(slug)
            if space is None or not user_can_view_page(request.user, space):
                return Response({"message": _("Not found.")}, status=HTTPStatus.NOT_FOUND)
            groups = support_groups_visible(request.user, space)
        else:
            groups = support_groups_visible(request.user, Page.get_first_root_node())
        if request.GET.get("locale"):
            groups = groups.filter(locale__language_code=request.GET["locale"])
        groups = groups.select_related("locale")
        meetings = []
        after_end = end + timedelta(days=1)
        for group in groups:
            for occurrence in schedules.occurrences(group.schedule(), start, after_end):
                meetings.append(
                    {
                        "start": occurrence.start.isoformat(),
                        "end": occurrence.end.isoformat(),
                        "group": {
                            "id": group.pk,
                            "title": group.title,
                            "locale": group.locale.language_code,
                            "html_url": group.get_full_url(request),
                        },
                    }
                )
        meetings.sort(key=lambda m: (m["start"], m["group"]["title"]))
        return Response({"start": start.isoformat(), "end": end.isoformat(), "items": meetings})


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
