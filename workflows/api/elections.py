"""Elections through the API: thin wrappers around `services.elections` and
`selectors.elections`.

No election logic here: who may nominate, accept, vote, close or certify, and when, is the
services' (docs/elections.md). An election the requester may not read (`elections_visible_to`)
answers 404, like one that does not exist; a service's `ValidationError` answers 400 with its
message; `PermissionDenied` answers 403.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from community_pages.selectors import community_by_slug
from core.access import is_staff
from core.api.views import MemberAPIView, bad_request
from workflows.models import former_member_or_name
from workflows.selectors.elections import (
    candidates,
    election_results,
    elections_visible_to,
    nominations_of,
    user_has_voted,
    user_may_vote,
)
from workflows.services.elections import (
    ballot_cast,
    election_certify,
    election_close,
    election_create,
    nomination_create,
    nomination_respond,
)

TAGS = ["elections"]


def _not_found() -> Response:
    return Response({"message": _("Not found.")}, status=HTTPStatus.NOT_FOUND)


def _election(user, election_id: int):
    return elections_visible_to(user).filter(pk=election_id).first()


def _data(request) -> dict:
    return request.data if hasattr(request.data, "get") else {}


def _person(user) -> dict:
    """Someone named in an election: their display name, or a former member (no id)."""
    return {"id": getattr(user, "pk", None), "name": former_member_or_name(user)}


def _nomination_data(nomination) -> dict:
    return {
        "id": nomination.pk,
        "nominee": _person(nomination.nominee),
        "status": nomination.status,
        "statement": nomination.statement,
    }


def _election_data(election) -> dict:
    return {
        "id": election.pk,
        "community": election.community.slug,
        "seats": election.seats,
        "status": election.status,
        "phase": election.phase(),
        "nominations_open": election.nominations_open.isoformat(),
        "nominations_close": election.nominations_close.isoformat(),
        "voting_open": election.voting_open.isoformat(),
        "voting_close": election.voting_close.isoformat(),
        "term_days": election.term_days,
    }


def _results_data(results) -> dict | None:
    if results is None:
        return None
    return {
        "candidates": [
            {**_nomination_data(n), "votes": n.votes, "lot": n.lot, "elected": n.elected}
            for n in results["candidates"]
        ],
        "turnout": results["turnout"],
        "electorate": results["electorate"],
        "turnout_percent": results["turnout_percent"],
        "seed": results["seed"],
        "closed_at": results["closed_at"].isoformat() if results["closed_at"] else None,
        "certified_at": results["certified_at"].isoformat() if results["certified_at"] else None,
    }


_CREATE = inline_serializer(
    "ElectionCreate",
    {
        "community": serializers.SlugField(),
        "seats": serializers.IntegerField(),
        "nominations_open": serializers.DateTimeField(),
        "nominations_close": serializers.DateTimeField(),
        "voting_open": serializers.DateTimeField(),
        "voting_close": serializers.DateTimeField(),
        "term_days": serializers.IntegerField(),
    },
)


class ElectionListView(MemberAPIView):
    """Elections you may read (your communities' opened ones; staff: all). Staff create them."""

    @extend_schema(
        operation_id="elections_list",
        responses={200: {"type": "array", "items": {"type": "object"}}},
        tags=TAGS,
    )
    def get(self, request):
        return Response([_election_data(e) for e in elections_visible_to(request.user)])

    @extend_schema(
        request=_CREATE,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def post(self, request):
        if not is_staff(request.user):
            # Refused before anything is read: a non-staff caller learns nothing about which
            # community slugs exist or what a valid payload is.
            raise PermissionDenied
        data = _data(request)
        slug = data.get("community")
        community = community_by_slug(slug) if isinstance(slug, str) else None
        if community is None:
            return bad_request(_("Send “community”: the slug of a community."))
        moments = {}
        for name in ("nominations_open", "nominations_close", "voting_open", "voting_close"):
            value = data.get(name)
            moments[name] = parse_datetime(value) if isinstance(value, str) else None
            if moments[name] is None:
                return bad_request(
                    _("“%(name)s” must be a date and time with its zone.") % {"name": name}
                )
        election = election_create(
            community=community,
            seats=data.get("seats"),
            term_days=data.get("term_days"),
            by=request.user,
            **moments,
        )
        return Response(_election_data(election), status=HTTPStatus.CREATED)


class ElectionDetailView(MemberAPIView):
    """One election: its windows, candidates, your nomination, whether you may vote, results."""

    @extend_schema(
        operation_id="elections_detail",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def get(self, request, election_id: int):
        election = _election(request.user, election_id)
        if election is None:
            return _not_found()
        return Response(
            {
                **_election_data(election),
                "candidates": [_nomination_data(n) for n in candidates(election)],
                "my_nominations": [
                    _nomination_data(n)
                    for n in nominations_of(election=election, user=request.user)
                ],
                "has_voted": user_has_voted(request.user, election),
                "may_vote": user_may_vote(request.user, election),
                "results": _results_data(election_results(election)),
            }
        )


class NominateView(MemberAPIView):
    """Nominate a member of the community (or yourself: that is accepting at once)."""

    @extend_schema(
        request=inline_serializer("Nominate", {"nominee": serializers.IntegerField()}),
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def post(self, request, election_id: int):
        election = _election(request.user, election_id)
        if election is None:
            return _not_found()
        raw = _data(request).get("nominee")
        nominee = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            nominee = get_user_model().objects.filter(pk=raw).first()
        if nominee is None:
            return bad_request(_("Choose the member you nominate."))
        nomination = nomination_create(election=election, nominee=nominee, by=request.user)
        return Response(_nomination_data(nomination), status=HTTPStatus.CREATED)


class RespondView(MemberAPIView):
    """The nominee accepts (with a statement) or declines."""

    @extend_schema(
        request=inline_serializer(
            "NominationResponse",
            {"accept": serializers.BooleanField(), "statement": serializers.CharField()},
        ),
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def post(self, request, election_id: int, nomination_id: int):
        election = _election(request.user, election_id)
        nomination = election and election.nominations.filter(pk=nomination_id).first()
        if not nomination:
            return _not_found()
        data = _data(request)
        accept, statement = data.get("accept"), data.get("statement", "")
        if not isinstance(accept, bool) or not isinstance(statement, str):
            return bad_request(_("Send “accept” (true or false) and optionally “statement”."))
        nomination = nomination_respond(
            nomination=nomination, user=request.user, accept=accept, statement=statement
        )
        return Response(_nomination_data(nomination))


class VoteView(MemberAPIView):
    """Cast your secret approval ballot: the ids of the candidates you approve."""

    @extend_schema(
        request=inline_serializer(
            "Ballot", {"candidates": serializers.ListField(child=serializers.IntegerField())}
        ),
        responses={204: None, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def post(self, request, election_id: int):
        election = _election(request.user, election_id)
        if election is None:
            return _not_found()
        chosen = _data(request).get("candidates")
        if not isinstance(chosen, list) or not all(
            isinstance(pk, int) and not isinstance(pk, bool) for pk in chosen
        ):
            return bad_request(_("Send “candidates”: a list of candidate ids."))
        ballot_cast(election=election, voter=request.user, candidate_ids=chosen)
        return Response(status=HTTPStatus.NO_CONTENT)


class ResultsView(MemberAPIView):
    """The count, turnout and seed, once voting has closed (404 before)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}, tags=TAGS)
    def get(self, request, election_id: int):
        election = _election(request.user, election_id)
        results = election_results(election) if election else None
        if results is None:
            return _not_found()
        return Response(_results_data(results))


class CloseView(MemberAPIView):
    """Staff: end voting and publish the results."""

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT, tags=TAGS)
    def post(self, request, election_id: int):
        election = _election(request.user, election_id)
        if election is None:
            return _not_found()
        return Response(_election_data(election_close(election=election, by=request.user)))


class CertifyView(MemberAPIView):
    """Staff: the winners become the community's editors for their term."""

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT, tags=TAGS)
    def post(self, request, election_id: int):
        election = _election(request.user, election_id)
        if election is None:
            return _not_found()
        terms = election_certify(election=election, by=request.user)
        return Response({"editors": [_person(term.user) for term in terms]})


# Mounted at /api/v2/elections/ by config/api.py.
urlpatterns = [
    path("", ElectionListView.as_view(), name="api_elections"),
    path("<int:election_id>/", ElectionDetailView.as_view(), name="api_election"),
    path(
        "<int:election_id>/nominations/",
        NominateView.as_view(),
        name="api_election_nominate",
    ),
    path(
        "<int:election_id>/nominations/<int:nomination_id>/respond/",
        RespondView.as_view(),
        name="api_election_respond",
    ),
    path("<int:election_id>/vote/", VoteView.as_view(), name="api_election_vote"),
    path(
        "<int:election_id>/results/",
        ResultsView.as_view(),
        name="api_election_results",
    ),
    path("<int:election_id>/close/", CloseView.as_view(), name="api_election_close"),
    path(
        "<int:election_id>/certify/",
        CertifyView.as_view(),
        name="api_election_certify",
    ),
]
