"""My drafts through the API: /api/v2/drafts/ (docs/api.md, "Drafts and reviews").

Thin wrappers around `services.drafts` and `selectors.drafts`: who may write where, edit, submit
or withdraw is theirs (the admin's rules). A draft that is not the requester's (created or
co-written, in a space they may still see) answers 404 exactly like a missing id; a service's
`ValidationError` answers 400 naming the field, `DraftConflict` 409, `PermissionDenied` 403.
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.response import Response
from wagtail.models import Page

from core.api.views import MemberAPIView
from workflows.api.representation import People, draft_data, page_content
from workflows.selectors.drafts import (
    draft_of,
    drafts_of,
    names_visible_to,
    review_summaries,
)
from workflows.services.draft_input import first_error
from workflows.services.drafts import (
    DraftConflict,
    draft_create,
    draft_submit,
    draft_update,
    draft_withdraw,
)

TAGS = ["drafts"]
MAX_LIMIT = 100
DEFAULT_LIMIT = 20

EXAMPLE_GUIDE = {
    "type": "resources.GuidePage",
    "parent": 12,
    "title": "Getting through the first week",
    "summary": "What helped us in the first days.",
    "content_note": "Mentions death by overdose.",
    "support_types": ["emotional"],
    "body": [
        {"type": "paragraph", "value": "<p>The first days are a blur.</p>"},
        {"type": "steps", "value": [{"title": "Eat something", "text": ""}]},
        {"type": "quote", "value": {"quote": "One hour at a time.", "attribution": "Ana"}},
        {"type": "crisis_line", "value": {"name": "988 Lifeline", "phone": "988"}},
        {"type": "figure", "value": {"image": {"id": 3}, "alt_text": "Candles", "caption": ""}},
    ],
}
EXAMPLE_DRAFT = {
    "id": 57,
    "type": "resources.GuidePage",
    "title": "Getting through the first week",
    "space": "bereaved",
    "parent": {"id": 12, "title": "Peer-support guides"},
    "state": "changes_requested",
    "live": False,
    "comment": "Please add a crisis line.",
    "decisions": [
        {
            "reviewer": "Bea",
            "decision": "changes_requested",
            "comment": "Please add a crisis line.",
            "at": "2026-12-01T10:02:00+00:00",
        }
    ],
    "approvals": None,
    "created_at": "2026-12-01T09:00:00+00:00",
    "updated_at": "2026-12-01T09:30:00+00:00",
    "submitted_at": "2026-12-01T09:31:00+00:00",
    "decided_at": "2026-12-01T10:02:00+00:00",
    "published_at": None,
    "revision_id": 301,
    "may_edit": True,
    "may_submit": True,
    "may_withdraw": True,
    "url": "/api/v2/drafts/57/",
}
ERROR_400 = OpenApiExample(
    "Bad input",
    value={
        "message": "body[2].value.image: No file with this id.",
        "field": "body[2].value.image",
        "errors": {"body[2].value.image": ["No file with this id."]},
    },
    response_only=True,
    status_codes=["400"],
)


def not_found() -> Response:
    return Response({"message": _("Not found.")}, status=HTTPStatus.NOT_FOUND)


def refused(error: Exception) -> Response:
    """The answer for a service's refusal: 400 naming the field, 409, or 403."""
    if isinstance(error, ValidationError):
        field, message = first_error(error)
        errors = error.message_dict if hasattr(error, "error_dict") else {}
        return Response(
            {"message": message, "field": field, "errors": errors},
            status=HTTPStatus.BAD_REQUEST,
        )
    if isinstance(error, DraftConflict):
        return Response({"message": error.message}, status=HTTPStatus.CONFLICT)
    message = " ".join(getattr(error, "args", ())) or _("You may not do this.")
    return Response({"message": message}, status=HTTPStatus.FORBIDDEN)


def data_of(request) -> dict | None:
    return request.data if isinstance(request.data, dict) else None


def paging(request) -> tuple[int, int] | Response:
    try:
        limit = int(request.GET.get("limit", DEFAULT_LIMIT))
        offset = int(request.GET.get("offset", 0))
    except ValueError:
        return Response({"message": _("limit and offset are whole numbers.")}, status=400)
    if not (1 <= limit <= MAX_LIMIT) or not (0 <= offset <= 1_000_000):
        return Response(
            {"message": _("limit is 1 to %(max)d; offset 0 or more.") % {"max": MAX_LIMIT}},
            status=HTTPStatus.BAD_REQUEST,
        )
    return limit, offset


def paged(request, queryset, listed) -> Response:
    """One page of a listing, `{"meta": {"total_count"}, "items"}`; `listed` presents the slice."""
    page_or_error = paging(request)
    if isinstance(page_or_error, Response):
        return page_or_error
    limit, offset = page_or_error
    return Response(
        {
            "meta": {"total_count": queryset.count()},
            "items": listed(queryset[offset : offset + limit]),
        }
    )


def parents_of(pages) -> dict:
    paths = {page.path[: -page.steplen] for page in pages}
    return {parent.path: parent for parent in Page.objects.filter(path__in=paths)}


def drafts_listed(user, pages, request) -> list[dict]:
    """My drafts' representations, in a constant number of queries."""
    summaries = review_summaries(pages)
    people = People(
        names_visible_to(user, [d.reviewer for s in summaries.values() for d in s.decisions])
    )
    parents = parents_of(pages)
    return [
        draft_data(page, summaries[page.pk], user=user, people=people, parents=parents)
        for page in pages
    ]


def one_draft(request, page) -> dict:
    data = drafts_listed(request.user, [page], request)[0]
    data["content"] = page_content(page.get_latest_revision_as_object(), request)
    return data


class DraftListView(MemberAPIView):
    """The guides and resources you created or co-wrote, newest change first; write a new one."""

    @extend_schema(
        operation_id="drafts_list",
        summary="Your drafts, with their review state, the editors' decisions and timestamps.",
        parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        responses=OpenApiTypes.OBJECT,
        examples=[
            OpenApiExample(
                "Your drafts",
                value={"meta": {"total_count": 1}, "items": [EXAMPLE_DRAFT]},
                response_only=True,
            )
        ],
        tags=TAGS,
    )
    def get(self, request):
        return paged(
            request,
            drafts_of(request.user),
            lambda queryset: drafts_listed(request.user, list(queryset.specific()), request),
        )

    @extend_schema(
        operation_id="drafts_create",
        summary="Write a new guide or resource: an unpublished draft, as in the admin.",
        description=(
            "`type` is `resources.GuidePage` or `resources.ResourcePage`; `parent` the id of "
            "the section (guides or resource library) of a space you belong to. The other "
            "fields are the type's, in the shape the pages endpoint returns them. Bad input is "
            "400 naming the field, and nothing is created."
        ),
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample("A guide", value=EXAMPLE_GUIDE, request_only=True),
            OpenApiExample(
                "A resource",
                value={
                    "type": "resources.ResourcePage",
                    "parent": 11,
                    "title": "Peer line",
                    "summary": "Call a peer, any evening.",
                    "kind": "phone",
                    "phone": "555-0100",
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
        fields = {k: v for k, v in data.items() if k not in ("type", "parent")}
        try:
            page = draft_create(
                user=request.user,
                page_type=data.get("type"),
                parent_id=data.get("parent"),
                data=fields,
            )
        except (ValidationError, PermissionDenied, DraftConflict) as error:
            return refused(error)
        return Response(one_draft(request, page), status=HTTPStatus.CREATED)


class DraftDetailView(MemberAPIView):
    """One of your drafts, with its latest text (`content`); change it while it is not in
    review."""

    @extend_schema(
        operation_id="drafts_detail",
        summary="One of your drafts, with its latest text in `content`.",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def get(self, request, page_id: int):
        page = draft_of(request.user, page_id)
        if page is None:
            return not_found()
        return Response(one_draft(request, page))

    @extend_schema(
        operation_id="drafts_update",
        summary="Change a draft: a new revision. 409 while it is in review.",
        request=OpenApiTypes.OBJECT,
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
        examples=[
            OpenApiExample(
                "New summary",
                value={"summary": "What helped us in the first days and weeks."},
                request_only=True,
            ),
            OpenApiExample(
                "In review",
                value={"message": "This draft is being reviewed: withdraw it first."},
                response_only=True,
                status_codes=["409"],
            ),
            ERROR_400,
        ],
        tags=TAGS,
    )
    def patch(self, request, page_id: int):
        page = draft_of(request.user, page_id)
        if page is None:
            return not_found()
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        try:
            draft_update(user=request.user, page=page, data=data)
        except (ValidationError, PermissionDenied, DraftConflict) as error:
            return refused(error)
        return Response(one_draft(request, draft_of(request.user, page_id)))


class DraftSubmitView(MemberAPIView):
    """Send the draft to your space's elected editors (again, after they requested changes)."""

    @extend_schema(
        operation_id="drafts_submit",
        request=None,
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def post(self, request, page_id: int):
        return _act(request, page_id, draft_submit)


class DraftWithdrawView(MemberAPIView):
    """Take the draft back from review: it is a draft again, and you may edit it."""

    @extend_schema(
        operation_id="drafts_withdraw",
        request=None,
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def post(self, request, page_id: int):
        return _act(request, page_id, draft_withdraw)


def _act(request, page_id: int, service) -> Response:
    page = draft_of(request.user, page_id)
    if page is None:
        return not_found()
    try:
        service(user=request.user, page=page)
    except (ValidationError, PermissionDenied, DraftConflict) as error:
        return refused(error)
    return Response(one_draft(request, draft_of(request.user, page_id)))


# Mounted at /api/v2/ by config/api.py.
urlpatterns = [
    path("drafts/", DraftListView.as_view(), name="api_drafts"),
    path("drafts/<int:page_id>/", DraftDetailView.as_view(), name="api_draft"),
    path("drafts/<int:page_id>/submit/", DraftSubmitView.as_view(), name="api_draft_submit"),
    path("drafts/<int:page_id>/withdraw/", DraftWithdrawView.as_view(), name="api_draft_withdraw"),
]
