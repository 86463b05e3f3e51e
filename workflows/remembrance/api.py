"""Remembrances through the API: /api/v2/remembrances/ (docs/community-tools.md, "Remembrance").

The list holds the remembrances in the communities the requester is in; a remembrance in a
community they are not in answers 404 exactly like a missing id, on every method. Only the
author changes or withdraws theirs. Every item starts with its `content_note`: a client lists
the note before the text, as the site does. Bad input is 400 naming the field, nothing changed.
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.response import Response

from core.api.views import MemberAPIView
from workflows import spaces
from workflows.api.drafts import data_of, not_found, paged, refused
from workflows.remembrance import selectors, services
from workflows.remembrance.models import Remembrance

TAGS = ["remembrances"]


EXAMPLE = {
    "id": 7,
    "content_note": "This is where members remember people they lost. It talks about death.",
    "space": "bereaved",
    "name": "Sam",
    "born": "1990-04-02",
    "died": None,
    "words": "My brother, who made everyone laugh.",
    "photo": {"id": 3, "title": "At the lake", "url": "/images/3/"},
    "photo_alt": "Sam at the lake, laughing",
    "shared_by": "Rosa",
    "mine": True,
    "hand_to_community": False,
    "remind_on": "born",
    "hidden": False,
    "hidden_reason": "",
    "created_at": "2026-12-01T09:00:00+00:00",
    "updated_at": "2026-12-01T09:00:00+00:00",
    "url": "/api/v2/remembrances/7/",
}
ERROR_400 = OpenApiExample(
    "Bad input",
    value={
        "message": "Choose an image of your community's collection.",
        "field": "photo",
        "errors": {"photo": ["Choose an image of your community's collection."]},
    },
    response_only=True,
    status_codes=["400"],
)


def _content_note() -> str:
    return _(
        "This is where members remember people they lost. It talks about death, and some "
        "deaths were from substance use. Read it when it feels right for you; you can leave at "
        "any time."
    )


def remembrance_data(user, item: Remembrance, *, moderator: bool) -> dict:
    mine = item.author_id is not None and item.author_id == user.pk
    shared_by = (
        (item.author.get_full_name() or _("a member")) if item.author else _("a former member")
    )
    return {
        "id": item.pk,
        "content_note": _content_note(),
        "space": item.space.slug,
        "name": item.name,
        "born": item.born.isoformat() if item.born else None,
        "died": item.died.isoformat() if item.died else None,
        "words": item.words,
        "photo": {"id": item.photo.pk, "title": item.photo.title, "url": item.photo.serve_url}
        if item.photo
        else None,
        "photo_alt": item.photo_alt,
        "shared_by": shared_by,
        "mine": mine,
        # The author's own choices: nobody else learns of a reminder or a hand-over.
        "hand_to_community": item.hand_to_community if mine else None,
        "remind_on": item.remind_on if mine else None,
        "hidden": item.hidden,
        "hidden_reason": item.hidden_reason if (mine or moderator) else "",
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "url": f"/api/v2/remembrances/{item.pk}/",
    }


def _listed(user, items) -> list[dict]:
    moderating = {}
    out = []
    for item in items:
        if item.space_id not in moderating:
            moderating[item.space_id] = spaces.may_moderate(user, item.space)
        out.append(remembrance_data(user, item, moderator=moderating[item.space_id]))
    return out


def _one(user, item) -> dict:
    return _listed(user, [item])[0]


class RemembranceListView(MemberAPIView):
    """The remembrances in the communities you are in; share a new one in one of them."""

    @extend_schema(
        operation_id="remembrances_list",
        summary="Remembrances in your communities, newest first; each starts with a content note.",
        parameters=[
            OpenApiParameter("space", str, description="Only this community (its slug)."),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "In your communities",
                value={"meta": {"total_count": 1}, "items": [EXAMPLE]},
                response_only=True,
            )
        ],
        tags=TAGS,
    )
    def get(self, request):
        items = selectors.remembrances_visible_to(request.user)
        slug = request.GET.get("space")
        if slug is not None:
            items = items.filter(space__slug=slug[:255])
        return paged(request, items, lambda page: _listed(request.user, page))

    @extend_schema(
        operation_id="remembrances_create",
        summary="Share a remembrance in a community you are in.",
        description=(
            "`space` is the slug of a community you are a member of. `name` and `words` are "
            "required; `born`, `died` (YYYY-MM-DD), `photo` (the id of an image of that "
            "community's own collection), `photo_alt`, `remind_on` (`born`, `died` or empty: "
            "a yearly reminder for you only) and `hand_to_community` (false unless you say so: "
            "it stays with the community if you delete your account) are optional."
        ),
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "A remembrance",
                value={"space": "bereaved", "name": "Sam", "words": "My brother."},
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
        slug = data.get("space")
        space, visible = (
            selectors.remembrance_space(request.user, slug)
            if isinstance(slug, str)
            else (None, False)
        )
        try:
            item = services.remembrance_create(
                user=request.user, space=space if visible else None, data=data
            )
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        return Response(_one(request.user, item), status=HTTPStatus.CREATED)


class RemembranceDetailView(MemberAPIView):
    """One remembrance in a community you are in; change yours."""

    @extend_schema(
        operation_id="remembrances_detail",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("One", value=EXAMPLE, response_only=True)],
        tags=TAGS,
    )
    def get(self, request, remembrance_id: int):
        item = selectors.remembrance_for(request.user, remembrance_id)
        if item is None:
            return not_found()
        return Response(_one(request.user, item))

    @extend_schema(
        operation_id="remembrances_update",
        summary="Change your remembrance: only the fields you send.",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample("New words", value={"words": "My brother, always."}, request_only=True),
            ERROR_400,
        ],
        tags=TAGS,
    )
    def patch(self, request, remembrance_id: int):
        item = selectors.remembrance_for(request.user, remembrance_id)
        if item is None or item.author_id != request.user.pk:
            return not_found()
        data = data_of(request)
        if data is None:
            return Response({"message": _("Send a JSON object.")}, status=400)
        data = {key: value for key, value in data.items() if key != "space"}
        try:
            services.remembrance_update(user=request.user, remembrance=item, data=data)
        except (ValidationError, PermissionDenied) as error:
            return refused(error)
        return Response(_one(request.user, selectors.remembrance_for(request.user, item.pk)))


class RemembranceWithdrawView(MemberAPIView):
    """Withdraw your remembrance: it is deleted, and nobody sees it any more."""

    @extend_schema(
        operation_id="remembrances_withdraw",
        request=None,
        responses={204: None, 404: OpenApiTypes.OBJECT},
        tags=TAGS,
    )
    def post(self, request, remembrance_id: int):
        item = selectors.remembrance_for(request.user, remembrance_id)
        if item is None or item.author_id != request.user.pk:
            return not_found()
        services.remembrance_withdraw(user=request.user, remembrance=item)
        return Response(status=HTTPStatus.NO_CONTENT)


# Mounted at /api/v2/ by config/api.py.
urlpatterns = [
    path("remembrances/", RemembranceListView.as_view(), name="api_remembrances"),
    path(
        "remembrances/<int:remembrance_id>/",
        RemembranceDetailView.as_view(),
        name="api_remembrance",
    ),
    path(
        "remembrances/<int:remembrance_id>/withdraw/",
        RemembranceWithdrawView.as_view(),
        name="api_remembrance_withdraw",
    ),
]
