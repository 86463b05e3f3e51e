"""The Bearer token also opens the URLs the API hands out that are not `/api/v2/` views: the file
views (`download_url`, rendition URLs), the JSON search and the feeds. Same answer key (`SEES`) as
the session: a token is its member, nothing more; a bad or revoked token is a 401 there too.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.api.conftest import BAD_TOKEN, PUBLIC, REVOKED_TOKEN
from tests.conftest import ANONYMOUS, ROLES, SEES, SPACES

FEED_GROUP = {
    "frontline": "SMART Recovery for care providers",
    "bereaved": "Grief circle: after a death from substance use",
    "common-ground": "Refuge Recovery",
}
SEARCH_WORDS = {
    PUBLIC: "quuxpublicword",
    "frontline": "quuxfrontlineword",
    "bereaved": "quuxbereavedword",
    "common-ground": "quuxcommonword",
}


def _allowed(role: str, space: str) -> bool:
    return space == PUBLIC or space in SEES[role]


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
@pytest.mark.parametrize("space", [*SPACES, PUBLIC])
@pytest.mark.parametrize("kind", ["document", "image", "rendition"])
def test_files__a_token_opens_what_its_member_may_see(api_client, demo_files, role, space, kind):
    client = api_client(role, "token") if role != ANONYMOUS else api_client(ANONYMOUS)
    response = client.get(demo_files[(kind, space)])
    if _allowed(role, space):
        assert response.status_code == HTTPStatus.OK
        assert b"".join(response.streaming_content)
        assert response["X-Content-Type-Options"] == "nosniff"
    else:  # hidden is missing, for the visitor and a token alike (docs/privacy.md, "Files")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert not getattr(response, "streaming", False)
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"cookie", "authorization"} <= vary
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["frontline-member", "bereaved-member", "member-of-both"])
def test_download_urls_from_the_api__open_with_the_same_token(api_client, role):
    client = api_client(role, "token")
    urls = [
        item["meta"]["download_url"]
        for kind in ("images", "documents")
        for item in client.get(f"/api/v2/{kind}/").json()["items"]
    ]
    assert len(urls) >= 4
    for url in urls:
        assert client.get(url).status_code == HTTPStatus.OK, url
    # The denied case on the same URLs: the applicant's token opens only the public ones.
    applicant = api_client("applicant", "token")
    opened = [url for url in urls if applicant.get(url).status_code == HTTPStatus.OK]
    assert len(opened) < len(urls)


@pytest.fixture
def marked(page_at):
    """One unique word in the public About page and in a section page of each space."""
    about = page_at("/about/")
    about.body = f"<p>About us {SEARCH_WORDS[PUBLIC]}</p>"
    about.save_revision().publish()
    for space in SPACES:
        page = page_at(f"/{space}/guides/")
        page.intro = f"<p>Guides {SEARCH_WORDS[space]}</p>"
        page.save_revision().publish()


@pytest.mark.parametrize("role", ROLES)
def test_search__a_token_finds_what_its_member_may_see(api_client, marked, role):
    client = api_client(role, "token")
    for space, word in SEARCH_WORDS.items():
        response = client.get("/api/search/", {"q": word})
        assert response.status_code == HTTPStatus.OK
        expected = 1 if _allowed(role, space) else 0
        assert response.json()["count"] == expected, (role, space)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("space", SPACES)
def test_feeds__a_token_opens_its_members_feeds_only(api_client, role, space):
    response = api_client(role, "token").get(f"/feeds/{space}/meetings.json")
    if space in SEES[role]:
        assert response.status_code == HTTPStatus.OK
        assert FEED_GROUP[space] in response.content.decode()
    else:  # the same 404 as a feed that does not exist
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert FEED_GROUP[space] not in response.content.decode()


@pytest.mark.parametrize("role", [BAD_TOKEN, REVOKED_TOKEN])
@pytest.mark.parametrize("kind", ["document", "image", "rendition", "search", "feed", "public"])
def test_bad_or_revoked_token__is_401_never_the_visitor_view(api_client, demo_files, role, kind):
    url = {
        "search": "/api/search/?q=welcome",
        "feed": "/feeds/frontline/meetings.json",
        "public": "/feeds/public/meetings.json",
    }.get(kind) or demo_files[(kind, PUBLIC)]
    response = api_client(role).get(url)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "message" in response.json()
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("header", ["Basic Zm9vOmJhcg==", "Bearer", "Token abc"])
def test_other_authorization_schemes__are_401_on_files_too(db, client, demo_files, header):
    response = client.get(demo_files[("document", PUBLIC)], HTTP_AUTHORIZATION=header)
    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_token__is_not_a_session(api_client, demo_files):
    """A token opens the request it comes with; it signs nobody in on the web pages."""
    client = api_client("frontline-member", "token")
    assert client.get(demo_files[("document", "frontline")]).status_code == HTTPStatus.OK
    assert "sessionid" not in client.cookies
    response = client.get("/frontline/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/account/login/")
