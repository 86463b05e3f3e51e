"""Gatherings through the API: /api/v2/gatherings/ (docs/api.md, "Gatherings").

The list holds the upcoming gatherings of the spaces the caller is in (`?space=<slug>` narrows
it); a gathering in a space the caller is not in answers the JSON 404 of a missing id, and
naming such a space when creating answers exactly as naming one that does not exist. The exact
address is in `address` only for those who may see it (`selectors.sees_address`); everyone else
gets `""` and `address_for_coming_only: true`. A listing page costs the same number of queries
whatever the number of gatherings (tests/bench/gatherings.py).
"""

from __future__ import annotations

from datetime import date, time
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.response import Response
from wagtail.admin.utils import get_user_display_name

from core.api.views import MemberAPIView
from workflows import spaces
from workflows.api.drafts import data_of, not_found, paged, refused
from workflows.gatherings import selectors, services
from workflows.proposals.selectors import proposal_for

TAGS = ["gatherings"]
EXAMPLE = {
    "id": 12,
    "space": "bereaved",
    "kind": "potluck",
    "title": "Spring potluck",
    "description": "Just to get out and enjoy a few hours.",
    "starts_at": "2027-04-17T17:00:00-04:00",
    "ends_at": "2027-04-17T20:00:00-04:00",
    "time_zone": "America/New_York",
    "area": "Riverside",
    "address": "",
    "address_for_coming_only": True,
    "capacity": 20,
    "coming": 20,
    "maybe": 3,
    "waiting": 2,
    "my_answer": "waiting",
    "organiser": "Rosa",
    "cancelled": False,
    "series": 4,
    "proposal": 7,
    "url": "/api/v2/gatherings/12/",
    "html_url": "/gatherings/bereaved/12/",
}
EXAMPLE_DETAIL = {
    **EXAMPLE,
    "bring_list": [{"id": 3, "what": "Salad", "claimed_by": "Ana", "mine": False}],
    "other_dates": [{"id": 13, "starts_at": "2027-08-21T17:00:00-04:00"}],
}
ERROR_400 = OpenApiExample(
    "Bad input",
    value={"message": "Give the date.", "field": "date", "errors": {"date": ["Give the date."]}},
    response_only=True,
    status_codes=["400"],
)


def gathering_data(gathering, *, user, answer) -> dict:
    return {
        "id": gathering.pk,
        "space": gathering.space.slug,
        "kind": gathering.kind,
        "title": gathering.title,
        "description": gathering.description,
        "starts_at": gathering.local_start.isoformat(),
        "ends_at": gathering.local_end.isoformat() if gathering.ends_at else None,
        "time_zone": gathering.time_zone,
        "area": gathering.area,
        "address": selectors.address_for(user, gathering, answer=answer),
        "address_for_coming_only": gathering.address_for_coming_only,
        "capacity": gathering.capacity,
        "coming": gathering.coming,
        "maybe": gathering.maybe,
        "waiting": gathering.waiting,
        "my_answer": answer,
        "organiser": get_user_display_name(gathering.organiser)
        if gathering.organiser
        else _("a former member"),
        "cancelled": gathering.cancelled_at is not None,
        "series": gathering.series_id,
        "proposal": gathering.proposal_id,
        "url": reverse("api_gathering", args=[gathering.pk]),
        "html_url": reverse("gathering", args=[gathering.space.slug, gathering.pk]),
    }


def listed(user, gatherings) -> list[dict]:
    gatherings = list(gatherings)
    answers = selectors.answers_of(user, gatherings)
    return [gathering_data(g, user=user, answer=answers.get(g.pk)) for g in gatherings]


def one(user, gathering) -> dict:
    rsvp = selectors.rsvp_of(user, gathering)
    data = gathering_data(gathering, user=user, answer=rsvp.answer if rsvp else None)
    data["bring_list"] = [
        {
            "id": item.pk,
            "what": item.what,
            "claimed_by": get_user_display_name(item.claimed_by) if item.claimed_by else None,
            "mine": item.claimed_by_id == user.pk,
        }
        for item in selectors.bring_items(gathering)
    ]
    data["other_dates"] = [
        {"id": other.pk, "starts_at": other.local_start.isoformat()}
        for other in selectors.occurrences(gathering)
    ]
    return data


def _parsed(data: dict) -> dict:
    """The service's input from JSON: dates and times parsed, a 400 naming a bad one."""
    values = dict(data)
    for name, parse in (
        ("date", date.fromisoformat),
        ("start_time", time.fromisoformat),
        ("end_time", time.fromisoformat),
    ):
        raw = values.get(name)
        if raw in (None, ""):
            values[name] = None
            continue
        try:
            values[name] = parse(str(raw))
        except ValueError as error:
            raise ValidationError({name: [_("Not a valid date or time.")]}) from error
    also_on = values.get("also_on") or []
    if not isinstance(also_on, list):
        raise ValidationError({"also_on": [_("A list of dates.")]})
    try:
        values["also_on"] = [date.fromisoformat(str(raw)) for raw in also_on]
    except ValueError as error:
        raise ValidationError({"also_on": [_("Not a valid date or time.")]}) from error
    bring = values.get("bring_list") or []
    if not isinstance(bring, list) or not all(isinstance(item, str) for item in bring):
        raise ValidationError({"bring_list": [_("A list of things to bring.")]})
    capacity = values.get("capacity")
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)):
        raise ValidationError({"capacity": [_("A whole number, or null for no limit.")]})
    if "address_for_coming_only" in values and not isinstance(
        values["address_for_coming_only"], bool
    ):
        raise ValidationError({"address_for_coming_only": [_("true or false.")]})
    return values


class GatheringListView(MemberAPIView):
    @extend_schema(
        operation_id="gatherings_list",
        summary="Upcoming gatherings in your spaces, soonest first.",
        parameters=[
            OpenApiParameter("space", str, description="Only this space's (its slug)."),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses=OpenApiTypes.OBJECT,
        examples=[
            OpenApiExample(
                "Gatherings",
                value={"meta": {"total_count": 1}, "items": [EXAMPLE]},
                response_only=True,
            )
        ],
        tags=TAGS,
    )
    def get(self, request):
        queryset = selectors.upcoming_visible_to(request.user)
        slug = request.GET.get("space")
        if slug is not None:
            space = spaces.space_of(request.user, slug)
            queryset = queryset.filter(space=space) if space else queryset.none()
        queryset = queryset.select_related("space", "organiser")
        return paged(request, queryset, lambda page: listed(request.user, page))

    @extend_schema(
        operation_id="gatherings_create",
        summary="Organise a gathering in a space you are in (several dates: a series).",
        description=(
            "`date` YYYY-MM-DD, `start_time`/`end_time` HH:MM, wall-clock in `time_zone`; "
            "`also_on` more dates (each its own RSVPs); `bring_list` things to bring; "
            "`proposal` the id of the proposal it comes from. Bad input is 400 naming the "
            "field, and nothing is created. Everyone else in the space is notified."
        ),
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "A potluck three times a year",
                value={
                    "space": "bereaved",
                    "kind": "potluck",
                    "title": "Spring potluck",
                    "date": "2027-04-17",
                    "start_time": "17:00",
                    "end_time": "20:00",
                    "time_zone": "America/New_York",
                    "area": "Riverside",
                    "address": "12 Elm Street",
                    "address_for_coming_only": True,
                    "capacity": 20,
                    "bring_list": ["Salad", "Bread"],
                    "also_on": ["2027-08-21", "2027-12-11"],
                },
                request_only=True,
            ),
            ERROR_400,
        ],
        tags=TAGS,
    )
    def post(self, request):
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        space = spaces.space_of(request.user, data.get("space"))
        if space is None:
            return refused(ValidationError({"space": [_("There is no such space.")]}))
        proposal = None
        if data.get("proposal") is not None:
            proposal = proposal_for(request.user, data["proposal"], space=space)
            if proposal is None:
                return refused(ValidationError({"proposal": [_("There is no such proposal.")]}))
        try:
            made = services.gathering_create(
                user=request.user, space=space, data=_parsed(data), proposal=proposal
            )
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        gathering = selectors.gathering_for(request.user, made[0].pk)
        return Response(one(request.user, gathering), status=HTTPStatus.CREATED)


class GatheringDetailView(MemberAPIView):
    @extend_schema(
        operation_id="gatherings_detail",
        summary="One gathering, with its bring-list and the series' other dates.",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("A gathering", value=EXAMPLE_DETAIL, response_only=True)],
        tags=TAGS,
    )
    def get(self, request, gathering_id: int):
        gathering = selectors.gathering_for(request.user, gathering_id)
        if gathering is None:
            return not_found()
        return Response(one(request.user, gathering))


class GatheringRsvpView(MemberAPIView):
    @extend_schema(
        operation_id="gatherings_rsvp",
        summary="Answer yes, maybe or no. Yes when full puts you on the waiting list.",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("Coming", value={"answer": "yes"}, request_only=True)],
        tags=TAGS,
    )
    def post(self, request, gathering_id: int):
        gathering = selectors.gathering_for(request.user, gathering_id)
        if gathering is None:
            return not_found()
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        try:
            services.rsvp_set(user=request.user, gathering=gathering, answer=data.get("answer"))
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        return Response(one(request.user, selectors.gathering_for(request.user, gathering_id)))


class GatheringBringView(MemberAPIView):
    @extend_schema(
        operation_id="gatherings_bring",
        summary="The bring-list: add a thing, claim one nobody brings, or give yours back.",
        description='`{"action": "add", "what": …}`, or `{"action": "claim" | '
        '"unclaim", "item": <id>}`. Someone else\'s claim is 400, nothing changed.',
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("Claim", value={"action": "claim", "item": 3}, request_only=True)],
        tags=TAGS,
    )
    def post(self, request, gathering_id: int):
        gathering = selectors.gathering_for(request.user, gathering_id)
        if gathering is None:
            return not_found()
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        action, item = data.get("action"), data.get("item")
        try:
            if action == "add":
                services.bring_item_add(
                    user=request.user, gathering=gathering, what=data.get("what")
                )
            elif action in ("claim", "unclaim") and isinstance(item, int):
                services.bring_item_claim(
                    user=request.user, gathering=gathering, item_id=item, claim=action == "claim"
                )
            else:
                raise ValidationError({"action": [_("Choose a thing to bring.")]})
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        return Response(one(request.user, selectors.gathering_for(request.user, gathering_id)))


urlpatterns = [
    path("gatherings/", GatheringListView.as_view(), name="api_gatherings"),
    path("gatherings/<int:gathering_id>/", GatheringDetailView.as_view(), name="api_gathering"),
    path(
        "gatherings/<int:gathering_id>/rsvp/",
        GatheringRsvpView.as_view(),
        name="api_gathering_rsvp",
    ),
    path(
        "gatherings/<int:gathering_id>/bring/",
        GatheringBringView.as_view(),
        name="api_gathering_bring",
    ),
]
