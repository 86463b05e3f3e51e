"""The member's own API endpoints: their tokens and the export of their data (/api/v2/account/...).

Authentication and the base views are `core/api/`; the token reads and writes are
`home/selectors.py` and `home/services.py`.
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from wagtail.models import APIToken

from core.api.authentication import token_max_age
from core.api.views import MemberAPIView, bad_request
from home.selectors import api_tokens_of, member_data_export
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


class ExportView(MemberAPIView):
    """Everything the Neighborhood holds about you, as the account page's download gives it."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["account"])
    def get(self, request):
        response = Response(member_data_export(request.user))
        response["Content-Disposition"] = 'attachment; filename="neighborhood-my-data.json"'
        add_never_cache_headers(response)
        return response


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
    path("account/tokens/", TokenListView.as_view(), name="api_tokens"),
    path("account/tokens/<int:token_id>/", TokenDetailView.as_view(), name="api_token_detail"),
]
