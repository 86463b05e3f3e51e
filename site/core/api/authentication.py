"""API authentication: a session cookie (with CSRF for writes), or
`Authorization: Bearer <token>` with Wagtail's own `APIToken` (only an HMAC of the token is
stored; see wagtail/models/api.py). No `Authorization` header means a visitor. A Bearer token
that is malformed, unknown, revoked, expired (older than `NEIGHBORHOOD_API_TOKEN_MAX_AGE_DAYS`)
or whose user is inactive gets 401 with `WWW-Authenticate: Bearer`, never the anonymous view
(Wagtail's v3 `BearerTokenAuth` silently falls back to anonymous; docs/privacy.md, invariant
`bad-token-is-401`).

Whoever is authenticated then goes through the one visibility rule, `core/visibility.py`. The
same tokens open the reading URLs that are not DRF views: `core.middleware.BearerTokenMiddleware`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from wagtail.models import APIToken

BEARER = "Bearer"


def token_max_age() -> timedelta | None:
    days = getattr(settings, "NEIGHBORHOOD_API_TOKEN_MAX_AGE_DAYS", 365)
    return timedelta(days=days) if days else None


def api_token_is_expired(token: APIToken, *, now=None) -> bool:
    max_age = token_max_age()
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


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A Wagtail API token."}


AUTHENTICATION_CLASSES = [BearerTokenAuthentication, SessionAuthentication]
