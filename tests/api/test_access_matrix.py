"""Who sees what through every API endpoint: each role, by session and by token, every locale.

The answer key is `SEES` (tests/conftest.py) applied to where each page lives, not the
visibility module under test.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from tests.api.conftest import BAD_TOKEN, PUBLIC, REVOKED_TOKEN, expected_pages, space_of
from tests.conftest import ALL_ROLES, ANONYMOUS, ROLES, SEES

# Every (role, auth) pair: the visitor without credentials, each demo role by session and by token.
CALLERS = [(ANONYMOUS, "none")] + [(role, auth) for role in ROLES for auth in ("session", "token")]
LOCALES = ["en", "es", "pt"]
ENDPOINTS = [
    "/api/v2/pages/",
    "/api/v2/images/",
    "/api/v2/documents/",
    "/api/v2/schedule/",
    "/api/v2/feeds/",
    "/api/v2/account/",
    "/api/v2/account/tokens/",
    "/api/v2/join-requests/",
]


def _ids(response) -> set[int]:
    assert response.status_code == HTTPStatus.OK, response.content[:300]
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize(("role", "auth"), CALLERS)
def test_pages_listing__shows_exactly_what_the_role_may_see(api_client, role, auth):
    client = api_client(role, auth)
    got = _ids(client.get("/api/v2/pages/", {"limit": 100}))
    assert got == expected_pages(role)


@pytest.mark.parametrize(("role", "auth"), CALLERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_pages_listing_by_locale__shows_exactly_what_the_role_may_see(
    api_client, role, auth, locale
):
    client = api_client(role, auth)
    got = _ids(client.get("/api/v2/pages/", {"limit": 100, "locale": locale}))
    # The answer key's pages in that locale, in one query (not one per page).
    in_locale = Page.objects.filter(pk__in=expected_pages(role), locale__language_code=locale)
    expected = set(in_locale.values_list("pk", flat=True))
    assert got == expected
    assert expected  # the public front door exists in every locale


@pytest.mark.parametrize(("role", "auth"), CALLERS)
@pytest.mark.parametrize("space", ["frontline", "bereaved", "common-ground", PUBLIC])
@pytest.mark.parametrize("locale", LOCALES)
def test_page_detail_and_find__allowed_or_not_found(api_client, role, auth, space, locale):
    client = api_client(role, auth)
    pages = [
        page
        for page in Page.objects.live().filter(depth=3, locale__language_code=locale)
        if space_of(page) == space
    ]
    assert pages
    page = pages[0]
    allowed = space == PUBLIC or space in SEES[role]
    detail = client.get(f"/api/v2/pages/{page.pk}/")
    found = client.get("/api/v2/pages/find/", {"id": page.pk})
    if allowed:
        assert detail.status_code == HTTPStatus.OK
        assert detail.json()["title"] == page.title
        assert found.status_code == HTTPStatus.FOUND
    else:
        assert detail.status_code == HTTPStatus.NOT_FOUND
        assert found.status_code == HTTPStatus.NOT_FOUND
        assert page.title.encode() not in detail.content + found.content


@pytest.mark.parametrize(("role", "auth"), CALLERS)
@pytest.mark.parametrize("space", ["frontline", "bereaved", "common-ground"])
def test_find_by_html_path__allowed_or_not_found(api_client, role, auth, space):
    response = api_client(role, auth).get("/api/v2/pages/find/", {"html_path": f"/{space}/"})
    allowed = space in SEES[role]
    assert response.status_code == (HTTPStatus.FOUND if allowed else HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize(("role", "auth"), CALLERS)
@pytest.mark.parametrize("words", ["Group schedule", "welcome", "support"])
def test_pages_search__hits_only_what_the_role_may_see(api_client, role, auth, words):
    response = api_client(role, auth).get("/api/v2/pages/", {"search": words, "limit": 100})
    got = _ids(response)
    assert got <= expected_pages(role)
    assert response.json()["meta"]["total_count"] == len(got)


def test_pages_search__finds_private_pages_for_their_members(api_client):
    member = _ids(api_client("frontline-member").get("/api/v2/pages/", {"search": "schedule"}))
    visitor = _ids(api_client(ANONYMOUS).get("/api/v2/pages/", {"search": "schedule"}))
    assert member and not visitor


def _file_space(file_name: str) -> str:
    name = file_name.split("/")[-1]
    return next(space for space in [*SEES["staff"], PUBLIC] if name.startswith(space + "-"))


@pytest.mark.parametrize(("role", "auth"), CALLERS)
@pytest.mark.parametrize("kind", ["images", "documents"])
def test_files__listing_detail_and_find(api_client, role, auth, kind):
    model = get_image_model() if kind == "images" else get_document_model()
    client = api_client(role, auth)
    allowed = {PUBLIC} | SEES[role]
    expected = {f.pk for f in model.objects.all() if _file_space(f.file.name) in allowed}
    assert _ids(client.get(f"/api/v2/{kind}/")) == expected
    for item in model.objects.all():
        detail = client.get(f"/api/v2/{kind}/{item.pk}/")
        found = client.get(f"/api/v2/{kind}/find/", {"id": item.pk})
        if item.pk in expected:
            assert detail.status_code == HTTPStatus.OK
            assert found.status_code == HTTPStatus.FOUND
        else:
            assert detail.status_code == HTTPStatus.NOT_FOUND
            assert found.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("role", "auth"), CALLERS)
def test_file_download_urls__go_through_the_membership_check(api_client, role, auth):
    # The file views are the web's (resources/views.py, Wagtail's document view), and take the
    # session or the same Bearer token (core.middleware.BearerTokenMiddleware).
    client = api_client(role, auth)
    for kind in ("images", "documents"):
        for item in client.get(f"/api/v2/{kind}/").json()["items"]:
            url = item["meta"]["download_url"]
            assert "/media" not in url
            assert client.get(url).status_code == HTTPStatus.OK
    # The denied case on the same setup: a visitor following a member's URL.
    if role != ANONYMOUS and SEES[role]:
        private = [
            i["meta"]["download_url"]
            for i in client.get("/api/v2/documents/").json()["items"]
            if "public" not in i["title"].lower() and "/public-" not in i["meta"]["download_url"]
        ]
        assert private
        visitor = api_client(ANONYMOUS)
        for url in private:
            assert visitor.get(url).status_code != HTTPStatus.OK


@pytest.mark.parametrize("role", [BAD_TOKEN, REVOKED_TOKEN])
@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "/api/v2/pages/1/", "/api/v2/pages/find/"])
def test_bad_or_revoked_token__is_401_never_the_visitor_view(api_client, role, endpoint):
    response = api_client(role).get(endpoint)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"items" not in response.content


@pytest.mark.parametrize("header", ["Basic Zm9vOmJhcg==", "Bearer", "Token abc", "Bearer  "])
def test_other_authorization_schemes__are_401(db, client, header):
    response = client.get("/api/v2/pages/", HTTP_AUTHORIZATION=header)
    assert response.status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint__is_private_and_varies_on_who_asks(api_client, role, endpoint):
    response = api_client(role).get(endpoint)
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.UNAUTHORIZED)
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"cookie", "authorization"} <= vary
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize("endpoint", ["/api/v2/account/", "/api/v2/account/tokens/"])
def test_member_endpoints__visitor_is_refused_member_is_served(api_client, endpoint):
    assert api_client(ANONYMOUS).get(endpoint).status_code == HTTPStatus.UNAUTHORIZED
    assert api_client("frontline-member", "token").get(endpoint).status_code == HTTPStatus.OK
