"""API fixtures: a client per role that authenticates by session or by Bearer token."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import APIToken, Page

from tests.conftest import ANONYMOUS, SEES

BAD_TOKEN = "bad-token"
REVOKED_TOKEN = "revoked-token"
PUBLIC = "public"


def space_of(page: Page) -> str:
    """The answer key's name for where a page lives: a space slug, or "public"."""
    parts = page.url_path.strip("/").split("/")
    if page.depth <= 2 or len(parts) < 2 or parts[1] not in SEES["staff"]:
        return PUBLIC
    return parts[1]


def expected_pages(role: str) -> set[int]:
    """Live pages of the site that the answer key (`SEES`) lets the role see."""
    allowed = {PUBLIC} | SEES[role]
    return {
        page.pk for page in Page.objects.live().filter(depth__gte=2) if space_of(page) in allowed
    }


def make_api_client(role: str, auth: str = "session") -> Client:
    """A client for a demo role (or ANONYMOUS, BAD_TOKEN, REVOKED_TOKEN), by session or token."""
    if role == BAD_TOKEN:
        return Client(HTTP_AUTHORIZATION="Bearer wagtail_" + "x" * 33)
    if role == REVOKED_TOKEN:
        user = get_user_model().objects.get(username="member-of-both")
        token, plaintext = APIToken.create_token(user=user, name="revoked")
        token.revoke()
        return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    if role == ANONYMOUS:
        return Client()
    user = get_user_model().objects.get(username=role)
    if auth == "token":
        _token, plaintext = APIToken.create_token(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api_client(db):
    """api_client(role, auth="session"|"token"); also BAD_TOKEN and REVOKED_TOKEN as roles."""
    return make_api_client
