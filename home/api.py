"""API authentication, the behaviour every API view shares, and the member's own API tokens.

Authentication: a session cookie (with CSRF for writes), or
`Authorization: Bearer <token>` with Wagtail's own `APIToken` (only an HMAC of the token is
stored; see wagtail/models/api.py). No `Authorization` header means a visitor. A Bearer token
that is malformed, unknown, revoked, expired (older than `NEIGHBORHOOD_API_TOKEN_MAX_AGE_DAYS`)
or whose user is inactive gets 401 with `WWW-Authenticate: Bearer`, never the anonymous view
(Wagtail's v3 `BearerTokenAuth` silently falls back to anonymous; docs/privacy.md, invariant
`bad-token-is-401`).

Whoever is authenticated then goes through the one visibility rule, `visibility.py`.
"""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiTypes, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.log_actions import log
from wagtail.models import APIToken

from community_pages.visibility import restrictions_cached

TOKEN_NAME_MAX_LENGTH = 100
MAX_ACTIVE_TOKENS = 20
BEARER = "Bearer"


# Authentication ------------------------------------------------------------------------------


def _token_max_age() -> timedelta | None:
    days = getattr(settings, "NEIGHBORHOOD_API_TOKEN_MAX_AGE_DAYS", 365)
    return timedelta(days=days) if days else None


def api_token_is_expired(token: APIToken, *, now=None) -> bool:
    max_age = _token_max_age()
    return bool(max_age and token.created + max_age < (now or timezone.now()))


def api_token_user(plaintext: str):
    """The active user of a live token, or None (malformed, unknown, revoked, expired)."""
    if not plaintext or not APIToken.validate_token_format(plaintext):
        return None, None
    token = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None or api_token_is_expired(token) or not token.user.is_active:
        return None, None
    return token.user, token


class BadBearerToken(Exception):
    """The `Authorization` header is there but names no live token: a 401, never a visitor."""


def bearer_user(header: str):
    """(user, token) for an `Authorization` header; None without one; BadBearerToken if bad."""
    if not header:
        return None
    scheme, _sep, credentials = header.strip().partition(" ")
    if scheme.lower() != BEARER.lower():
        raise BadBearerToken(_("Use “Authorization: Bearer <token>”."))
    user, token = api_token_user(credentials.strip())
    if user is None:
        raise BadBearerToken(_("Invalid, revoked or expired API token."))
    touch_last_used(token)
    return user, token


def touch_last_used(token: APIToken) -> None:
    interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
    if interval is None:
        return
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= interval:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)


WWW_AUTHENTICATE = f'{BEARER} realm="api"'


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` with a Wagtail `APIToken`; a bad token is a 401."""

    def authenticate(self, request):
        try:
            return bearer_user(request.META.get("HTTP_AUTHORIZATION", ""))
        except BadBearerToken as error:
            raise exceptions.AuthenticationFailed(str(error)) from error

    def authenticate_header(self, request):
        return WWW_AUTHENTICATE


class BearerTokenMiddleware:
    """The same Bearer tokens on the reading URLs that are not Django REST framework views:
    the file views (`/documents/`, `/images/`, the `download_url`s the API hands out), the JSON
    search and the feeds. An app holding a token can then open every URL the API gives it.

    With a good token, `request.user` is the token's user for this request (nothing is written to
    the session); with a bad one the answer is 401, as on `/api/v2/`. Only safe methods: these
    views read. Placed right after Django's `AuthenticationMiddleware`.
    """

    PATH_PREFIXES = ("/documents/", "/images/", "/api/search/", "/feeds/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.PATH_PREFIXES):
            return self.get_response(request)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and request.method in ("GET", "HEAD"):
            try:
                request.user, _token = bearer_user(header)
            except BadBearerToken as error:
                response = JsonResponse({"message": str(error)}, status=HTTPStatus.UNAUTHORIZED)
                response["WWW-Authenticate"] = WWW_AUTHENTICATE
                return self._private(response)
        return self._private(self.get_response(request))

    @staticmethod
    def _private(response):
        patch_vary_headers(response, ("Cookie", "Authorization"))
        patch_cache_control(response, private=True)
        return response


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "home.api.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A Wagtail API token."}


AUTHENTICATION_CLASSES = [BearerTokenAuthentication, SessionAuthentication]


class NeighborhoodAPIMixin:
    """What every API view does: our authentication, one read of the restriction index per
    request, and responses that are private and vary on who asks (docs/privacy.md, invariant
    `never-cached-public`)."""

    authentication_classes = AUTHENTICATION_CLASSES

    def dispatch(self, request, *args, **kwargs):
        with restrictions_cached():
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Cookie", "Authorization"))
        patch_cache_control(response, private=True)
        return response

    def handle_exception(self, exc):
        if isinstance(exc, ValidationError):
            return Response({"message": " ".join(exc.messages)}, status=HTTPStatus.BAD_REQUEST)
        return super().handle_exception(exc)


class ReaderAPIView(NeighborhoodAPIMixin, APIView):
    """Anyone may ask; the answer is what the visibility rule lets them see."""

    permission_classes = [AllowAny]


class MemberAPIView(NeighborhoodAPIMixin, APIView):
    """Signed-in people only (session or token); a visitor gets 401/403."""

    permission_classes = [IsAuthenticated]


def bad_request(message: str) -> Response:
    return Response({"message": message}, status=HTTPStatus.BAD_REQUEST)


# The member's own tokens: reads and writes -------------------------------------------------


def api_tokens_of(user):
    """The user's tokens that still work (not revoked), newest first."""
    return APIToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created", "-pk")


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[APIToken, str]:
    """A new token for the user; returns (token, plaintext). The plaintext is never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the app that will use it."))
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Keep the name under %(n)d characters.") % {"n": TOKEN_NAME_MAX_LENGTH}
        )
    if api_tokens_of(user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(n)d tokens: revoke one first.") % {"n": MAX_ACTIVE_TOKENS}
        )
    token, plaintext = APIToken.create_token(user=user, name=name)
    log(token, "wagtail.apitoken.create", user=user, data={"source": "member"})
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, user, token_id) -> APIToken:
    """Revoke one of the user's own tokens. Someone else's token is answered as not found."""
    try:
        token_id = int(token_id)
    except (TypeError, ValueError):
        raise ValidationError(_("That token does not exist.")) from None
    token = api_tokens_of(user).select_for_update().filter(pk=token_id).first()
    if token is None:
        raise ValidationError(_("That token does not exist."))
    token.revoke()
    log(token, "wagtail.apitoken.revoke", user=user, data={"source": "member"})
    return token


def token_data(token: APIToken) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created": token.created.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "expires_at": (token.created + _token_max_age()).isoformat() if _token_max_age() else None,
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
        from home.selectors import member_data_export  # reads every app's models

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


# The member-facing page ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_api_tokens(request):
    """/account/api-tokens/: make, name, list and revoke your own API tokens.

    A new token's value is shown once, on the answer to the POST that made it.
    """
    plaintext = None
    error = None
    status = HTTPStatus.OK
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "create":
                _token, plaintext = api_token_create(
                    user=request.user, name=request.POST.get("name", "")
                )
            elif action == "revoke":
                api_token_revoke(user=request.user, token_id=request.POST.get("token_id"))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = HTTPStatus.BAD_REQUEST
    response = TemplateResponse(
        request,
        "api/account_tokens.html",
        {"tokens": list(api_tokens_of(request.user)), "plaintext": plaintext, "error": error},
        status=status,
    )
    add_never_cache_headers(response)  # the page may show a secret
    return response
