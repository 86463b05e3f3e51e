"""The access matrix: every demo role against every demo page and file, allowed and denied.

The invariants of docs/privacy.md: a visitor sees only public pages and files
(`visitors-see-public-only`); a member sees public content, their own communities and Common
Ground, never another community's pages or files (`members-see-own-spaces`); private files only
through views that check membership (`no-public-file-urls`), `Cache-Control: private`
(`never-cached-public`); a signed-in non-member gets a 403 that explains how to ask to join,
never the login form (`non-member-gets-403`), for a space's own front page only: inside a
space, and for files, hidden answers like missing (a visitor is sent to sign in under a space's
address, a signed-in person gets the 404; files are 404 for everyone; docs/privacy.md and
tests/test_existence_pairs.py).

Each case is one (role, URL) pair sharing the same demo data, so an allowed case and its denied
twin differ only in who asks.
"""

from http import HTTPStatus

import pytest
from django.conf import settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.conftest import ALL_ROLES, ANONYMOUS, SEES, SPACES

PUBLIC_PAGES = ["/", "/about/", "/join/", "/crisis-help/"]
SECTIONS = ["", "resources/", "guides/", "groups/"]

# Text that appears only inside each space (its intro), which a denied answer must not carry.
SECRET_TEXT = {
    "frontline": "close-up services to people at high risk",
    "bereaved": "further on who now help others",
    "common-ground": "Shared by the members of every community",
}


def test_every_role_is_in_the_matrix():
    assert set(SEES) == set(ALL_ROLES)


def _assert_private_headers(response):
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def _assert_denied(role, response, url, secret=None, *, front_page=False):
    body = response.content.decode()
    if role == ANONYMOUS:
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith(f"/account/login/?next={url}")
    elif front_page:
        assert response.status_code == HTTPStatus.FORBIDDEN, url
        assert 'name="password"' not in body  # never the login form again (Wagtail #4297)
        assert "/join/" in body or "/account/" in body  # says how to ask to join
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND, url  # inside: like a missing page
        assert "/join/" not in body and "members only" not in body
    if secret:
        assert secret not in body
    _assert_private_headers(response)


def _assert_file_denied(response, url):
    """A hidden file is a missing file, for everyone (the visitor too): the site's 404."""
    assert response.status_code == HTTPStatus.NOT_FOUND, url
    assert response["Content-Type"].startswith("text/html")
    _assert_private_headers(response)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page__everyone_reads_it(client_for, role, url):
    response = client_for(role).get(url)
    assert response.status_code == HTTPStatus.OK
    _assert_private_headers(response)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("space", SPACES)
@pytest.mark.parametrize("section", SECTIONS)
def test_space_page__members_read_others_are_denied(client_for, role, space, section):
    url = f"/{space}/{section}"
    response = client_for(role).get(url)
    if space in SEES[role]:
        assert response.status_code == HTTPStatus.OK, url
        _assert_private_headers(response)
        if section == "":
            assert SECRET_TEXT[space] in response.content.decode()
    else:
        _assert_denied(role, response, url, SECRET_TEXT[space], front_page=section == "")


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("space", SPACES)
def test_missing_page_in_space__denied_exactly_like_an_existing_one(client_for, role, space):
    """A non-member cannot tell which slugs exist inside a community."""
    url = f"/{space}/resources/no-such-page/"
    response = client_for(role).get(url)
    if space in SEES[role]:
        assert response.status_code == HTTPStatus.NOT_FOUND
    else:
        _assert_denied(role, response, url)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("space", [*SPACES, "public"])
@pytest.mark.parametrize("kind", ["document", "image", "rendition"])
def test_file__members_download_others_are_denied(client_for, demo_files, role, space, kind):
    url = demo_files[(kind, space)]
    response = client_for(role).get(url)
    if space == "public" or space in SEES[role]:
        assert response.status_code == HTTPStatus.OK, url
        assert response["X-Content-Type-Options"] == "nosniff"
        _assert_private_headers(response)
        body = b"".join(response.streaming_content)
        assert body  # the file itself
    else:
        _assert_file_denied(response, url)


@pytest.mark.parametrize("role", ["staff", "member-of-both", ANONYMOUS])
def test_media_folder__no_public_url_returns_any_file(client_for, role):
    """Originals, renditions and documents are never reachable through the media folder."""
    names = [d.file.name for d in get_document_model().objects.all()]
    for image in get_image_model().objects.all():
        names.append(image.file.name)
        names.append(image.get_rendition("fill-80x80").file.name)
    client = client_for(role)
    for name in names:
        for prefix in ("/media/", settings.MEDIA_URL, "/"):
            response = client.get(f"{prefix}{name}")
            assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.FOUND), name
            if response.status_code == HTTPStatus.FOUND:
                # only the privacy redirect to sign in, never to a file
                assert response["Location"].startswith("/account/login/")


def test_rendition_url__goes_through_the_membership_view(db):
    image = get_image_model().objects.exclude(collection__depth=1).first()
    url = image.get_rendition("fill-80x80").url
    assert url.startswith("/images/")
    assert not url.startswith(settings.MEDIA_URL)


@pytest.mark.parametrize("role", ["frontline-member", "applicant"])
def test_denied_page__offers_to_join_that_community(client_for, role):
    response = client_for(role).get("/bereaved/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert 'href="/join/bereaved/"' in response.content.decode()


def test_denied_common_ground__explains_it_is_for_members(client_for):
    response = client_for("applicant").get("/common-ground/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Common Ground is shared by the members of every community" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "listed"),
    [("frontline-member", "Frontline"), ("staff", "Bereaved")],
)
def test_front_door__lists_communities_but_not_their_contents(client_for, role, listed):
    body = client_for(role).get("/").content.decode()
    assert listed in body
    for secret in SECRET_TEXT.values():
        assert secret not in body
