"""Differential test: the same requests to our /api/v2/ and to stock Wagtail API v2 mounted on the
same data (`tests/api/stock_urls.py`, at /api/stock/), for a visitor and for members (stock
Wagtail honours sessions, so members sign in by session). Every answer must be the same status
and the same JSON, apart from the deliberate differences listed in docs/api.md ("Differences
from stock Wagtail API v2"), each of which is asserted here as exactly that difference."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from tests.conftest import ANONYMOUS

pytestmark = pytest.mark.urls("tests.api.stock_urls")

# A visitor, and a member of one community (who must not see the other's pages).
ROLES = [ANONYMOUS, "frontline-member"]
# Requests whose answers must be identical (after the documented normalisation below).
SAME = [
    "pages/",
    "pages/?limit=100&fields=*",
    "pages/?child_of=root",
    "pages/?descendant_of=root&limit=100",
    "pages/?order=-title&limit=100",
    "pages/?type=resources.ResourcePage&fields=*&limit=100",
    "pages/?type=community_pages.SupportGroupPage&fields=title,location&limit=100",
    "pages/?type=resources.GuidePage&fields=*",
    "pages/?locale=es&fields=*",
    "pages/?search=support&limit=100",
    "pages/?limit=1&offset=2",
    "pages/find/?html_path=/about/",
    "pages/find/?html_path=/frontline/resources/",
    "pages/find/?html_path=/no-such-page/",
    "pages/987654/",
    "pages/?limit=101",
    "pages/?limit=-1",
    "pages/?type=no.SuchPage",
    "pages/?fields=no_such_field",
    "pages/?child_of=987654",
    "images/?fields=*",
    "images/987654/",
    "documents/?fields=*",
    "documents/?search=welcome",
    "documents/987654/",
]
# Deliberate: (request, our status, stock's status). Stock fails on the first ones (500, or 503
# where the database refused the value).
DIFFERENT = [
    ("pages/find/?id=abc", HTTPStatus.BAD_REQUEST, HTTPStatus.INTERNAL_SERVER_ERROR),
    ("images/find/?id=abc", HTTPStatus.BAD_REQUEST, HTTPStatus.INTERNAL_SERVER_ERROR),
    ("documents/find/?id=1x", HTTPStatus.BAD_REQUEST, HTTPStatus.INTERNAL_SERVER_ERROR),
    (
        "pages/?type=resources.ResourcePage&topics=x",
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.INTERNAL_SERVER_ERROR,
    ),
    ("pages/?search=a&search_operator=x", HTTPStatus.BAD_REQUEST, HTTPStatus.INTERNAL_SERVER_ERROR),
    (
        "pages/?offset=99999999999999999999",
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.INTERNAL_SERVER_ERROR,
    ),
    ("pages/?search=a%00b", HTTPStatus.BAD_REQUEST, HTTPStatus.INTERNAL_SERVER_ERROR),
    ("pages/find/?html_path=/es/about/", HTTPStatus.FOUND, HTTPStatus.NOT_FOUND),
    ("pages/find/?html_path=/pt/", HTTPStatus.FOUND, HTTPStatus.NOT_FOUND),
]
_IMAGE_FILE = re.compile(r"^http://[^/]+/images/(\d+)/original/$")


def _client(role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != ANONYMOUS:
        client.force_login(get_user_model().objects.get(username=role))
    return client


def _body(response):
    if response.status_code in (HTTPStatus.FOUND, HTTPStatus.MOVED_PERMANENTLY):
        return response["Location"].replace("/api/stock/", "/api/v2/")
    return _normalise(response.json())


def _normalise(data):
    """Stock's answer as ours would be: its URLs under /api/v2/, and each image's
    `download_url` (stock: the media file, which this site never serves) as the
    membership-checked view's, `/images/<id>/original/` (deliberate difference 1)."""
    if isinstance(data, list):
        return [_normalise(item) for item in data]
    if not isinstance(data, dict):
        return data.replace("/api/stock/", "/api/v2/") if isinstance(data, str) else data
    result = {key: _normalise(value) for key, value in data.items()}
    meta = result.get("meta")
    if isinstance(meta, dict) and "download_url" in meta and "/images/" in meta["detail_url"]:
        meta["download_url"] = f"http://localhost/images/{result['id']}/original/"
    return result


def _get(client: Client, url: str):
    """One request in a savepoint, rolled back if it failed: on PostgreSQL a database error in one
    (stock Wagtail's "bigint out of range") aborts the test's transaction, and every later
    request would fail."""
    savepoint = transaction.savepoint()
    response = client.get(url)
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:  # kept: the renditions it made are the ones the other API then shows
        transaction.savepoint_commit(savepoint)
    return response


@pytest.fixture
def ids(db):
    """Ids to ask for each one's detail: every image and document, every third page (of every
    kind and space: public, each community, translations), which keeps the test cheap."""
    return {
        "pages": list(
            Page.objects.filter(depth__gt=1).order_by("path").values_list("pk", flat=True)
        )[::3],
        "images": list(get_image_model().objects.values_list("pk", flat=True)),
        "documents": list(get_document_model().objects.values_list("pk", flat=True)),
    }


@pytest.mark.parametrize("role", ROLES)
def test_same_answers_as_stock_wagtail(role, ids):
    client = _client(role)
    requests = [*SAME, *(f"{kind}/{pk}/?fields=*" for kind, pks in ids.items() for pk in pks)]
    differences = []
    for request in requests:
        ours = _get(client, f"/api/v2/{request}")
        stock = _get(client, f"/api/stock/{request}")
        if ours.status_code != stock.status_code or _body(ours) != _body(stock):
            differences.append((request, ours.status_code, stock.status_code))
    assert differences == []
    # It compared something: the member sees more than the visitor, on both.
    seen = client.get("/api/stock/pages/?limit=100").json()["meta"]["total_count"]
    assert seen == client.get("/api/v2/pages/?limit=100").json()["meta"]["total_count"] > 0


@pytest.mark.parametrize("role", [ANONYMOUS, "member-of-both"])
def test_the_deliberate_differences_are_exactly_those_documented(db, role):
    client = _client(role)
    for request, ours_status, stock_status in DIFFERENT:
        ours = _get(client, f"/api/v2/{request}")
        stock = _get(client, f"/api/stock/{request}")
        assert (request, ours.status_code) == (request, ours_status)
        if stock_status == HTTPStatus.INTERNAL_SERVER_ERROR:  # a 500, or a 503 for a DB error
            assert stock.status_code >= stock_status, request
        else:
            assert stock.status_code == stock_status, request
        if ours_status == HTTPStatus.BAD_REQUEST:
            assert list(ours.json()) == ["message"]


def test_images__download_url_is_the_membership_checked_view(db):
    """Deliberate difference 1, seen from both sides."""
    client = _client("member-of-both")
    ours = client.get("/api/v2/images/?fields=*").json()["items"]
    stock = client.get("/api/stock/images/?fields=*").json()["items"]
    assert [item["id"] for item in ours] == [item["id"] for item in stock]
    for mine, theirs in zip(ours, stock, strict=True):
        assert _IMAGE_FILE.match(mine["meta"]["download_url"])[1] == str(mine["id"])
        assert "/original_images/" in theirs["meta"]["download_url"]
