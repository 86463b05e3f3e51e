"""Every role against every demo resource page, guide, filtered library and attached document.

Members of the space read them (200); other signed-in people get the 403 that explains how to
join; visitors are sent to sign in. A denied answer never carries the page's title, and a
library never lists another space's items.
"""

from http import HTTPStatus

import pytest
from wagtail.models import Locale

from resources.models import GuidePage, ResourcePage
from tests.conftest import ALL_ROLES, ANONYMOUS, ROLES, SEES

# (space, URL, title) for each demo page: read at import time from the demo's builder.
RESOURCE_PAGES = [
    ("common-ground", "/common-ground/resources/988-lifeline/", "988 Suicide & Crisis Lifeline"),
    ("common-ground", "/common-ground/resources/samhsa-national-helpline/", "SAMHSA"),
    (
        "common-ground",
        "/common-ground/resources/massachusetts-substance-use-helpline/",
        "Massachusetts Substance Use Helpline",
    ),
    ("frontline", "/frontline/resources/smart-recovery/", "SMART Recovery"),
    ("frontline", "/frontline/resources/refuge-recovery/", "Refuge Recovery"),
    ("frontline", "/frontline/resources/welcome-pack/", "Welcome pack for new members"),
    ("bereaved", "/bereaved/resources/smart-family-and-friends/", "SMART Family"),
    ("bereaved", "/bereaved/resources/live4lali-grief-group/", "Live4Lali"),
    ("bereaved", "/bereaved/resources/welcome-pack/", "Welcome pack for new members"),
]
GUIDE_PAGES = [
    ("frontline", "/frontline/guides/after-a-hard-shift/", "After a hard shift"),
    ("bereaved", "/bereaved/guides/the-first-weeks/", "The first weeks after a loss"),
    ("common-ground", "/common-ground/guides/four-kinds-of-peer-support/", "Four kinds of peer"),
]
FILTERED_LIBRARIES = [
    (
        "frontline",
        "/frontline/resources/?support=affiliational&topic=self-care&language=en",
        "Welcome pack for new members",
    ),
    ("bereaved", "/bereaved/resources/?support=emotional&topic=grief", "Live4Lali"),
    ("common-ground", "/common-ground/resources/?topic=crisis&language=es", "988 Suicide"),
]
CASES = RESOURCE_PAGES + GUIDE_PAGES + FILTERED_LIBRARIES


def test_every_role_is_in_the_matrix():
    assert set(SEES) == set(ALL_ROLES)


def test_matrix_covers_every_demo_page(db):
    urls = {url for _space, url, _title in CASES}
    source = Locale.get_default()  # translations are the languages helper's matrix
    for page in [*ResourcePage.objects.live().filter(locale=source),
                 *GuidePage.objects.live().filter(locale=source)]:  # fmt: skip
        assert page.get_url() in urls, page.get_url()


def _assert_denied(role, response, url, title):
    """Inside a space, hidden answers like missing (docs/privacy.md): a visitor is sent to sign
    in (pages; a file is 404 for everyone), a signed-in non-member gets the 404."""
    if role == ANONYMOUS and not url.startswith("/documents/"):
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith("/account/login/?next=")
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND, url
        body = response.content.decode()
        assert 'name="password"' not in body and "/join/" not in body
        assert title not in body
        assert title.replace("&", "&amp;") not in body
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("space", "url", "title"), CASES)
def test_content__members_read_others_are_denied(client_for, role, space, url, title):
    response = client_for(role).get(url)
    if space in SEES[role]:
        assert response.status_code == HTTPStatus.OK, url
        assert title.replace("&", "&amp;") in response.content.decode()
        assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    else:
        _assert_denied(role, response, url, title)


DOCUMENTS = [
    ("frontline", "/frontline/resources/welcome-pack/"),
    ("bereaved", "/bereaved/resources/welcome-pack/"),
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("space", "page_url"), DOCUMENTS)
def test_attached_document__members_download_others_are_denied(
    client_for, page_at, role, space, page_url
):
    document = page_at(page_url).document
    url = document.url
    response = client_for(role).get(url)
    if space in SEES[role]:
        assert response.status_code == HTTPStatus.OK, url
        assert b"".join(response.streaming_content)
    else:
        _assert_denied(role, response, url, document.title)


@pytest.mark.parametrize(
    ("role", "space"), [(role, space) for role in ROLES for space in sorted(SEES[role])]
)
def test_library__never_lists_another_spaces_items(client_for, role, space):
    response = client_for(role).get(f"/{space}/resources/")
    body = response.content.decode()
    for other, url, _title in RESOURCE_PAGES:
        if other != space:
            assert f'href="{url}"' not in body
    for resource in response.context["resources"]:
        assert resource.url.startswith(f"/{space}/")
