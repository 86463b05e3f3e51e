"""Admin screens keep the privacy model: members and editors write in the Wagtail admin, so a
page of a space they may not see must not show up there by id, in choosers or in listings."""

from http import HTTPStatus

import pytest
from wagtail.models import Page

ADMIN_VIEWS_BY_PAGE = [
    "/admin/pages/{id}/",
    "/admin/pages/{id}/edit/",
    "/admin/pages/{id}/history/",
    "/admin/pages/{id}/move/",
    "/admin/pages/{id}/copy/",
    "/admin/pages/{id}/delete/",
    "/admin/pages/{id}/privacy/",
    "/admin/choose-page/{id}/",
    "/admin/bulk/wagtailcore/page/move/?id={id}",
]
OTHER_TITLE = "Bereaved by substance use"


@pytest.fixture
def bereaved_section(db):
    return Page.objects.get(url_path="/home/bereaved/resources/")


@pytest.mark.parametrize("url", ADMIN_VIEWS_BY_PAGE)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("frontline-member", False), ("frontline-editor", False), ("bereaved-editor", True)],
)
def test_admin_view_of_a_page__only_for_those_who_may_see_it(
    client_for, bereaved_section, url, role, allowed
):
    response = client_for(role).get(url.format(id=bereaved_section.pk))
    if allowed:
        # Wagtail's own permissions decide from here; privacy lets it through (setting privacy
        # is staff's, so that view is not open to editors at all).
        assert response.status_code != HTTPStatus.NOT_FOUND or "privacy" in url
    else:
        # Exactly like an id that does not exist (test_admin_existence.py compares the bytes).
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert OTHER_TITLE not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "sees_other"),
    [
        ("frontline-member", False),
        ("frontline-editor", False),
        ("member-of-both", True),
        ("staff", True),
    ],
)
@pytest.mark.parametrize(
    "url",
    ["/admin/choose-page/{home}/", "/admin/choose-page/search/?q=Bereaved", "/admin/pages/{home}/"],
)
def test_admin_listings_and_choosers__hide_other_spaces(client_for, role, sees_other, url):
    home = Page.objects.get(depth=2, locale__language_code="en")
    response = client_for(role).get(url.format(home=home.pk))
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    if sees_other and "choose-page" in url:
        assert OTHER_TITLE in body
    elif not sees_other:
        assert OTHER_TITLE not in body
