"""Provisioning: what a community needs to be private, created and kept consistent by code.

For each community (all translations of one community page share it):

- a members group and an editors group, both allowed into the Wagtail admin (to write drafts);
- a group view restriction on every translation of the community page (members and editors);
- page permissions there: members may add (write and submit drafts), editors may add, change,
  publish, unpublish and lock;
- a collection for its documents and images, restricted the same way, with the same split of
  permissions;
- membership of Common Ground's restriction and permissions;
- the "Elected editor review" workflow, on it and on Common Ground: `workflows` answers the
  `space_provisioned` signal (`signals.py`), since this app may not import the apps above it.

Every function here describes the *desired state* and repairs whatever differs, so running it
twice changes nothing, and it returns a sentence for each repair (the `reconcile_communities`
command prints them). It runs whenever a community or Common Ground page is saved, however it
was created (admin, code, API): see `CommunityPage.save` and `CommonGroundPage.save`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
)
from wagtail.permissions import policy_registry

from community_pages.models import CommonGround, CommonGroundPage, Community, CommunityPage
from community_pages.signals import space_provisioned

MEMBER_PAGE_PERMISSIONS = ("add_page",)
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
MEMBER_FILE_PERMISSIONS = ("add", "choose")
EDITOR_FILE_PERMISSIONS = ("add", "change", "choose", "delete")
COMMON_GROUND_FILE_PERMISSIONS = ("add", "choose")
ARCHIVED_PREFIX = "Archived: "


# Small idempotent building blocks -----------------------------------------------------------


def _page_permissions(codenames) -> list[Permission]:
    page_type = ContentType.objects.get_for_model(Page)
    return list(Permission.objects.filter(content_type=page_type, codename__in=codenames))


def _file_permissions(actions) -> list[Permission]:
    wanted = []
    for model in (get_document_model(), get_image_model()):
        # Wagtail checks these against its permission policy's `auth_model`: for a custom image
        # model (`resources.PrivateImage`) that is still `wagtailimages.Image` (`add_image`...).
        auth_model = policy_registry.get_by_type(model).auth_model
        content_type = ContentType.objects.get_for_model(auth_model)
        codenames = [f"{action}_{auth_model._meta.model_name}" for action in actions]
        wanted += Permission.objects.filter(content_type=content_type, codename__in=codenames)
    return wanted


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _ensure_group(group: Group | None, name: str, repairs: list[str]) -> Group:
    if group is None:
        group = Group.objects.create(name=_free_group_name(name))
        repairs.append(f"created group “{group.name}”")
    elif group.name != name and not group.name.startswith(name + " ("):
        old = group.name
        group.name = _free_group_name(name, exclude=group.pk)
        group.save(update_fields=["name"])
        repairs.append(f"renamed group “{old}” to “{group.name}”")
    access = _admin_access()
    if not group.permissions.filter(pk=access.pk).exists():
        group.permissions.add(access)
        repairs.append(f"allowed group “{group.name}” into the admin")
    return group


def _free_group_name(name: str, exclude: int | None = None) -> str:
    taken = Group.objects.exclude(pk=exclude)
    candidate, number = name, 1
    while taken.filter(name=candidate).exists():
        number += 1
        candidate = f"{name} ({number})"
    return candidate


def _ensure_page_permissions(group, page, codenames, repairs, *, exact=True) -> None:
    wanted = {p.pk: p for p in _page_permissions(codenames)}
    existing = GroupPagePermission.objects.filter(group=group, page=page)
    have = set(existing.values_list("permission_id", flat=True))
    for pk in wanted.keys() - have:
        GroupPagePermission.objects.create(group=group, page=page, permission=wanted[pk])
        repairs.append(f"gave “{group.name}” {wanted[pk].codename} on “{page.title}”")
    extra = have - wanted.keys()
    if exact and extra:
        existing.filter(permission_id__in=extra).delete()
        repairs.append(
            f"removed {len(extra)} extra permission(s) of “{group.name}” on “{page.title}”"
        )


def _ensure_collection_permissions(group, collection, actions, repairs) -> None:
    wanted = {p.pk: p for p in _file_permissions(actions)}
    existing = GroupCollectionPermission.objects.filter(group=group, collection=collection)
    have = set(existing.values_list("permission_id", flat=True))
    for pk in wanted.keys() - have:
        GroupCollectionPermission.objects.create(
            group=group, collection=collection, permission=wanted[pk]
        )
        repairs.append(f"gave “{group.name}” {wanted[pk].codename} in “{collection.name}”")
    extra = have - wanted.keys()
    if extra:
        existing.filter(permission_id__in=extra).delete()
        repairs.append(f"removed {len(extra)} extra file permission(s) of “{group.name}”")


def _ensure_restriction(restriction_model, target_field, target, group_ids, repairs, *, exact):
    """Exactly one GROUPS restriction on the target, whose groups are `group_ids`.

    With `exact=False` the listed groups are only added (used when one community joins Common
    Ground, to avoid re-reading every other community).
    """
    restrictions = list(restriction_model.objects.filter(**{target_field: target}))
    keep = next((r for r in restrictions if r.restriction_type == BaseViewRestriction.GROUPS), None)
    for other in restrictions:
        if other is not keep:
            other.delete()
            repairs.append(f"removed a {other.restriction_type} restriction on “{target}”")
    if keep is None:
        keep = restriction_model.objects.create(
            **{target_field: target}, restriction_type=BaseViewRestriction.GROUPS
        )
        repairs.append(f"made “{target}” private")
    have = set(keep.groups.values_list("id", flat=True))
    missing = set(group_ids) - have
    if missing:
        keep.groups.add(*missing)
        repairs.append(f"let {len(missing)} group(s) see “{target}”")
    extra = have - set(group_ids)
    if exact and extra:
        keep.groups.remove(*extra)
        repairs.append(f"stopped {len(extra)} group(s) seeing “{target}”")


def _new_collection(name: str) -> Collection:
    return Collection.get_first_root_node().add_child(name=name)


def _rename_collection(collection: Collection, name: str, repairs: list[str]) -> None:
    if collection.name != name:
        repairs.append(f"renamed collection “{collection.name}” to “{name}”")
        collection.name = name
        collection.save(update_fields=["name"])


def _space_provisioned(page) -> list[str]:
    """Let the apps above make their part of a space whole; returns their repairs."""
    repairs: list[str] = []
    for _receiver, answer in space_provisioned.send(sender=type(page), page=page):
        repairs += answer or []
    return repairs


# Communities ---------------------------------------------------------------------------------


def _source_page(pages):
    for page in pages:
        if page.locale.language_code == settings.LANGUAGE_CODE:
            return page
    return pages[0]


@transaction.atomic
def community_provision(page) -> list[str]:
    """Make one community (identified by `page`'s translation key) whole. Idempotent."""

    pages = list(
        CommunityPage.objects.filter(translation_key=page.translation_key).select_related("locale")
    ) or [page]
    source = _source_page(pages)
    name = source.title
    repairs: list[str] = []

    community = (
        Community.objects.select_for_update()
        .select_related("members_group", "editors_group", "collection")
        .filter(translation_key=page.translation_key)
        .first()
    )
    members = _ensure_group(community and community.members_group, f"{name}: members", repairs)
    editors = _ensure_group(community and community.editors_group, f"{name}: editors", repairs)
    if community is None:
        community = Community.objects.create(
            translation_key=page.translation_key,
            name=name,
            slug=source.slug,
            members_group=members,
            editors_group=editors,
            collection=_new_collection(name),
        )
        repairs.append(f"created the community record and collection of “{name}”")
    elif (community.name, community.slug) != (name, source.slug):
        community.name, community.slug = name, source.slug
        community.save(update_fields=["name", "slug"])
        repairs.append(f"renamed the community record to “{name}”")
    _rename_collection(community.collection, name, repairs)

    group_ids = {members.pk, editors.pk}
    for community_page in pages:
        _ensure_restriction(
            PageViewRestriction, "page", community_page, group_ids, repairs, exact=True
        )
        _ensure_page_permissions(members, community_page, MEMBER_PAGE_PERMISSIONS, repairs)
        _ensure_page_permissions(editors, community_page, EDITOR_PAGE_PERMISSIONS, repairs)
        repairs += _space_provisioned(community_page)
    _ensure_restriction(
        CollectionViewRestriction,
        "collection",
        community.collection,
        group_ids,
        repairs,
        exact=True,
    )
    _ensure_collection_permissions(members, community.collection, MEMBER_FILE_PERMISSIONS, repairs)
    _ensure_collection_permissions(editors, community.collection, EDITOR_FILE_PERMISSIONS, repairs)

    # This community's people may see and write in Common Ground.
    for common_page in CommonGroundPage.objects.all():
        _ensure_restriction(
            PageViewRestriction, "page", common_page, group_ids, repairs, exact=False
        )
        _common_ground_page_permissions(common_page, members, editors, repairs)
    common_ground = CommonGround.objects.select_related("collection").first()
    if common_ground:
        _ensure_restriction(
            CollectionViewRestriction,
            "collection",
            common_ground.collection,
            group_ids,
            repairs,
            exact=False,
        )
        for group in (members, editors):
            _ensure_collection_permissions(
                group, common_ground.collection, COMMON_GROUND_FILE_PERMISSIONS, repairs
            )
    return [f"{name}: {repair}" for repair in repairs]


def _common_ground_page_permissions(page, members, editors, repairs) -> None:
    _ensure_page_permissions(members, page, MEMBER_PAGE_PERMISSIONS, repairs)
    _ensure_page_permissions(editors, page, EDITOR_PAGE_PERMISSIONS, repairs)


@transaction.atomic
def community_deprovision(translation_key) -> list[str]:
    """A community's last page is gone: remove its groups; keep its files, visible to staff only.

    Files are never deleted with a page (a slip in the admin must not destroy a community's
    library); they stay in a collection renamed “Archived: …” that no group may see.
    """

    if CommunityPage.objects.filter(translation_key=translation_key).exists():
        return []
    community = (
        Community.objects.select_for_update()
        .select_related("members_group", "editors_group", "collection")
        .filter(translation_key=translation_key)
        .first()
    )
    if community is None:
        return []
    name, collection = community.name, community.collection
    members, editors = community.members_group, community.editors_group
    community.delete()
    members.delete()
    editors.delete()
    repairs = [f"{name}: removed its groups (its pages are gone)"]
    _rename_collection(collection, f"{ARCHIVED_PREFIX}{name}", repairs)
    _ensure_restriction(
        CollectionViewRestriction, "collection", collection, set(), repairs, exact=True
    )
    return repairs


# Common Ground --------------------------------------------------------------------------------


@transaction.atomic
def common_ground_provision() -> list[str]:
    """Common Ground: private to the members and editors of every community. Idempotent."""

    repairs: list[str] = []
    common_ground = CommonGround.objects.select_for_update().select_related("collection").first()
    if common_ground is None:
        common_ground = CommonGround.objects.create(collection=_new_collection("Common Ground"))
        repairs.append("created the Common Ground collection")
    communities = list(Community.objects.select_related("members_group", "editors_group"))
    group_ids = {pk for c in communities for pk in (c.members_group_id, c.editors_group_id)}
    for page in CommonGroundPage.objects.all():
        _ensure_restriction(PageViewRestriction, "page", page, group_ids, repairs, exact=True)
        repairs += _space_provisioned(page)
        for community in communities:
            _common_ground_page_permissions(
                page, community.members_group, community.editors_group, repairs
            )
    _ensure_restriction(
        CollectionViewRestriction,
        "collection",
        common_ground.collection,
        group_ids,
        repairs,
        exact=True,
    )
    for community in communities:
        for group in (community.members_group, community.editors_group):
            _ensure_collection_permissions(
                group, common_ground.collection, COMMON_GROUND_FILE_PERMISSIONS, repairs
            )
    return [f"Common Ground: {repair}" for repair in repairs]


def reconcile_all() -> list[str]:
    """Repair every community and Common Ground; return what was repaired."""

    repairs: list[str] = []
    seen = set()
    for page in CommunityPage.objects.order_by("path"):
        if page.translation_key not in seen:
            seen.add(page.translation_key)
            repairs += community_provision(page)
    for community in Community.objects.exclude(translation_key__in=seen):
        repairs += community_deprovision(community.translation_key)
    repairs += common_ground_provision()
    return repairs
