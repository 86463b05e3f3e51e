"""Provisioning: however a community is created, it is private, whole and consistent.

Creating a community provisions (docs/privacy.md), in one transaction and
idempotently, a members group and an editors group, a group view restriction on the community
page, page permissions (members add; editors add, change, publish, lock, unlock), a restricted
collection with the same split of permissions, and membership of Common Ground's restriction.
Renaming and deleting keep all of this consistent; `reconcile_communities` repairs drift and
says what it repaired; running anything twice changes nothing.

The expected permissions are written out here rather than imported from the code under test.
"""

from __future__ import annotations

import io
import uuid
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    PageViewRestriction,
)
from wagtail.permissions import policy_registry
from wagtail.test.utils.form_data import nested_form_data, rich_text

from community_pages import provisioning
from community_pages.models import (
    CommonGround,
    CommonGroundPage,
    Community,
    CommunityPage,
    GuideIndexPage,
)
from community_pages.provisioning import (
    common_ground_provision,
    community_provision,
    reconcile_all,
)
from community_pages.services import membership_add, space_create
from core.visibility import user_can_view_file, user_can_view_page
from home.models import HomePage
from tests.conftest import shared_setup

FRONTLINE = "Frontline care providers"
MEMBER_PAGE_CODENAMES = {"add_page"}
EDITOR_PAGE_CODENAMES = {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}
MEMBER_FILE_ACTIONS = {"add", "choose"}
EDITOR_FILE_ACTIONS = {"add", "change", "choose", "delete"}
COMMON_GROUND_FILE_ACTIONS = {"add", "choose"}
NOTHING_TO_REPAIR = "Nothing to repair."


# Fixtures and helpers ------------------------------------------------------------------------


@pytest.fixture
def home(db) -> HomePage:
    return HomePage.objects.get(depth=2, locale__language_code="en")


@pytest.fixture
def frontline(db) -> CommunityPage:
    return CommunityPage.objects.get(slug="frontline", locale__language_code="en")


@pytest.fixture
def common_ground_page(db) -> CommonGroundPage:
    return CommonGroundPage.objects.get(locale__language_code="en")


@pytest.fixture
def newcomer(db):
    """A signed-up person in no community (the demo's applicant has a pending request)."""
    return get_user_model().objects.create_user(username="newcomer", password="x-long-enough-1")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fresh(user):
    """The user as a new request would load it (group ids are cached on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _page_codenames(group, page) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(group=group, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def _file_codenames(actions) -> set[str]:
    """Wagtail checks file permissions against its own models, even for our custom image model
    (its permission policy's `auth_model` is `wagtailimages.Image`)."""
    models = [("wagtaildocs", "document"), ("wagtailimages", "image")]
    return {f"{app}.{action}_{model}" for action in actions for app, model in models}


def _collection_codenames(group, collection) -> set[str]:
    rows = GroupCollectionPermission.objects.filter(group=group, collection=collection)
    return {
        f"{app}.{codename}"
        for app, codename in rows.values_list(
            "permission__content_type__app_label", "permission__codename"
        )
    }


def _restriction_groups(model, **target) -> set[int]:
    """The group ids of the one GROUPS restriction on the target; fails if it has any other."""
    restrictions = list(model.objects.filter(**target))
    assert [r.restriction_type for r in restrictions] == [BaseViewRestriction.GROUPS]
    return set(restrictions[0].groups.values_list("id", flat=True))


def _common_ground_collection() -> Collection:
    return CommonGround.objects.get().collection


def assert_provisioned(page: CommunityPage, title: str | None = None) -> Community:
    """Everything docs/privacy.md lists for a community, exactly."""
    title = title or page.title
    community = Community.objects.get(translation_key=page.translation_key)
    members, editors = community.members_group, community.editors_group
    group_ids = {members.pk, editors.pk}

    assert community.name == title
    assert members.name == f"{title}: members"
    assert editors.name == f"{title}: editors"
    for group in (members, editors):
        assert _admin_access() in group.permissions.all()

    for community_page in CommunityPage.objects.filter(translation_key=page.translation_key):
        assert _restriction_groups(PageViewRestriction, page=community_page) == group_ids
        assert _page_codenames(members, community_page) == MEMBER_PAGE_CODENAMES
        assert _page_codenames(editors, community_page) == EDITOR_PAGE_CODENAMES

    collection = community.collection
    assert collection.name == title
    assert collection.get_parent() == Collection.get_first_root_node()
    assert _restriction_groups(CollectionViewRestriction, collection=collection) == group_ids
    assert _collection_codenames(members, collection) == _file_codenames(MEMBER_FILE_ACTIONS)
    assert _collection_codenames(editors, collection) == _file_codenames(EDITOR_FILE_ACTIONS)

    # Common Ground: its page and its collection admit this community's people.
    for common_page in CommonGroundPage.objects.all():
        assert group_ids <= _restriction_groups(PageViewRestriction, page=common_page)
        assert _page_codenames(members, common_page) == MEMBER_PAGE_CODENAMES
        assert _page_codenames(editors, common_page) == EDITOR_PAGE_CODENAMES
    common_collection = _common_ground_collection()
    assert group_ids <= _restriction_groups(CollectionViewRestriction, collection=common_collection)
    for group in (members, editors):
        assert _collection_codenames(group, common_collection) == _file_codenames(
            COMMON_GROUND_FILE_ACTIONS
        )
    return community


def _snapshot() -> dict[str, list]:
    """Every row provisioning owns, to compare before and after."""
    through = PageViewRestriction.groups.through
    collection_through = CollectionViewRestriction.groups.through
    return {
        "groups": sorted(Group.objects.values_list("id", "name")),
        "group permissions": sorted(
            Group.permissions.through.objects.values_list("id", "group_id", "permission_id")
        ),
        "page permissions": sorted(
            GroupPagePermission.objects.values_list("id", "group_id", "page_id", "permission_id")
        ),
        "page restrictions": sorted(
            PageViewRestriction.objects.values_list("id", "page_id", "restriction_type")
        ),
        "page restriction groups": sorted(through.objects.values_list("id", "group_id")),
        "collections": sorted(Collection.objects.values_list("id", "name", "path")),
        "collection restrictions": sorted(
            CollectionViewRestriction.objects.values_list("id", "collection_id", "restriction_type")
        ),
        "collection restriction groups": sorted(
            collection_through.objects.values_list("id", "group_id")
        ),
        "collection permissions": sorted(
            GroupCollectionPermission.objects.values_list(
                "id", "group_id", "collection_id", "permission_id"
            )
        ),
        "communities": sorted(
            Community.objects.values_list(
                "id", "name", "slug", "members_group_id", "editors_group_id", "collection_id"
            )
        ),
        "common ground": sorted(CommonGround.objects.values_list("id", "collection_id")),
    }


def _writes(queries) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(verbs)]


def _reconcile() -> str:
    out = io.StringIO()
    call_command("reconcile_communities", stdout=out)
    return out.getvalue()


def _new_member(community: Community, username: str):
    user = get_user_model().objects.create_user(username=username, password="x-long-enough-1")
    membership_add(user=user, community=community)
    return _fresh(user)


# Creating a community in code ----------------------------------------------------------------


def test_space_create__provisions_groups_privacy_permissions_and_collection(home):
    page = space_create(parent=home, page_class=CommunityPage, title="Nurses", slug="nurses")

    community = assert_provisioned(page, "Nurses")
    assert community.slug == "nurses"
    # Nothing else: the new groups may enter the admin and do nothing there by themselves.
    assert set(community.members_group.permissions.all()) == {_admin_access()}
    assert set(community.editors_group.permissions.all()) == {_admin_access()}
    # The sections inherit the community's privacy; they carry no restriction of their own.
    sections = page.get_children()
    assert sections.count() == 3
    assert not PageViewRestriction.objects.filter(page__in=sections).exists()


def test_add_child__plain_code_provisions_the_same(home):
    page = CommunityPage(title="Harm reduction workers", slug="harm-reduction")
    home.add_child(instance=page)

    assert_provisioned(page, "Harm reduction workers")


def test_add_child__unpublished_community_is_provisioned_too(home):
    page = CommunityPage(title="Drafted", slug="drafted", live=False)
    home.add_child(instance=page)

    assert_provisioned(page, "Drafted")


def test_new_community__does_not_touch_the_other_communities(home, frontline):
    before = assert_provisioned(frontline)
    bereaved = CommunityPage.objects.get(slug="bereaved", locale__language_code="en")

    space_create(parent=home, page_class=CommunityPage, title="Nurses", slug="nurses")

    after = assert_provisioned(frontline)
    assert (after.members_group_id, after.editors_group_id, after.collection_id) == (
        before.members_group_id,
        before.editors_group_id,
        before.collection_id,
    )
    assert_provisioned(bereaved)


def test_new_community__its_member_reads_it_and_common_ground_a_non_member_reads_neither(
    home, newcomer
):
    page = space_create(parent=home, page_class=CommunityPage, title="Nurses", slug="nurses")
    member = _new_member(page.community, "nurse")

    for url in ("/nurses/", "/nurses/guides/", "/common-ground/", "/common-ground/guides/"):
        assert _client(member).get(url).status_code == HTTPStatus.OK, url
        # A space's own front page offers to join; inside it, the 404 of a missing page.
        denied = HTTPStatus.FORBIDDEN if url.count("/") == 2 else HTTPStatus.NOT_FOUND
        assert _client(newcomer).get(url).status_code == denied, url


@pytest.mark.parametrize(("role", "reads"), [("frontline-member", False), ("staff", True)])
def test_new_community__other_communities_members_cannot_read_it(home, client_for, role, reads):
    space_create(parent=home, page_class=CommunityPage, title="Nurses", slug="nurses")

    response = client_for(role).get("/nurses/")

    expected = HTTPStatus.OK if reads else HTTPStatus.FORBIDDEN
    assert response.status_code == expected


def test_new_community__its_editor_gets_the_editor_permissions_there_only(home, frontline):
    page = space_create(parent=home, page_class=CommunityPage, title="Nurses", slug="nurses")
    editor = _new_member(page.community, "nurse-editor")
    editor.groups.add(page.community.editors_group)
    editor = _fresh(editor)

    perms = page.permissions_for_user(editor)
    assert perms.can_edit() and {"add", "change", "publish"} <= perms.permissions
    assert not frontline.permissions_for_user(editor).can_edit()
    assert not frontline.permissions_for_user(editor).can_add_subpage()


@pytest.mark.parametrize(
    "model", [get_document_model, get_image_model], ids=["documents", "images"]
)
@pytest.mark.parametrize(
    ("role", "may_change"), [("frontline-member", False), ("frontline-editor", True)]
)
def test_file_permissions__wagtail_grants_them_in_own_collection_and_common_ground_only(
    user, model, role, may_change
):
    """Checked through Wagtail's own permission policy, which is what the admin asks."""
    policy = policy_registry.get_by_type(model())
    person = user(role)
    frontline = Community.objects.get(slug="frontline").collection
    bereaved = Community.objects.get(slug="bereaved").collection
    common = _common_ground_collection()

    for action in ("add", "choose"):
        allowed = set(policy.collections_user_has_permission_for(person, action))
        assert {frontline, common} <= allowed, action
        assert bereaved not in allowed, action
    demo_file = model().objects.get(collection=frontline)
    other_file = model().objects.get(collection=bereaved)
    common_file = model().objects.get(collection=common)
    assert policy.user_has_permission_for_instance(person, "change", demo_file) is may_change
    assert not policy.user_has_permission_for_instance(person, "change", other_file)
    assert not policy.user_has_permission_for_instance(person, "change", common_file)


def test_new_community__same_title_as_another_gets_distinct_groups_and_stays_stable(home):
    page = space_create(parent=home, page_class=CommunityPage, title=FRONTLINE, slug="frontline-2")

    community = page.community
    assert community.members_group.name == f"{FRONTLINE}: members (2)"
    assert community.editors_group.name == f"{FRONTLINE}: editors (2)"
    assert community_provision(page) == []
    assert reconcile_all() == []


# Creating a community through the Wagtail admin's own views ----------------------------------


def _admin_add_url(parent) -> str:
    return f"/admin/pages/add/community_pages/communitypage/{parent.pk}/"


def _community_form(title: str, slug: str, action: str = "action-publish") -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": rich_text("<p>For nurses who work in harm reduction.</p>"),
            action: "Publish" if action == "action-publish" else "Save draft",
        }
    )


@pytest.mark.parametrize("action", ["action-publish", "action-save-draft"])
def test_admin_create__staff_posting_the_add_form_provisions_the_same(
    home, client_for, newcomer, action
):
    response = client_for("staff").post(
        _admin_add_url(home), _community_form("Nurses", "nurses", action)
    )

    assert response.status_code == HTTPStatus.FOUND, getattr(response, "context", None)
    page = CommunityPage.objects.get(slug="nurses", locale__language_code="en")
    assert page.live == (action == "action-publish")
    community = assert_provisioned(page, "Nurses")
    assert community_provision(page) == []
    member = _new_member(community, "nurse")
    assert _client(member).get("/common-ground/").status_code == HTTPStatus.OK
    assert _client(newcomer).get("/common-ground/").status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("role", ["frontline-editor", "frontline-member"])
def test_admin_create__non_staff_cannot_create_a_community(home, client_for, role):
    groups_before = Group.objects.count()

    response = client_for(role).post(_admin_add_url(home), _community_form("Nurses", "nurses"))

    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    if response.status_code == HTTPStatus.FOUND:
        assert response["Location"] == "/admin/"  # Wagtail's permission-denied redirect
    assert not Page.objects.filter(slug="nurses").exists()
    assert Group.objects.count() == groups_before


def test_admin_copy__staff_copying_a_community_makes_a_new_private_community(
    frontline, home, client_for
):
    data = {
        "new_title": "Frontline west",
        "new_slug": "frontline-west",
        "new_parent_page": home.pk,
        "copy_subpages": "on",
        "publish_copies": "on",
    }

    response = client_for("staff").post(f"/admin/pages/{frontline.pk}/copy/", data)

    assert response.status_code == HTTPStatus.FOUND
    copy = CommunityPage.objects.get(slug="frontline-west", locale__language_code="en")
    assert copy.translation_key != frontline.translation_key
    assert_provisioned(copy, "Frontline west")
    assert_provisioned(frontline)
    assert reconcile_all() == []


# Idempotence ---------------------------------------------------------------------------------


def test_provision__second_run_changes_nothing(frontline):
    community_provision(frontline)  # whatever the demo left, this is the fixed point
    before = _snapshot()

    with CaptureQueriesContext(connection) as queries:
        repairs = community_provision(frontline)

    assert repairs == []
    assert _writes(queries.captured_queries) == []
    assert _snapshot() == before


def test_provision__demo_is_already_the_fixed_point(frontline, common_ground_page):
    before = _snapshot()

    assert community_provision(frontline) == []
    assert common_ground_provision() == []
    assert reconcile_all() == []
    assert _snapshot() == before


def test_common_ground_provision__second_run_changes_nothing(db):
    before = _snapshot()

    with CaptureQueriesContext(connection) as queries:
        repairs = common_ground_provision()

    assert repairs == []
    assert _writes(queries.captured_queries) == []
    assert _snapshot() == before


def test_provision__new_community_second_run_changes_nothing(home):
    page = space_create(parent=home, page_class=CommunityPage, title="Nurses", slug="nurses")
    before = _snapshot()

    with CaptureQueriesContext(connection) as queries:
        assert community_provision(page) == []
        assert reconcile_all() == []

    assert _writes(queries.captured_queries) == []
    assert _snapshot() == before


def test_publishing_again__changes_no_provisioned_rows(frontline):
    before = _snapshot()

    frontline.save_revision().publish()

    assert _snapshot() == before


# The reconcile command -----------------------------------------------------------------------


def test_reconcile_command__demo_has_nothing_to_repair(db):
    before = _snapshot()

    out = _reconcile()

    assert out.strip() == NOTHING_TO_REPAIR
    assert _snapshot() == before


def _frontline_parts():
    page = CommunityPage.objects.get(slug="frontline", locale__language_code="en")
    community = page.community
    return page, community, community.members_group, community.editors_group


def _break_delete_page_restriction():
    page, *_ = _frontline_parts()
    PageViewRestriction.objects.filter(page=page).delete()
    return [f"made “{FRONTLINE}” private"]


def _break_remove_group_from_page_restriction():
    page, _, _, editors = _frontline_parts()
    PageViewRestriction.objects.get(page=page).groups.remove(editors)
    return [f"let 1 group(s) see “{FRONTLINE}”"]


def _break_add_foreign_group_to_page_restriction():
    page, *_ = _frontline_parts()
    bereaved = Community.objects.get(slug="bereaved")
    PageViewRestriction.objects.get(page=page).groups.add(bereaved.members_group)
    return [f"stopped 1 group(s) seeing “{FRONTLINE}”"]


def _break_delete_page_permission():
    page, _, _, editors = _frontline_parts()
    GroupPagePermission.objects.filter(
        group=editors, page=page, permission__codename="publish_page"
    ).delete()
    return [f"gave “{FRONTLINE}: editors” publish_page on “{FRONTLINE}”"]


def _break_add_extra_page_permission():
    page, _, members, _ = _frontline_parts()
    GroupPagePermission.objects.create(
        group=members, page=page, permission=Permission.objects.get(codename="publish_page")
    )
    return [f"removed 1 extra permission(s) of “{FRONTLINE}: members” on “{FRONTLINE}”"]


def _break_add_login_restriction():
    page, *_ = _frontline_parts()
    PageViewRestriction.objects.create(page=page, restriction_type=BaseViewRestriction.LOGIN)
    return [f"removed a login restriction on “{FRONTLINE}”"]


def _break_replace_with_login_restriction():
    page, *_ = _frontline_parts()
    PageViewRestriction.objects.filter(page=page).delete()
    PageViewRestriction.objects.create(page=page, restriction_type=BaseViewRestriction.LOGIN)
    return [f"removed a login restriction on “{FRONTLINE}”", f"made “{FRONTLINE}” private"]


def _break_delete_collection_restriction():
    _, community, *_ = _frontline_parts()
    CollectionViewRestriction.objects.filter(collection=community.collection).delete()
    return [f"made “{FRONTLINE}” private"]


def _break_delete_collection_permission():
    _, community, members, _ = _frontline_parts()
    GroupCollectionPermission.objects.filter(
        group=members, collection=community.collection, permission__codename="add_document"
    ).delete()
    return [f"gave “{FRONTLINE}: members” add_document in “{FRONTLINE}”"]


def _break_rename_collection():
    _, community, *_ = _frontline_parts()
    Collection.objects.filter(pk=community.collection_id).update(name="Somebody's files")
    return [f"renamed collection “Somebody's files” to “{FRONTLINE}”"]


def _common_ground_source_page() -> CommonGroundPage:
    return CommonGroundPage.objects.get(locale__language_code="en")


def _break_remove_from_common_ground_page():
    _, _, members, editors = _frontline_parts()
    restriction = PageViewRestriction.objects.get(page=_common_ground_source_page())
    restriction.groups.remove(members, editors)
    return ["let 2 group(s) see “Common Ground”"]


def _break_remove_from_common_ground_collection():
    _, _, members, editors = _frontline_parts()
    restriction = CollectionViewRestriction.objects.get(collection=_common_ground_collection())
    restriction.groups.remove(members, editors)
    return ["let 2 group(s) see “Common Ground”"]


def _break_delete_common_ground_restriction():
    PageViewRestriction.objects.filter(page__in=CommonGroundPage.objects.all()).delete()
    return ["made “Common Ground” private"]


def _break_stranger_in_common_ground():
    stranger = Group.objects.create(name="Strangers")
    PageViewRestriction.objects.get(page=_common_ground_source_page()).groups.add(stranger)
    return ["Common Ground: stopped 1 group(s) seeing “Common Ground”"]


def _break_remove_admin_access():
    _, _, members, _ = _frontline_parts()
    members.permissions.remove(_admin_access())
    return [f"allowed group “{FRONTLINE}: members” into the admin"]


def _break_rename_group():
    _, _, _, editors = _frontline_parts()
    Group.objects.filter(pk=editors.pk).update(name="Frontline bosses")
    return [f"renamed group “Frontline bosses” to “{FRONTLINE}: editors”"]


BREAKAGES = {
    "page restriction deleted": _break_delete_page_restriction,
    "group removed from page restriction": _break_remove_group_from_page_restriction,
    "foreign group added to page restriction": _break_add_foreign_group_to_page_restriction,
    "page permission deleted": _break_delete_page_permission,
    "extra page permission": _break_add_extra_page_permission,
    "login restriction added": _break_add_login_restriction,
    "restriction replaced by a login one": _break_replace_with_login_restriction,
    "collection restriction deleted": _break_delete_collection_restriction,
    "collection permission deleted": _break_delete_collection_permission,
    "collection renamed": _break_rename_collection,
    "groups removed from Common Ground's page": _break_remove_from_common_ground_page,
    "groups removed from Common Ground's collection": _break_remove_from_common_ground_collection,
    "Common Ground's restriction deleted": _break_delete_common_ground_restriction,
    "stranger in Common Ground": _break_stranger_in_common_ground,
    "admin access removed": _break_remove_admin_access,
    "group renamed": _break_rename_group,
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_reconcile_command__reports_and_repairs_each_breakage_then_nothing(db, breakage):
    pristine = _snapshot()
    expected = BREAKAGES[breakage]()
    assert _snapshot() != pristine

    out = _reconcile()

    for repair in expected:
        assert repair in out, out
    assert NOTHING_TO_REPAIR not in out
    lines = out.strip().splitlines()
    assert all(line.startswith("repaired: ") for line in lines[:-1]), out
    assert lines[-1] == f"{len(lines) - 1} repair(s)."
    for slug in ("frontline", "bereaved"):
        assert_provisioned(CommunityPage.objects.get(slug=slug, locale__language_code="en"))
    assert _reconcile().strip() == NOTHING_TO_REPAIR


def test_reconcile_command__all_breakages_at_once_are_all_repaired(db):
    # Those that delete a restriction are left out: the others then have nothing to break.
    overlapping = {
        "page restriction deleted",
        "restriction replaced by a login one",
        "Common Ground's restriction deleted",
    }
    expected = []
    for name, breakage in BREAKAGES.items():
        if name not in overlapping:
            expected += breakage()

    out = _reconcile()

    for repair in expected:
        assert repair in out, out
    assert_provisioned(CommunityPage.objects.get(slug="frontline", locale__language_code="en"))
    assert_provisioned(CommunityPage.objects.get(slug="bereaved", locale__language_code="en"))
    assert _reconcile().strip() == NOTHING_TO_REPAIR


@pytest.mark.parametrize(("role", "sees"), [("frontline-member", True), ("bereaved-member", False)])
def test_reconcile_command__repairing_a_deleted_restriction_closes_the_leak(client_for, role, sees):
    _break_delete_page_restriction()
    assert client_for("bereaved-member").get("/frontline/").status_code == HTTPStatus.OK  # leak

    _reconcile()

    response = client_for(role).get("/frontline/")
    assert response.status_code == (HTTPStatus.OK if sees else HTTPStatus.FORBIDDEN)


def test_reconcile_command__removes_the_groups_of_a_community_whose_pages_are_gone(db):
    """A community record left behind (e.g. pages deleted by raw SQL) is deprovisioned."""
    members = Group.objects.create(name="Ghosts: members")
    editors = Group.objects.create(name="Ghosts: editors")
    collection = Collection.get_first_root_node().add_child(name="Ghosts")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=BaseViewRestriction.GROUPS
    ).groups.add(members, editors)
    Community.objects.create(
        translation_key=uuid.uuid4(),
        name="Ghosts",
        slug="ghosts",
        members_group=members,
        editors_group=editors,
        collection=collection,
    )

    out = _reconcile()

    assert "Ghosts: removed its groups (its pages are gone)" in out
    assert not Group.objects.filter(pk__in=[members.pk, editors.pk]).exists()
    collection.refresh_from_db()
    assert collection.name == "Archived: Ghosts"
    assert _restriction_groups(CollectionViewRestriction, collection=collection) == set()
    assert _reconcile().strip() == NOTHING_TO_REPAIR


# Renaming ------------------------------------------------------------------------------------


def test_rename__publishing_a_new_title_renames_groups_collection_and_record(frontline, user):
    before = frontline.community
    member = user("frontline-member")

    frontline.title = "Frontline workers"
    frontline.save_revision().publish()

    after = assert_provisioned(frontline, "Frontline workers")
    assert (after.pk, after.members_group_id, after.editors_group_id, after.collection_id) == (
        before.pk,
        before.members_group_id,
        before.editors_group_id,
        before.collection_id,
    )
    assert after.collection.name == "Frontline workers"
    assert member.groups.filter(pk=after.members_group_id).exists()  # memberships survive
    assert not Group.objects.filter(name__startswith=f"{FRONTLINE}:").exists()
    assert reconcile_all() == []


def test_rename__slug_change_updates_the_community_record(frontline):
    frontline.slug = "frontline-care"
    frontline.save_revision().publish()

    assert Community.objects.get(translation_key=frontline.translation_key).slug == (
        "frontline-care"
    )
    assert reconcile_all() == []


def test_rename__draft_title_renames_nothing_until_published(frontline):
    frontline.title = "Frontline workers"
    frontline.save_revision()

    assert frontline.community.members_group.name == f"{FRONTLINE}: members"


def test_rename__through_the_admin_edit_view(frontline, client_for):
    data = nested_form_data(
        {
            "title": "Frontline workers",
            "slug": "frontline",
            "intro": rich_text("<p>Renamed.</p>"),
            "action-publish": "Publish",
        }
    )

    response = client_for("staff").post(f"/admin/pages/{frontline.pk}/edit/", data)

    assert response.status_code == HTTPStatus.FOUND
    frontline.refresh_from_db()
    assert frontline.title == "Frontline workers"
    assert_provisioned(frontline, "Frontline workers")


# Deleting ------------------------------------------------------------------------------------


def _frontline_files():
    community = CommunityPage.objects.get(slug="frontline", locale__language_code="en").community
    return [
        *get_document_model().objects.filter(collection=community.collection),
        *get_image_model().objects.filter(collection=community.collection),
    ]


def _delete_in_code(page):
    page.delete()


def _delete_in_admin(page):
    response = _client(get_user_model().objects.get(username="staff")).post(
        f"/admin/pages/{page.pk}/delete/"
    )
    assert response.status_code == HTTPStatus.FOUND


def _translations(page) -> list[CommunityPage]:
    """The page and its translations (the demo has it in every locale), the source first."""
    return [page, *page.get_translations().specific().order_by("locale__language_code")]


def _delete_community(page, delete=_delete_in_code) -> None:
    """Delete every translation of a community page: the community goes with the last one."""
    pages = _translations(page)
    assert len(pages) == Locale.objects.count() > 1  # the demo translated it
    community_pk = page.community.pk
    for translation in pages[:-1]:
        delete(translation)
        assert Community.objects.filter(pk=community_pk).exists()  # translations remain
    delete(pages[-1])


@pytest.mark.parametrize("delete", [_delete_in_code, _delete_in_admin], ids=["code", "admin"])
def test_delete__removes_groups_memberships_and_common_ground_access(
    frontline, common_ground_page, user, delete
):
    community = frontline.community
    group_ids = {community.members_group_id, community.editors_group_id}
    files = _frontline_files()
    assert files

    _delete_community(frontline, delete)

    assert not CommunityPage.objects.filter(slug="frontline").exists()
    assert not Community.objects.filter(pk=community.pk).exists()
    assert not Group.objects.filter(pk__in=group_ids).exists()
    for username in ("frontline-member", "frontline-editor"):
        assert not user(username).groups.exists()
    assert set(user("member-of-both").groups.values_list("name", flat=True)) == {
        "Bereaved by substance use: members"
    }
    # Common Ground stays private, without them, in every language.
    for page in CommonGroundPage.objects.filter(translation_key=common_ground_page.translation_key):
        cg_groups = _restriction_groups(PageViewRestriction, page=page)
        assert cg_groups
        assert not cg_groups & group_ids
    cg_collection_groups = _restriction_groups(
        CollectionViewRestriction, collection=_common_ground_collection()
    )
    assert not cg_collection_groups & group_ids
    assert not GroupPagePermission.objects.filter(group_id__in=group_ids).exists()
    assert reconcile_all() == []


@pytest.fixture(scope="class")
def frontline_deleted(django_db_setup, django_db_blocker):
    """Frontline deleted in every language, once for the tests of a class (rolled back after
    them): {"files": [(model, pk)], "collection_id": ...}."""
    with shared_setup(django_db_blocker):
        frontline = CommunityPage.objects.get(slug="frontline", locale__language_code="en")
        files = [(type(obj), obj.pk) for obj in _frontline_files()]
        assert files
        collection_id = frontline.community.collection_id
        _delete_community(frontline)
        yield {"files": files, "collection_id": collection_id}


class TestAfterFrontlineIsDeleted:
    """What stays once a community is gone: its files, archived, and Common Ground's privacy."""

    @pytest.mark.parametrize(
        ("role", "sees_files"),
        [("frontline-member", False), ("member-of-both", False), ("staff", True)],
    )
    def test_delete__files_are_kept_archived_and_visible_to_staff_only(
        self, frontline_deleted, user, role, sees_files
    ):
        collection_id = frontline_deleted["collection_id"]
        collection = Collection.objects.get(pk=collection_id)
        assert collection.name == f"Archived: {FRONTLINE}"
        assert _restriction_groups(CollectionViewRestriction, collection=collection) == set()
        person = user(role)
        for model, pk in frontline_deleted["files"]:
            obj = model.objects.get(pk=pk)  # still there
            assert obj.collection_id == collection_id
            assert user_can_view_file(person, obj) is sees_files

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("bereaved-member", HTTPStatus.OK),
            ("frontline-member", HTTPStatus.FORBIDDEN),
            ("applicant", HTTPStatus.FORBIDDEN),
            ("visitor", HTTPStatus.FOUND),
        ],
    )
    @pytest.mark.parametrize("language", ["", "/es", "/pt"])
    def test_delete__common_ground_stays_private(
        self, frontline_deleted, client_for, role, status, language
    ):
        assert not CommunityPage.objects.filter(slug="frontline").exists()

        response = client_for(role).get(f"{language}/common-ground/")

        assert response.status_code == status
        if status == HTTPStatus.FOUND:
            assert response["Location"].startswith(f"{language}/account/login/")


def test_delete__the_last_community_leaves_common_ground_private_to_staff(common_ground_page, user):
    for page in CommunityPage.objects.all():
        page.delete()

    assert not Community.objects.exists()
    for page in CommonGroundPage.objects.filter(translation_key=common_ground_page.translation_key):
        assert _restriction_groups(PageViewRestriction, page=page) == set()
        assert not user_can_view_page(user("member-of-both"), page)
        assert user_can_view_page(user("staff"), page)
    assert reconcile_all() == []


# One transaction -----------------------------------------------------------------------------


def _rows():
    return (
        Page.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        Community.objects.count(),
        PageViewRestriction.objects.count(),
        GroupPagePermission.objects.count(),
        HomePage.objects.get(depth=2, locale__language_code="en").numchild,
    )


@pytest.mark.parametrize("fails", [False, True], ids=["provisioning works", "provisioning fails"])
@pytest.mark.parametrize("step", ["_new_collection", "_ensure_collection_permissions"])
def test_transaction__a_failing_step_leaves_no_page_and_no_half_community(
    home, monkeypatch, fails, step
):
    before = _rows()
    if fails:

        def explode(*args, **kwargs):
            raise RuntimeError("provisioning failed")

        monkeypatch.setattr(provisioning, step, explode)

    page = CommunityPage(title="Nurses", slug="nurses")
    if fails:
        with pytest.raises(RuntimeError):
            home.add_child(instance=page)
        assert _rows() == before
        assert not Page.objects.filter(slug="nurses").exists()
        assert not Group.objects.filter(name__startswith="Nurses").exists()
        assert not Collection.objects.filter(name="Nurses").exists()
    else:
        home.add_child(instance=page)
        assert _rows() != before
        assert_provisioned(page, "Nurses")


def test_transaction__space_create_leaves_nothing_when_provisioning_fails(home, monkeypatch):
    before = _rows()

    def explode(*args, **kwargs):
        raise RuntimeError("provisioning failed")

    monkeypatch.setattr(provisioning, "_ensure_restriction", explode)

    with pytest.raises(RuntimeError):
        space_create(parent=home, page_class=CommunityPage, title="Nurses", slug="nurses")

    assert _rows() == before
    assert not GuideIndexPage.objects.filter(url_path__startswith="/home/nurses/").exists()


def test_transaction__admin_create_leaves_nothing_when_provisioning_fails(
    home, client_for, monkeypatch
):
    before = _rows()

    def explode(*args, **kwargs):
        raise RuntimeError("provisioning failed")

    monkeypatch.setattr(provisioning, "_new_collection", explode)

    with pytest.raises(RuntimeError):
        client_for("staff").post(_admin_add_url(home), _community_form("Nurses", "nurses"))

    assert _rows() == before
    assert not Page.objects.filter(slug="nurses").exists()


def test_transaction__a_failing_rename_keeps_the_old_title(frontline, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("provisioning failed")

    monkeypatch.setattr(provisioning, "_rename_collection", explode)
    frontline.title = "Frontline workers"

    with pytest.raises(RuntimeError):
        frontline.save()

    assert Page.objects.get(pk=frontline.pk).title == FRONTLINE
    assert frontline.community.members_group.name == f"{FRONTLINE}: members"


# Translations --------------------------------------------------------------------------------


@pytest.fixture
def spanish(db) -> Locale:
    return Locale.objects.get(language_code="es")  # created by a migration


@pytest.fixture
def frontline_es(frontline, spanish) -> CommunityPage:
    """The Spanish translation of /frontline/ and its sections, published (by the demo)."""
    translation = frontline.get_translation(spanish).specific
    assert translation.live
    sections = translation.get_children()
    assert sections.count() == frontline.get_children().count()
    assert all(section.live and section.locale_id == spanish.pk for section in sections)
    return translation


def _without_translation(page, locale: Locale):
    """Delete the demo's translation of `page` into `locale`, so a test can make its own."""
    page.get_translation(locale).delete()
    assert page.get_translation_or_none(locale) is None
    return page


def test_translation__shares_the_community_groups_and_collection(frontline, frontline_es):
    assert frontline_es.locale.language_code == "es"
    assert frontline_es.translation_key == frontline.translation_key
    assert Community.objects.filter(translation_key=frontline.translation_key).count() == 1
    assert frontline_es.community == frontline.community
    community = assert_provisioned(frontline, FRONTLINE)
    assert _restriction_groups(PageViewRestriction, page=frontline_es) == {
        community.members_group_id,
        community.editors_group_id,
    }
    assert _page_codenames(community.editors_group, frontline_es) == EDITOR_PAGE_CODENAMES


def test_translation__a_new_draft_translation_is_already_provisioned_exactly(frontline, spanish):
    """Wagtail copies the source's view restrictions onto a new translation after saving it."""
    _without_translation(frontline, spanish)

    translation = frontline.copy_for_translation(spanish, copy_parents=True)

    assert not translation.live

    community = frontline.community
    assert _restriction_groups(PageViewRestriction, page=translation) == {
        community.members_group_id,
        community.editors_group_id,
    }
    assert community_provision(translation) == []


def test_translation__of_common_ground_is_provisioned_exactly(common_ground_page, spanish):
    _without_translation(common_ground_page, spanish)

    translation = common_ground_page.copy_for_translation(spanish, copy_parents=True)

    assert _restriction_groups(PageViewRestriction, page=translation) == _restriction_groups(
        PageViewRestriction, page=common_ground_page
    )
    assert reconcile_all() == []


def test_translation__second_run_changes_nothing(frontline_es):
    before = _snapshot()

    assert community_provision(frontline_es) == []
    assert reconcile_all() == []
    assert _snapshot() == before


def test_translation__a_title_in_another_language_does_not_rename_the_community(
    frontline, frontline_es
):
    frontline_es.title = "Proveedores de atención de primera línea"
    frontline_es.save_revision().publish()

    assert_provisioned(frontline, FRONTLINE)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("frontline-member", HTTPStatus.OK),
        ("frontline-editor", HTTPStatus.OK),
        ("member-of-both", HTTPStatus.OK),
        ("staff", HTTPStatus.OK),
        ("bereaved-member", HTTPStatus.FORBIDDEN),
        ("applicant", HTTPStatus.FORBIDDEN),
        ("visitor", HTTPStatus.FOUND),
    ],
)
@pytest.mark.parametrize("section", ["", "resources/", "guides/", "groups/"])
def test_translation__has_exactly_the_privacy_of_its_source(
    frontline_es, client_for, role, status, section
):
    url = f"/es/frontline/{section}"
    if section and status == HTTPStatus.FORBIDDEN:
        status = HTTPStatus.NOT_FOUND  # inside a space: like a missing page (docs/privacy.md)

    response = client_for(role).get(url)

    assert response.status_code == status, url
    assert client_for(role).get(f"/frontline/{section}").status_code == status
    if status == HTTPStatus.FOUND:
        assert "/account/login/" in response["Location"]


def test_translation__deleting_it_keeps_the_community(frontline, frontline_es):
    community = frontline.community

    frontline_es.delete()

    assert Community.objects.filter(pk=community.pk).exists()
    assert_provisioned(frontline, FRONTLINE)
    assert reconcile_all() == []


def test_translation__deleting_the_source_too_removes_the_community(frontline, frontline_es):
    community = frontline.community

    frontline.delete()
    assert Community.objects.filter(pk=community.pk).exists()  # the translations remain
    CommunityPage.objects.get(pk=frontline_es.pk).delete()
    others = CommunityPage.objects.filter(translation_key=community.translation_key)
    assert others.count() == Locale.objects.count() - 2  # the other demo translations
    for other in others:
        assert Community.objects.filter(pk=community.pk).exists()  # one translation remains
        other.delete()

    assert not CommunityPage.objects.filter(translation_key=community.translation_key).exists()
    assert not Community.objects.filter(pk=community.pk).exists()
    assert not Group.objects.filter(pk=community.members_group_id).exists()


def test_translation__reconcile_repairs_its_restriction(frontline_es):
    PageViewRestriction.objects.filter(page=frontline_es).delete()

    out = _reconcile()

    # The community keeps its source's name; the repaired page is named by its own title.
    assert f"{FRONTLINE}: made “{frontline_es.title}” private" in out
    assert_provisioned(frontline_es, FRONTLINE)
    assert _reconcile().strip() == NOTHING_TO_REPAIR
