"""Reviews through the API: /api/v2/reviews/ (docs/api.md, "Drafts and reviews").

The drafts waiting for the requester as an elected editor (their communities' spaces and Common
Ground), each with the exact text under review, and the two decisions. Thin wrappers around
`selectors.drafts` and `services.review` (the same service the admin's buttons call): who may
decide, the quorum, a reviewer who changed the text, a review already decided, are the
service's. A draft not waiting for the requester answers 404 exactly like a missing id; a
refusal answers 403 (not yours to decide) or 409 (already decided, or changed since read).
"""

from __future__ import annotations

from http import HTTPStatus

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.response import Response
from wagtail.models import Page

from core.api.views import MemberAPIView
from workflows.api.drafts import data_of, not_found, paged, parents_of
from workflows.api.representation import People, page_content, review_data
from workflows.selectors.drafts import (
    names_visible_to,
    review_of,
    review_summaries,
    reviewed_page,
    reviews_for,
)
from workflows.services.review import ReviewRefused, review_approve, review_request_changes

TAGS = ["reviews"]
FORBIDDEN_CODES = {"not_reviewer", "author", "not_allowed"}
BAD_REQUEST_CODES = {"comment_required"}

EXAMPLE_REVIEW = {
    "id": 57,
    "type": "resources.GuidePage",
    "title": "Getting through the first week",
    "space": "bereaved",
    "parent": {"id": 12, "title": "Peer-support guides"},
    "submitted_by": "Ana",
    "submitted_at": "2026-12-01T09:31:00+00:00",
    "revision_id": 301,
    "revision_created_at": "2026-12-01T09:30:00+00:00",
    "live": False,
    "approvals": {"count": 0, "quorum": 1},
    "approved_by_me": False,
    "may_decide": True,
    "url": "/api/v2/reviews/57/",
}
DECISION = {
    "comment": "Thank you: clear and kind.",
    "revision_id": 301,
}


def reviews_listed(user, task_states) -> list[dict]:
    """Representations of the drafts behind these task states, in a constant number of
    queries."""
    ids = [int(t.workflow_state.object_id) for t in task_states]
    found = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific()}
    pages = [found[pk] for pk in ids if pk in found]
    summaries = review_summaries(pages)
    people = People(
        names_visible_to(
            user,
            [s.workflow_state.requested_by for s in summaries.values() if s.workflow_state]
            + [d.reviewer for s in summaries.values() for d in s.decisions],
        )
    )
    parents = parents_of(pages)
    return [
        review_data(page, summaries[page.pk], user=user, people=people, parents=parents)
        for page in pages
    ]


def refused(error: ReviewRefused) -> Response:
    if error.code in FORBIDDEN_CODES:
        status = HTTPStatus.FORBIDDEN
    elif error.code in BAD_REQUEST_CODES:
        return Response(
            {"message": f"comment: {error.message}", "field": "comment"},
            status=HTTPStatus.BAD_REQUEST,
        )
    else:
        status = HTTPStatus.CONFLICT
    return Response({"message": error.message, "code": error.code}, status=status)


class ReviewListView(MemberAPIView):
    """The drafts waiting for your review as an elected editor (your communities only)."""

    @extend_schema(
        operation_id="reviews_list",
        summary="Drafts waiting for your review, newest submission first.",
        parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        responses=OpenApiTypes.OBJECT,
        examples=[
            OpenApiExample(
                "Waiting for you",
                value={"meta": {"total_count": 1}, "items": [EXAMPLE_REVIEW]},
                response_only=True,
            )
        ],
        tags=TAGS,
    )
    def get(self, request):
        return paged(
            request,
            reviews_for(request.user),
            lambda task_states: reviews_listed(request.user, list(task_states)),
        )


class ReviewDetailView(MemberAPIView):
    """One draft waiting for your review, with the exact text that approving publishes."""

    @extend_schema(
        operation_id="reviews_detail",
        summary="A draft waiting for your review; `content` is the text under review.",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def get(self, request, page_id: int):
        found = review_of(request.user, page_id)
        if found is None:
            return not_found()
        page, task_state = found
        data = reviews_listed(request.user, [task_state])[0]
        data["content"] = page_content(page.get_latest_revision_as_object(), request)
        return Response(data)


def _decide(request, page_id: int, decide) -> Response:
    found = review_of(request.user, page_id)
    if found is None:
        if reviewed_page(request.user, page_id) is not None:
            # A second click, another tab, another editor: told, never a 404 or a 500.
            return Response(
                {
                    "message": _("This review has already been decided: nothing was changed."),
                    "code": "decided",
                },
                status=HTTPStatus.CONFLICT,
            )
        return not_found()
    page, _task_state = found
    data = data_of(request)
    if data is None:
        return Response({"message": _("Send a JSON object.")}, status=HTTPStatus.BAD_REQUEST)
    comment = data.get("comment", "")
    if not isinstance(comment, str) or len(comment) > 2000:
        return Response(
            {"message": _("comment: text of at most 2,000 characters."), "field": "comment"},
            status=HTTPStatus.BAD_REQUEST,
        )
    revision_id = data.get("revision_id")
    if revision_id is not None and (not isinstance(revision_id, int) or revision_id < 1):
        return Response(
            {"message": _("revision_id: the id of the revision you read."), "field": "revision_id"},
            status=HTTPStatus.BAD_REQUEST,
        )
    try:
        outcome = decide(page=page, user=request.user, comment=comment, revision_id=revision_id)
    except ReviewRefused as error:
        return refused(error)
    return Response(
        {
            "id": page.pk,
            "decision": outcome.task_state.status,
            "published": outcome.published,
            "approvals": {"count": outcome.approvals, "quorum": outcome.quorum},
        }
    )


def _approve(*, page, user, comment, revision_id):
    return review_approve(page=page, user=user, comment=comment, revision_id=revision_id)


def _request_changes(*, page, user, comment, revision_id):
    if not comment.strip():
        # The admin's modal leaves it optional; here the author must be told what to change.
        raise ReviewRefused(
            _("Say what should change: the comment is required."), code="comment_required"
        )
    return review_request_changes(page=page, user=user, comment=comment)


_DECISION_RESPONSES = {
    200: OpenApiTypes.OBJECT,
    400: OpenApiTypes.OBJECT,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    409: OpenApiTypes.OBJECT,
}


class ApproveView(MemberAPIView):
    """Approve the text under review. With `revision_id` (the one you read), a text changed
    since is refused (409). When enough editors approve (the quorum), it is published."""

    @extend_schema(
        operation_id="reviews_approve",
        request=OpenApiTypes.OBJECT,
        responses=_DECISION_RESPONSES,
        examples=[
            OpenApiExample("Approve", value=DECISION, request_only=True),
            OpenApiExample(
                "Published",
                value={
                    "id": 57,
                    "decision": "approved",
                    "published": True,
                    "approvals": {"count": 1, "quorum": 1},
                },
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Already decided",
                value={
                    "message": "This review has already been decided: nothing was changed.",
                    "code": "decided",
                },
                response_only=True,
                status_codes=["409"],
            ),
        ],
        tags=TAGS,
    )
    def post(self, request, page_id: int):
        return _decide(request, page_id, _approve)


class RequestChangesView(MemberAPIView):
    """Send the draft back to its author with a `comment` saying what should change."""

    @extend_schema(
        operation_id="reviews_request_changes",
        request=OpenApiTypes.OBJECT,
        responses=_DECISION_RESPONSES,
        examples=[
            OpenApiExample(
                "Request changes",
                value={"comment": "Please add a crisis line."},
                request_only=True,
            )
        ],
        tags=TAGS,
    )
    def post(self, request, page_id: int):
        return _decide(request, page_id, _request_changes)


# Mounted at /api/v2/ by config/api.py.
urlpatterns = [
    path("reviews/", ReviewListView.as_view(), name="api_reviews"),
    path("reviews/<int:page_id>/", ReviewDetailView.as_view(), name="api_review"),
    path("reviews/<int:page_id>/approve/", ApproveView.as_view(), name="api_review_approve"),
    path(
        "reviews/<int:page_id>/request-changes/",
        RequestChangesView.as_view(),
        name="api_review_request_changes",
    ),
]
