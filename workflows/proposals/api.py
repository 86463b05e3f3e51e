"""Proposals through the API: /api/v2/proposals/ (docs/api.md, "Proposals").

The list holds the proposals of the spaces the caller is in (`?space=<slug>` narrows it,
`?open=true` keeps the open ones); a proposal in a space the caller is not in answers the JSON
404 of a missing id; naming such a space when proposing answers as naming a missing one.
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.response import Response
from wagtail.admin.utils import get_user_display_name

from core.api.views import MemberAPIView
from workflows import spaces
from workflows.api.drafts import data_of, not_found, paged, refused
from workflows.proposals import selectors, services

TAGS = ["proposals"]
EXAMPLE = {
    "id": 7,
    "space": "bereaved",
    "title": "A potluck three times a year",
    "text": "Let us meet in April, August and December.",
    "version": 2,
    "proposer": "Rosa",
    "created_at": "2027-03-01T10:00:00+00:00",
    "closes_at": "2027-03-08T10:00:00+00:00",
    "is_open": False,
    "outcome": "agreed",
    "counts": {"agree": 5, "abstain": 1, "disagree": 1, "block": 0},
    "my_response": {"position": "agree", "reason": "", "older_text": True},
    "url": "/api/v2/proposals/7/",
    "html_url": "/proposals/bereaved/7/",
}
EXAMPLE_DETAIL = {
    **EXAMPLE,
    "responses": [
        {"name": "Ana", "position": "disagree", "reason": "I work weekends.", "older_text": False}
    ],
}


def _moment(raw) -> datetime | None:
    """An ISO 8601 time, or None (the service then names the field)."""
    try:
        return datetime.fromisoformat(str(raw or ""))
    except ValueError:
        return None


def _mine(response, proposal) -> dict | None:
    if response is None:
        return None
    return {
        "position": response.position,
        "reason": response.reason,
        "older_text": response.version < proposal.version,
    }


def proposal_data(proposal, *, mine) -> dict:
    return {
        "id": proposal.pk,
        "space": proposal.space.slug,
        "title": proposal.title,
        "text": proposal.text,
        "version": proposal.version,
        "proposer": get_user_display_name(proposal.proposer)
        if proposal.proposer
        else _("a former member"),
        "created_at": proposal.created_at.isoformat(),
        "closes_at": proposal.closes_at.isoformat(),
        "is_open": proposal.is_open(),
        "outcome": selectors.outcome(proposal),
        "counts": selectors.counts(proposal),
        "my_response": _mine(mine, proposal),
        "url": reverse("api_proposal", args=[proposal.pk]),
        "html_url": reverse("proposal", args=[proposal.space.slug, proposal.pk]),
    }


def listed(user, proposals) -> list[dict]:
    proposals = list(proposals)
    mine = selectors.responses_of(user, proposals)
    return [proposal_data(p, mine=mine.get(p.pk)) for p in proposals]


def one(user, proposal) -> dict:
    data = proposal_data(proposal, mine=selectors.response_of(user, proposal))
    data["responses"] = [
        {
            "name": get_user_display_name(r.user) if r.user else _("a former member"),
            "position": r.position,
            "reason": r.reason,
            "older_text": r.version < proposal.version,
        }
        for r in selectors.responses(proposal)
    ]
    return data


class ProposalListView(MemberAPIView):
    @extend_schema(
        operation_id="proposals_list",
        summary="Proposals in your spaces, the latest closing first.",
        parameters=[
            OpenApiParameter("space", str, description="Only this space's (its slug)."),
            OpenApiParameter("open", bool, description="true: only the open ones."),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses=OpenApiTypes.OBJECT,
        examples=[
            OpenApiExample(
                "Proposals",
                value={"meta": {"total_count": 1}, "items": [EXAMPLE]},
                response_only=True,
            )
        ],
        tags=TAGS,
    )
    def get(self, request):
        queryset = selectors.visible_to(request.user)
        slug = request.GET.get("space")
        if slug is not None:
            space = spaces.space_of(request.user, slug)
            queryset = queryset.filter(space=space) if space else queryset.none()
        only_open = request.GET.get("open")
        if only_open not in (None, "true", "false"):
            return Response({"message": _("open is true or false.")}, status=400)
        if only_open == "true":
            queryset = queryset.filter(closes_at__gt=timezone.now())
        return paged(request, queryset, lambda page: listed(request.user, page))

    @extend_schema(
        operation_id="proposals_create",
        summary="Propose in a space you are in (if its setting lets you).",
        description=(
            "`closes_at` an ISO 8601 time with its offset, one hour to 90 days ahead. Bad "
            "input is 400 naming the field; a space where only editors propose is 403."
        ),
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "A proposal",
                value={
                    "space": "bereaved",
                    "title": "A potluck three times a year",
                    "text": "Let us meet in April, August and December.",
                    "closes_at": "2027-03-08T10:00:00-05:00",
                },
                request_only=True,
            )
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
        try:
            proposal = services.proposal_create(
                user=request.user,
                space=space,
                title=data.get("title"),
                text=data.get("text"),
                closes_at=_moment(data.get("closes_at")),
            )
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        proposal = selectors.proposal_for(request.user, proposal.pk)
        return Response(one(request.user, proposal), status=HTTPStatus.CREATED)


class ProposalDetailView(MemberAPIView):
    @extend_schema(
        operation_id="proposals_detail",
        summary="One proposal, with every response and its reason.",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("A proposal", value=EXAMPLE_DETAIL, response_only=True)],
        tags=TAGS,
    )
    def get(self, request, proposal_id: int):
        proposal = selectors.proposal_for(request.user, proposal_id)
        if proposal is None:
            return not_found()
        return Response(one(request.user, proposal))

    @extend_schema(
        operation_id="proposals_revise",
        summary="The proposer revises the title and text while open (a new version).",
        description="Responses to the older text are marked `older_text`. Anyone but the "
        "proposer: 403; after the close: 400.",
        request=OpenApiTypes.OBJECT,
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
        tags=TAGS,
    )
    def patch(self, request, proposal_id: int):
        proposal = selectors.proposal_for(request.user, proposal_id)
        if proposal is None:
            return not_found()
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        try:
            services.proposal_revise(
                user=request.user,
                proposal=proposal,
                title=data.get("title", proposal.title),
                text=data.get("text", proposal.text),
            )
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        return Response(one(request.user, selectors.proposal_for(request.user, proposal_id)))


class WhoMayProposeView(MemberAPIView):
    @extend_schema(
        operation_id="proposals_who_may_propose",
        summary="Staff and a space's editors: who may propose there (everyone or editors).",
        description='`{"space": <slug>, "who_may_propose": "everyone" | '
        '"editors"}`. A space you are not in answers as one that does not exist; in it '
        "without being staff or its editor: 403.",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def post(self, request):
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        space = spaces.space_of(request.user, data.get("space"))
        if space is None:
            return refused(ValidationError({"space": [_("There is no such space.")]}))
        try:
            setting = services.who_may_propose_set(
                user=request.user, space=space, who=data.get("who_may_propose")
            )
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        return Response({"space": space.slug, "who_may_propose": setting.who_may_propose})


class ProposalRespondView(MemberAPIView):
    @extend_schema(
        operation_id="proposals_respond",
        summary="Respond (or change your response) while the proposal is open.",
        description="`position`: agree, abstain, disagree or block; `reason` required for the "
        "last two. After the closing time: 400, nothing counted.",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample("A block", value={"position": "block", "reason": "…"}, request_only=True)
        ],
        tags=TAGS,
    )
    def post(self, request, proposal_id: int):
        proposal = selectors.proposal_for(request.user, proposal_id)
        if proposal is None:
            return not_found()
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            return refused(ValidationError({"reason": [_("Say why you disagree or block.")]}))
        try:
            services.respond(
                user=request.user, proposal=proposal, position=data.get("position"), reason=reason
            )
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        return Response(one(request.user, selectors.proposal_for(request.user, proposal_id)))


urlpatterns = [
    path("proposals/", ProposalListView.as_view(), name="api_proposals"),
    path("proposals/who-may-propose/", WhoMayProposeView.as_view(), name="api_who_may_propose"),
    path("proposals/<int:proposal_id>/", ProposalDetailView.as_view(), name="api_proposal"),
    path(
        "proposals/<int:proposal_id>/respond/",
        ProposalRespondView.as_view(),
        name="api_proposal_respond",
    ),
]
