"""The member's own API endpoints: their tokens and the export of their data (/api/v2/account/...).

The export is the account page's (home/exports.py): asked for with POST, built by the background
task, followed at its status address, downloaded by its owner only.

Authentication and the base views are `core/api/`; the token reads and writes are
`home/selectors.py` and `home/services.py`.
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from wagtail.models import APIToken

from core.api.authentication import token_max_age
from core.api.views import MemberAPIView, ReaderAPIView, bad_request
from home.export_views import download_response
from home.exports import data_export_of, data_export_owned, data_export_request
from home.models import DataExport
from home.selectors import api_tokens_of
from home.services import api_token_create, api_token_revoke


def token_data(token: APIToken) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created": token.created.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "expires_at": (token.created + token_max_age()).isoformat() if token_max_age() else None,
    }


_TOKEN_LIST = inline_serializer(
    "APIToken",
    many=True,
    fields={
        "id": serializers.IntegerField(),
        "name": serializers.CharField(),
        "prefix": serializers.CharField(),
        "created": serializers.DateTimeField(),
        "last_used_at": serializers.DateTimeField(allow_null=True),
        "expires_at": serializers.DateTimeField(allow_null=True),
    },
)


class TokenListView(MemberAPIView):
    """Your API tokens: list them, or make one (its value is shown once, in this answer)."""

    @extend_schema(responses=_TOKEN_LIST, tags=["account"])
    def get(self, request):
        return Response([token_data(token) for token in api_tokens_of(request.user)])

    @extend_schema(
        request=inline_serializer("APITokenCreate", {"name": serializers.CharField()}),
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        tags=["account"],
    )
    def post(self, request):
        name = request.data.get("name") if hasattr(request.data, "get") else None
        if not isinstance(name, str):
            return bad_request(_("Give the token a name, e.g. the app that will use it."))
        token, plaintext = api_token_create(user=request.user, name=name)
        return Response({**token_data(token), "token": plaintext}, status=HTTPStatus.CREATED)


_EXPORT = inline_serializer(
    "DataExport",
    fields={
        "key": serializers.UUIDField(),
        "status": serializers.ChoiceField(choices=[DataExport.PENDING, DataExport.READY]),
        "requested_at": serializers.DateTimeField(),
        "expires_at": serializers.DateTimeField(allow_null=True),
        "url": serializers.CharField(),
        "download_url": serializers.CharField(allow_null=True),
    },
)


def export_data(export: DataExport) -> dict:
    ready = export.status == DataExport.READY
    return {
        "key": str(export.key),
        "status": export.status,
        "requested_at": export.requested_at.isoformat(),
        "expires_at": export.expires_at.isoformat() if export.expires_at else None,
        "url": reverse("api_account_export_status", args=[export.key]),
        "download_url": (
            reverse("api_account_export_download", args=[export.key]) if ready else None
        ),
    }


def _never_cached(response):
    add_never_cache_headers(response)
    return response


def _no_export() -> Response:
    return _never_cached(Response({"message": _("Not found.")}, status=HTTPStatus.NOT_FOUND))


class ExportView(MemberAPIView):
    """Everything the Neighborhood holds about you (the account page's file). POST asks for it:
    a background task builds it, and the answer (202) gives the address to follow until it is
    ready. GET tells the state of your export (404: none, or it expired)."""

    @extend_schema(
        operation_id="v2_account_export_current",
        responses={200: _EXPORT, 404: OpenApiTypes.OBJECT},
        tags=["account"],
    )
    def get(self, request):
        export = data_export_of(request.user)
        if export is None:
            return _no_export()
        return _never_cached(Response(export_data(export)))

    @extend_schema(request=None, responses={202: _EXPORT}, tags=["account"])
    def post(self, request):
        # One waiting already: nothing is queued, the answer is that one.
        data_export_request(user=request.user)
        export = data_export_of(request.user)
        data = export_data(export)
        response = Response(data, status=HTTPStatus.ACCEPTED, headers={"Location": data["url"]})
        return _never_cached(response)


class ExportStatusView(ReaderAPIView):
    """Your export's state: `pending` until the task has built it, then `ready` with its
    `download_url`. Anyone else's, an expired or a missing one: the same 404."""

    @extend_schema(
        operation_id="v2_account_export_status",
        responses={200: _EXPORT, 404: OpenApiTypes.OBJECT},
        tags=["account"],
    )
    def get(self, request, key):
        export = data_export_owned(request.user, key)
        if export is None:
            return _no_export()
        return _never_cached(Response(export_data(export)))


class ExportDownloadView(ReaderAPIView):
    """Your export's file (JSON), once ready, by session or token. Anyone else's, one still
    being prepared, an expired or a missing one: the same 404."""

    @extend_schema(
        responses={
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, "The file."),
            404: OpenApiTypes.OBJECT,
        },
        tags=["account"],
    )
    def get(self, request, key):
        export = data_export_owned(request.user, key)
        if export is None or export.status != DataExport.READY:
            return _no_export()
        return download_response(export)


class TokenDetailView(MemberAPIView):
    """Revoke one of your tokens."""

    @extend_schema(responses={204: None, 404: OpenApiTypes.OBJECT}, tags=["account"])
    def delete(self, request, token_id: int):
        try:
            api_token_revoke(user=request.user, token_id=token_id)
        except ValidationError as error:
            return Response({"message": " ".join(error.messages)}, status=HTTPStatus.NOT_FOUND)
        return Response(status=HTTPStatus.NO_CONTENT)


# Mounted at /api/v2/ by config/api.py.
urlpatterns = [
    path("account/export/", ExportView.as_view(), name="api_account_export"),
    path(
        "account/export/<uuid:key>/",
        ExportStatusView.as_view(),
        name="api_account_export_status",
    ),
    path(
        "account/export/<uuid:key>/download/",
        ExportDownloadView.as_view(),
        name="api_account_export_download",
    ),
    path("account/tokens/", TokenListView.as_view(), name="api_tokens"),
    path("account/tokens/<int:token_id>/", TokenDetailView.as_view(), name="api_token_detail"),
]
