"""Only staff change privacy settings or move pages and files between spaces.

docs/privacy.md, invariant `only-staff-change-privacy`: an editor must not be able to make
community content public. Wagtail lets anyone who may publish a page change its privacy, anyone
who may add and publish at a destination move or copy pages there, and anyone who may add files
to a collection move files into it. Each case below pairs the refused editor or member with staff
doing the same thing on the same setup, and most go through the Wagtail admin's own HTTP views.

The moves and copies are tried on the sections themselves and on the community page. For a
destination the tree shape accepts, the fixtures give Common Ground no guides section
(`common_ground_without_guides`) or make a community without sections where the editor is
editor too (`nurses`): then nothing but this invariant stands in the editor's way. Both are
made once for the class of tests that use them (`other_spaces`) and rolled back after it.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import BaseViewRestriction, Collection, Page, PageViewRestriction

from community_pages.models import CommonGround, CommunityPage, GuideIndexPage
from home.models import HomePage
from tests.conftest import shared_setup

SECTIONS = ["resources/", "guides/", "groups/"]
FRONTLINE_PAGES = ["/frontline/", *(f"/frontline/{section}" for section in SECTIONS)]
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}  # how the admin opens its modals


# Fixtures and helpers ------------------------------------------------------------------------


@pytest.fixture
def people(user):
    return {
        name: user(name) for name in ("staff", "frontline-editor", "frontline-member", "applicant")
    }


@pytest.fixture
def home(db) -> HomePage:
    return HomePage.objects.get(depth=2, locale__language_code="en")


@pytest.fixture
def guides(page_at) -> GuideIndexPage:
    return page_at("/frontline/guides/")


@pytest.fixture(scope="class")
def other_spaces(django_db_setup, django_db_blocker):
    """Once for a class (rolled back after it): staff removed Common Ground's guides section,
    so a guides section may go there; and a community without sections, Nurses, where
    frontline-editor is an editor too. {"common-ground": pk, "nurses": pk}"""
    with shared_setup(django_db_blocker):
        common_ground = Page.objects.get(url_path="/home/common-ground/")
        Page.objects.get(url_path="/home/common-ground/guides/").delete()
        home = HomePage.objects.get(depth=2, locale__language_code="en")
        nurses = CommunityPage(title="Nurses", slug="nurses")
        home.add_child(instance=nurses)
        editor = get_user_model().objects.get(username="frontline-editor")
        editor.groups.add(nurses.community.members_group, nurses.community.editors_group)
        yield {"common-ground": common_ground.pk, "nurses": nurses.pk}


@pytest.fixture
def common_ground_without_guides(other_spaces, db):
    """Common Ground, after staff removed its guides section: a guides section may go there."""
    return Page.objects.get(pk=other_spaces["common-ground"]).specific


@pytest.fixture
def nurses(other_spaces, db):
    """A community without sections, where frontline-editor is an editor too."""
    return CommunityPage.objects.get(pk=other_spaces["nurses"])


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def _perms(page, user):
    """The permission tester Wagtail's views use, for a freshly loaded user and page."""
    return Page.objects.get(pk=page.pk).specific.permissions_for_user(_fresh(user))


def assert_admin_denied(response):
    """Refused: Wagtail answers PermissionDenied with a 403 (XHR) or a redirect to the dashboard;
    a view non-staff may not open at all (privacy, moves out of a space) is the admin's 404."""
    if response.status_code == HTTPStatus.FOUND:
        assert response["Location"] == "/admin/"
    else:
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


def _restrictions():
    return sorted(
        (r.page_id, r.restriction_type, tuple(sorted(r.groups.values_list("id", flat=True))))
        for r in PageViewRestriction.objects.prefetch_related("groups")
    )


def _parent_path(page) -> str:
    return Page.objects.get(pk=page.pk).get_parent().url_path


# Privacy settings ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*FRONTLINE_PAGES, "/common-ground/"])
@pytest.mark.parametrize("role", ["frontline-editor", "frontline-member"])
def test_set_privacy_view__non_staff_are_refused(page_at, people, role, url):
    page = page_at(url)
    client = _client(people[role])

    assert_admin_denied(client.get(f"/admin/pages/{page.pk}/privacy/", **XHR))
    assert_admin_denied(client.get(f"/admin/pages/{page.pk}/privacy/"))


@pytest.mark.parametrize("url", [*FRONTLINE_PAGES, "/common-ground/"])
def test_set_privacy_view__staff_can_open_it(page_at, people, url):
    page = page_at(url)

    response = _client(people["staff"]).get(f"/admin/pages/{page.pk}/privacy/", **XHR)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["step"] == "set_privacy"


@pytest.mark.parametrize(("role", "allowed"), [("frontline-editor", False), ("staff", True)])
@pytest.mark.parametrize("restriction_type", [BaseViewRestriction.NONE, BaseViewRestriction.LOGIN])
def test_set_privacy_view__only_staff_can_make_a_community_public(
    page_at, client_for, people, role, allowed, restriction_type
):
    frontline = page_at("/frontline/")
    before = _restrictions()

    response = _client(people[role]).post(
        f"/admin/pages/{frontline.pk}/privacy/", {"restriction_type": restriction_type}, **XHR
    )

    if allowed:
        assert response.status_code == HTTPStatus.OK
        assert response.json()["step"] == "set_privacy_done"
        assert _restrictions() != before
        assert client_for("bereaved-member").get("/frontline/").status_code == HTTPStatus.OK
    else:
        assert_admin_denied(response)
        assert _restrictions() == before
        assert client_for("bereaved-member").get("/frontline/").status_code == (
            HTTPStatus.FORBIDDEN
        )


@pytest.mark.parametrize("url", SECTIONS)
def test_set_privacy_view__editor_cannot_loosen_or_add_restrictions_on_a_section(
    page_at, people, url
):
    section = page_at(f"/frontline/{url}")
    before = _restrictions()

    response = _client(people["frontline-editor"]).post(
        f"/admin/pages/{section.pk}/privacy/",
        {"restriction_type": BaseViewRestriction.LOGIN},
        **XHR,
    )

    assert_admin_denied(response)
    assert _restrictions() == before


@pytest.mark.parametrize("url", [*FRONTLINE_PAGES, "/common-ground/", "/common-ground/guides/"])
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("staff", True), ("frontline-editor", False), ("frontline-member", False)],
)
def test_can_set_view_restrictions__staff_only(page_at, people, url, role, allowed):
    page = page_at(url)

    assert _perms(page, people[role]).can_set_view_restrictions() is allowed
    # Wagtail also builds testers from plain `Page` objects (bulk actions, copy, move forms).
    plain = Page.objects.get(pk=page.pk)
    assert plain.permissions_for_user(_fresh(people[role])).can_set_view_restrictions() is allowed


@pytest.mark.parametrize(
    ("role", "publishes", "unpublishes"),
    [
        ("staff", True, True),
        ("frontline-editor", False, True),
        ("frontline-member", False, False),
        ("applicant", False, False),
    ],
)
@pytest.mark.parametrize("url", FRONTLINE_PAGES)
def test_can_publish__only_staff_directly__editors_unpublish(
    page_at, people, url, role, publishes, unpublishes
):
    """Inside a space publishing is the elected editors' review (workflows/publishing.py)."""
    page = page_at(url)

    perms = _perms(page, people[role])

    assert perms.can_publish() is publishes
    assert perms.can_publish_subpage() is (
        publishes and page.specific_class.creatable_subpage_models() != []
    )
    if page.depth > 3:  # the space page itself is unpublished by staff only
        assert perms.can_unpublish() is unpublishes
    assert perms.can_set_view_restrictions() is (role == "staff")


def test_publish__member_cannot_publish_through_the_admin(page_at, people):
    guides = page_at("/frontline/guides/")
    revisions_before = guides.revisions.count()

    response = _client(people["frontline-member"]).post(
        f"/admin/pages/{guides.pk}/edit/",
        {"title": "Published by a member", "slug": "guides", "action-publish": "Publish"},
    )

    assert_admin_denied(response)
    guides.refresh_from_db()
    assert guides.title == "Peer-support guides"
    assert guides.revisions.count() == revisions_before


# Moving pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"), [("staff", True), ("frontline-editor", False), ("frontline-member", False)]
)
def test_can_move__the_community_page_itself_staff_only(page_at, home, people, role, allowed):
    frontline = page_at("/frontline/")

    perms = _perms(frontline, people[role])

    assert perms.can_move() is allowed
    assert perms.can_move_to(home) is allowed  # reordering under the home page


@pytest.mark.parametrize("role", ["staff", "frontline-editor"])
def test_can_move__section_to_the_home_page_refused_by_tree_shape(guides, home, people, role):
    assert not _perms(guides, people[role]).can_move_to(home)


@pytest.mark.parametrize("role", ["staff", "frontline-editor"])
def test_can_move__section_into_a_full_community_refused_by_tree_shape(page_at, people, role):
    guides = page_at("/frontline/guides/")

    for destination in ("/bereaved/", "/common-ground/", "/frontline/resources/"):
        assert not _perms(guides, people[role]).can_move_to(page_at(destination)), destination


def test_can_move__editor_may_reorder_within_the_community(guides, page_at, people):
    frontline = page_at("/frontline/")

    perms = _perms(guides, people["frontline-editor"])

    assert perms.can_move()
    assert perms.can_move_to(frontline)  # its own parent: reordering stays in the community


def _move_confirm_url(page, destination) -> str:
    return f"/admin/pages/{page.pk}/move/{destination.pk}/confirm/"


@pytest.mark.parametrize(("role", "opens"), [("staff", True), ("frontline-editor", False)])
def test_move_view__choosing_a_destination_for_the_community_page(page_at, people, role, opens):
    frontline = page_at("/frontline/")

    response = _client(people[role]).get(f"/admin/pages/{frontline.pk}/move/")

    if opens:
        assert response.status_code == HTTPStatus.OK
    else:
        assert_admin_denied(response)


@pytest.mark.parametrize(("role", "moved"), [("staff", True), ("frontline-editor", False)])
def test_move_view__the_community_page_itself(page_at, home, people, role, moved):
    frontline = page_at("/frontline/")
    bereaved = page_at("/bereaved/")
    path_before = Page.objects.get(pk=frontline.pk).path

    # Reorder it after Bereaved: the only move the tree shape allows a community page.
    position = list(home.get_children()).index(Page.objects.get(pk=bereaved.pk))
    response = _client(people[role]).post(
        f"/admin/pages/{frontline.pk}/set_position/?position={position}"
    )

    if moved:
        assert response.status_code == HTTPStatus.OK
        assert Page.objects.get(pk=frontline.pk).path > Page.objects.get(pk=bereaved.pk).path
    else:
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
        assert Page.objects.get(pk=frontline.pk).path == path_before


def _bulk_move(user, page, destination):
    return _client(user).post(
        f"/admin/bulk/wagtailcore/page/move/?id={page.pk}&next=/admin/pages/",
        {"chooser": destination.pk},
    )


@pytest.mark.usefixtures("other_spaces")
class TestMovesToAnotherSpace:
    """Moving a section to Common Ground (without guides) or to Nurses (edited by the editor)."""

    @pytest.mark.parametrize(("role", "allowed"), [("staff", True), ("frontline-editor", False)])
    def test_can_move__section_to_common_ground_staff_only(
        self, guides, common_ground_without_guides, people, role, allowed
    ):
        editor_perms = common_ground_without_guides.permissions_for_user(
            _fresh(people["frontline-editor"])
        )
        assert (
            editor_perms.can_add_subpage() and "publish" in editor_perms.permissions
        )  # not what stops it

        assert _perms(guides, people[role]).can_move_to(common_ground_without_guides) is allowed

    @pytest.mark.parametrize(("role", "allowed"), [("staff", True), ("frontline-editor", False)])
    def test_can_move__section_to_another_community_staff_only(
        self, guides, nurses, people, role, allowed
    ):
        assert (
            "publish" in nurses.permissions_for_user(_fresh(people["frontline-editor"])).permissions
        )

        assert _perms(guides, people[role]).can_move_to(nurses) is allowed

    def test_can_move__member_cannot_move_anything(
        self, page_at, people, common_ground_without_guides
    ):
        member = people["frontline-member"]
        for url in FRONTLINE_PAGES:
            perms = _perms(page_at(url), member)
            assert not perms.can_move(), url
            assert not perms.can_move_to(common_ground_without_guides), url

    @pytest.mark.parametrize(("role", "moved"), [("staff", True), ("frontline-editor", False)])
    def test_move_view__section_to_common_ground(
        self, guides, common_ground_without_guides, client_for, people, role, moved
    ):
        response = _client(people[role]).post(
            _move_confirm_url(guides, common_ground_without_guides)
        )

        if moved:
            assert response.status_code == HTTPStatus.FOUND
            assert _parent_path(guides) == "/home/common-ground/"
        else:
            assert_admin_denied(response)
            assert _parent_path(guides) == "/home/frontline/"
            # and the content stays private to the community
            response = client_for("bereaved-member").get("/frontline/guides/")
            assert response.status_code == HTTPStatus.NOT_FOUND

    @pytest.mark.parametrize(("role", "moved"), [("staff", True), ("frontline-editor", False)])
    def test_move_view__section_to_another_community(self, guides, nurses, people, role, moved):
        response = _client(people[role]).post(_move_confirm_url(guides, nurses))

        if moved:
            assert response.status_code == HTTPStatus.FOUND
            assert _parent_path(guides) == "/home/nurses/"
        else:
            assert_admin_denied(response)
            assert _parent_path(guides) == "/home/frontline/"

    @pytest.mark.parametrize(("role", "moved"), [("staff", True), ("frontline-editor", False)])
    def test_bulk_move__section_to_common_ground(
        self, guides, common_ground_without_guides, people, role, moved
    ):
        response = _bulk_move(people[role], guides, common_ground_without_guides)

        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
        expected = "/home/common-ground/" if moved else "/home/frontline/"
        assert _parent_path(guides) == expected

    @pytest.mark.parametrize(("role", "moved"), [("staff", True), ("frontline-editor", False)])
    def test_bulk_move__section_to_another_community(self, guides, nurses, people, role, moved):
        _bulk_move(people[role], guides, nurses)

        assert _parent_path(guides) == ("/home/nurses/" if moved else "/home/frontline/")


# Copying pages -------------------------------------------------------------------------------


def _copy(user, page, destination, slug="guides"):
    return _client(user).post(
        f"/admin/pages/{page.pk}/copy/",
        {
            "new_title": "Copied guides",
            "new_slug": slug,
            "new_parent_page": destination.pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )


@pytest.mark.usefixtures("other_spaces")
class TestCopiesToAnotherSpace:
    """Copying a section to Common Ground (without guides) or to Nurses (edited by the editor)."""

    @pytest.mark.parametrize(("role", "allowed"), [("staff", True), ("frontline-editor", False)])
    def test_can_copy_to__another_space_staff_only(
        self, guides, nurses, common_ground_without_guides, people, role, allowed
    ):
        perms = _perms(guides, people[role])

        assert perms.can_copy()
        assert perms.can_copy_to(common_ground_without_guides) is allowed
        assert perms.can_copy_to(nurses) is allowed
        plain = Page.objects.get(pk=guides.pk).permissions_for_user(_fresh(people[role]))
        assert plain.can_copy_to(common_ground_without_guides) is allowed

    @pytest.mark.parametrize(("role", "copied"), [("staff", True), ("frontline-editor", False)])
    def test_copy_view__section_to_common_ground(
        self, guides, common_ground_without_guides, client_for, people, role, copied
    ):
        response = _copy(people[role], guides, common_ground_without_guides)

        exists = Page.objects.filter(url_path="/home/common-ground/guides/").exists()
        assert exists is copied
        if copied:
            assert response.status_code == HTTPStatus.FOUND
        else:
            assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
            assert client_for("bereaved-member").get("/common-ground/guides/").status_code == (
                HTTPStatus.NOT_FOUND
            )

    @pytest.mark.parametrize(("role", "copied"), [("staff", True), ("frontline-editor", False)])
    def test_copy_view__section_to_another_community(self, guides, nurses, people, role, copied):
        _copy(people[role], guides, nurses)

        assert Page.objects.filter(url_path="/home/nurses/guides/").exists() is copied


# Moving files between collections ------------------------------------------------------------


def _collection(slug: str) -> Collection:
    if slug == "common-ground":
        return CommonGround.objects.get().collection
    return CommunityPage.objects.get(slug=slug, locale__language_code="en").community.collection


@pytest.fixture
def frontline_document(db):
    return get_document_model().objects.get(collection=_collection("frontline"))


@pytest.fixture
def frontline_image(db):
    return get_image_model().objects.get(collection=_collection("frontline"))


def _document_form(document, collection, title=None) -> dict:
    return {
        "title": title or document.title,
        "collection": collection.pk,
        "tags": "",
    }


@pytest.mark.parametrize(
    ("role", "moved"), [("staff", True), ("frontline-editor", False)], ids=["staff", "editor"]
)
def test_document_edit__only_staff_move_a_document_to_common_ground(
    frontline_document, client_for, people, role, moved
):
    common = _collection("common-ground")

    response = _client(people[role]).post(
        f"/admin/documents/edit/{frontline_document.pk}/",
        _document_form(frontline_document, common),
    )

    frontline_document.refresh_from_db()
    if moved:
        assert response.status_code == HTTPStatus.FOUND
        assert frontline_document.collection == common
    else:
        assert response.status_code == HTTPStatus.OK
        assert "Only staff can move a file to another collection" in response.content.decode()
        assert frontline_document.collection == _collection("frontline")
        assert client_for("bereaved-member").get(frontline_document.url).status_code == (
            HTTPStatus.NOT_FOUND  # a hidden file is a missing one (docs/privacy.md)
        )


def test_document_edit__editor_may_still_edit_it_in_place(frontline_document, people):
    response = _client(people["frontline-editor"]).post(
        f"/admin/documents/edit/{frontline_document.pk}/",
        _document_form(frontline_document, _collection("frontline"), title="Welcome pack, v2"),
    )

    assert response.status_code == HTTPStatus.FOUND
    frontline_document.refresh_from_db()
    assert frontline_document.title == "Welcome pack, v2"
    assert frontline_document.collection == _collection("frontline")


@pytest.mark.parametrize(("role", "moved"), [("staff", True), ("frontline-editor", False)])
def test_document_multiple_edit__only_staff_move_a_document(
    frontline_document, people, role, moved
):
    common = _collection("common-ground")
    prefix = f"doc-{frontline_document.pk}"

    response = _client(people[role]).post(
        f"/admin/documents/multiple/{frontline_document.pk}/",
        {f"{prefix}-title": frontline_document.title, f"{prefix}-collection": common.pk},
    )

    assert response.json()["success"] is moved
    frontline_document.refresh_from_db()
    assert (frontline_document.collection == common) is moved


@pytest.mark.parametrize(("role", "moved"), [("staff", True), ("frontline-editor", False)])
def test_image_edit__only_staff_move_an_image_to_common_ground(
    frontline_image, client_for, people, role, moved
):
    common = _collection("common-ground")

    response = _client(people[role]).post(
        f"/admin/images/{frontline_image.pk}/",
        {"title": frontline_image.title, "collection": common.pk, "tags": ""},
    )

    frontline_image.refresh_from_db()
    if moved:
        assert response.status_code == HTTPStatus.FOUND
        assert frontline_image.collection == common
    else:
        assert response.status_code == HTTPStatus.OK
        assert "Only staff can move a file to another collection" in response.content.decode()
        assert frontline_image.collection == _collection("frontline")
        assert client_for("bereaved-member").get(frontline_image.serve_url).status_code == (
            HTTPStatus.NOT_FOUND  # a hidden file is a missing one (docs/privacy.md)
        )


def test_image_edit__editor_may_still_edit_it_in_place(frontline_image, people):
    response = _client(people["frontline-editor"]).post(
        f"/admin/images/{frontline_image.pk}/",
        {"title": "Gathering, retouched", "collection": _collection("frontline").pk, "tags": ""},
    )

    assert response.status_code == HTTPStatus.FOUND
    frontline_image.refresh_from_db()
    assert frontline_image.title == "Gathering, retouched"


BULK_COLLECTION_URLS = {
    "document": "/admin/bulk/wagtaildocs/document/add_to_collection/",
    "image": "/admin/bulk/resources/privateimage/add_to_collection/",
}


@pytest.mark.parametrize(("role", "moved"), [("staff", True), ("frontline-editor", False)])
@pytest.mark.parametrize("kind", ["document", "image"])
def test_bulk_add_to_collection__only_staff_move_files_to_common_ground(
    frontline_document, frontline_image, client_for, people, kind, role, moved
):
    obj = frontline_document if kind == "document" else frontline_image
    common = _collection("common-ground")

    response = _client(people[role]).post(
        f"{BULK_COLLECTION_URLS[kind]}?id={obj.pk}&next=/admin/", {"collection": common.pk}
    )

    obj.refresh_from_db()
    if moved:
        assert response.status_code == HTTPStatus.FOUND
        assert obj.collection == common
    else:
        assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
        assert obj.collection == _collection("frontline")
        url = obj.url if kind == "document" else obj.serve_url
        assert client_for("bereaved-member").get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("language", ["en", "es", "pt"])
@pytest.mark.parametrize("slug", ["frontline", "common-ground"])
@pytest.mark.parametrize(("role", "allowed"), [("frontline-editor", False), ("staff", True)])
def test_space_page__only_staff_delete_or_unpublish_it(user, slug, role, allowed, language):
    from wagtail.models import Page

    space = Page.objects.get(depth=3, slug=slug, locale__language_code=language).specific
    tester = space.permissions_for_user(user(role))
    assert tester.can_delete() is allowed
    assert tester.can_unpublish() is allowed


@pytest.mark.parametrize("language", ["en", "es", "pt"])
@pytest.mark.parametrize(("role", "allowed"), [("frontline-editor", False), ("staff", True)])
def test_space_page__delete_view_refuses_editors(client_for, role, allowed, language):
    from wagtail.models import Page

    space = Page.objects.get(depth=3, slug="frontline", locale__language_code=language)
    response = client_for(role).post(f"/admin/pages/{space.pk}/delete/")
    assert Page.objects.filter(pk=space.pk).exists() is not allowed
    if not allowed:
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
