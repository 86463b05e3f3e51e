"""Query cost flat in the number of communities; Wagtail v2 response shapes; the OpenAPI
document covers every /api/ URL; the docs page loads only same-origin assets."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from community_pages.models import CommunityPage
from community_pages.services import space_create
from home.models import HomePage
from tests.api.conftest import make_api_client
from tests.conftest import ANONYMOUS, shared_setup

MAX_QUERIES = 10
REQUESTS = [
    ("/api/v2/pages/", {"limit": 20}),
    ("/api/v2/pages/", {"search": "support"}),
    ("/api/v2/pages/", {"type": "resources.ResourcePage", "fields": "summary"}),
    ("/api/v2/images/", {}),
    ("/api/v2/documents/", {}),
]


def _queries(client, url, params) -> int:
    client.get(url, params)  # warm the per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == HTTPStatus.OK
    return len(captured.captured_queries)


def _add_communities(number: int) -> None:
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    for n in range(number):
        space_create(parent=home, page_class=CommunityPage, title=f"Extra {n}", slug=f"extra-{n}")


CALLERS = [
    (ANONYMOUS, "none"),
    ("frontline-member", "session"),
    ("frontline-member", "token"),
    ("member-of-both", "token"),
    ("staff", "session"),
]


@pytest.fixture(scope="class")
def counts_before_six_more_communities(django_db_setup, django_db_blocker):
    """{caller: (client, requests, queries)}, measured on the demo; then 6 communities are
    added, once for the class (rolled back after it)."""
    with shared_setup(django_db_blocker):
        measured = {}
        for role, auth in CALLERS:
            client = make_api_client(role, auth)
            page_id = client.get("/api/v2/pages/").json()["items"][-1]["id"]
            requests = [*REQUESTS, (f"/api/v2/pages/{page_id}/", {})]
            before = [_queries(client, url, params) for url, params in requests]
            measured[role, auth] = (client, requests, before)
        _add_communities(6)
        yield measured


class TestSixMoreCommunities:
    @pytest.mark.parametrize(("role", "auth"), CALLERS)
    def test_query_count__at_most_ten_and_flat_when_communities_are_added(
        self, counts_before_six_more_communities, db, role, auth
    ):
        client, requests, before = counts_before_six_more_communities[role, auth]
        after = [_queries(client, url, params) for url, params in requests]
        assert after == before
        assert max(after) <= MAX_QUERIES


@pytest.mark.urls("tests.api.stock_urls")
@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_v2_shape__same_keys_as_stock_wagtail_for_public_content(db, client, endpoint):
    ours = client.get(f"/api/v2/{endpoint}/").json()
    stock = client.get(f"/api/stock/{endpoint}/").json()
    assert ours.keys() == stock.keys() == {"meta", "items"}
    assert ours["meta"].keys() == stock["meta"].keys()
    by_id = {item["id"]: item for item in stock["items"]}
    shared = [item for item in ours["items"] if item["id"] in by_id]
    assert shared
    for item in shared:
        assert item.keys() == by_id[item["id"]].keys()
        assert item["meta"].keys() == by_id[item["id"]]["meta"].keys()
        detail = client.get(f"/api/v2/{endpoint}/{item['id']}/").json()
        stock_detail = client.get(f"/api/stock/{endpoint}/{item['id']}/").json()
        assert detail.keys() == stock_detail.keys()
        assert detail["meta"].keys() == stock_detail["meta"].keys()


@pytest.mark.urls("tests.api.stock_urls")
def test_v2_shape__public_page_fields_equal_stock_wagtails(db, client, page_at):
    about = page_at("/about/")
    ours = client.get(f"/api/v2/pages/{about.pk}/").json()
    stock = client.get(f"/api/stock/pages/{about.pk}/").json()
    assert ours["title"] == stock["title"]
    assert ours["body"] == stock["body"]
    assert ours["meta"]["html_url"] == stock["meta"]["html_url"]


def _api_routes(resolver=None, prefix="") -> set[str]:
    routes = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= _api_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            routes.add(route)
    return routes


def _normalise(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return "/" + route


def test_openapi__describes_every_api_url(db, client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == HTTPStatus.OK
    documented = set(response.json()["paths"])
    served = {
        _normalise(route).replace("{pk}", "{id}")
        for route in _api_routes()
        if route.startswith("api/v2/") or route.startswith("api/search/")
    }
    assert served and served <= documented
    assert {"/feeds/public/meetings.json", "/feeds/{space_slug}/meetings.ics"} <= documented
    # The file URLs the API hands out (download_url, renditions) are endpoints too.
    assert {
        "/documents/{document_id}/{filename}",
        "/images/{image_id}/original/",
        "/images/{image_id}/{rendition_id}/",
    } <= documented
    search = response.json()["paths"]["/api/search/"]["get"]
    assert {"bearerAuth": []} in search["security"]
    assert "401" in search["responses"]


def test_docs_page__loads_only_same_origin_assets(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), url
        if url.startswith(settings.STATIC_URL):  # shipped in a package, collected by collectstatic
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        else:
            assert client.get(url).status_code == HTTPStatus.OK, url
    assert "cdn" not in html.lower()
    assert "<style" not in html and "<script>" not in html  # nothing inline: CSP 'self' holds
