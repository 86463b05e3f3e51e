"""A community or Common Ground may not take a slug the project uses for its own addresses:
`public` would share /feeds/public/meetings.json, `admin` or `es` would never be reached."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.models import Collection, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text

from community_pages.models import (
    RESERVED_SPACE_SLUGS,
    CommonGroundPage,
    Community,
    CommunityPage,
)
from community_pages.services import space_create
from home.models import HomePage

SAMPLE = ["public", "admin", "feeds", "join", "es", "pt", "en", "static", "Documents"]


@pytest.fixture
def home(db) -> HomePage:
    return HomePage.objects.get(depth=2, locale__language_code="en")


def _counts():
    return (Page.objects.count(), Community.objects.count(), Group.objects.count(),
            Collection.objects.count())  # fmt: skip


def test_reserved__covers_every_prefix_outside_the_page_tree():
    expected = {
        "public", "admin", "documents", "images", "feeds", "api", "account", "search", "join",
        "invitation", "leave", "static", "media", "es", "pt", "en",
    }  # fmt: skip
    assert expected <= RESERVED_SPACE_SLUGS


@pytest.mark.parametrize("slug", SAMPLE)
def test_space_create__refuses_a_reserved_slug(home, slug):
    before = _counts()
    with pytest.raises(ValidationError) as raised:
        space_create(parent=home, page_class=CommunityPage, title="Nurses", slug=slug)
    assert "slug" in raised.value.message_dict
    assert "reserved" in raised.value.message_dict["slug"][0]
    assert _counts() == before
    assert not CommunityPage.objects.filter(slug=slug).exists()


def test_space_create__an_ordinary_slug_still_works(home):
    page = space_create(parent=home, page_class=CommunityPage, title="Nurses", slug="publics")
    assert page.live and page.url == "/publics/"


@pytest.mark.parametrize("page_class", [CommunityPage, CommonGroundPage])
def test_clean__both_space_types_refuse_a_reserved_slug(db, page_class):
    page = page_class(title="Anything", slug="public")
    with pytest.raises(ValidationError) as raised:
        page.clean()
    assert "slug" in raised.value.message_dict


def test_clean__renaming_common_ground_to_a_reserved_slug_is_refused(db):
    common_ground = CommonGroundPage.objects.get(locale__language_code="en")
    common_ground.slug = "search"
    with pytest.raises(ValidationError):
        common_ground.save()
    common_ground.refresh_from_db()
    assert common_ground.slug == "common-ground"


@pytest.mark.parametrize("slug", ["public", "admin", "es"])
def test_admin__staff_adding_a_community_with_a_reserved_slug_gets_a_form_error(
    home, client_for, slug
):
    before = _counts()
    data = nested_form_data(
        {
            "title": "Nurses",
            "slug": slug,
            "intro": rich_text("<p>For nurses.</p>"),
            "action-publish": "Publish",
        }
    )

    response = client_for("staff").post(
        f"/admin/pages/add/community_pages/communitypage/{home.pk}/", data
    )

    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    errors = response.context["form"].errors
    assert "slug" in errors and "reserved" in errors["slug"][0]
    assert _counts() == before


def test_admin__staff_renaming_a_community_to_a_reserved_slug_gets_a_form_error(client_for, db):
    frontline = CommunityPage.objects.get(slug="frontline", locale__language_code="en")
    data = nested_form_data(
        {
            "title": frontline.title,
            "slug": "feeds",
            "intro": rich_text(frontline.intro),
            "action-publish": "Publish",
        }
    )

    response = client_for("staff").post(f"/admin/pages/{frontline.pk}/edit/", data)

    assert response.status_code == HTTPStatus.OK
    assert "slug" in response.context["form"].errors
    frontline.refresh_from_db()
    assert frontline.slug == "frontline"


@pytest.mark.parametrize(("slug", "copied"), [("feeds", False), ("nurses", True)])
def test_admin_copy__staff_copying_a_community_to_a_reserved_slug_gets_a_form_error(
    client, home, slug, copied
):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="staff"))
    frontline = CommunityPage.objects.get(slug="frontline", locale__language_code="en")
    before = Page.objects.count()
    response = client.post(
        f"/admin/pages/{frontline.pk}/copy/",
        {"new_title": "Copied", "new_slug": slug, "new_parent_page": home.pk,
         "copy_subpages": "", "publish_copies": ""},
    )  # fmt: skip
    assert CommunityPage.objects.filter(slug=slug).exists() is copied
    if not copied:
        assert response.status_code == HTTPStatus.OK
        assert "reserved" in response.content.decode()
        assert Page.objects.count() == before
