"""The rule's branches, driven directly as tables (`core/visibility.py`), and who is
staff, member or editor (`core/access.py`).

A small tree of plain pages and collections is built once for the module, beside the demo, and
rolled back at the end: group, login and password restrictions, a restriction inside a
restricted subtree with a different group, several restrictions on one page, a groups
restriction naming no group. The people: a visitor, signed-in people in none, one or both of
two groups, inactive accounts, staff (`is_superuser`) and a user with Django's `is_staff` flag
alone. Each table row says exactly who sees what; everything else is hidden.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)

from community_pages.models import Community
from core import access
from core.visibility import (
    user_can_view_collection,
    user_can_view_file,
    user_can_view_page,
    visible_collections,
    visible_files,
    visible_pages,
    visible_pages_searchable,
)

User = get_user_model()
GROUPS, LOGIN, PASSWORD = (
    BaseViewRestriction.GROUPS,
    BaseViewRestriction.LOGIN,
    BaseViewRestriction.PASSWORD,
)

# People of the tree: (active, superuser, django is_staff, groups among "g1", "g2").
PEOPLE = {
    "nobody": (True, False, False, []),
    "in-g1": (True, False, False, ["g1"]),
    "in-g2": (True, False, False, ["g2"]),
    "in-both": (True, False, False, ["g1", "g2"]),
    "inactive-in-both": (False, False, False, ["g1", "g2"]),
    "staff": (True, True, True, []),
    "inactive-staff": (False, True, True, []),
    "is-staff-flag-only": (True, False, True, []),
}
VISITOR = "visitor"
EVERYONE = {VISITOR, *PEOPLE}
SIGNED_IN = {"nobody", "in-g1", "in-g2", "in-both", "staff", "is-staff-flag-only"}

# The tree: key -> (parent key or None for a child of the root, [restrictions on it]).
# A restriction is (type, [group names]); several on one object all apply.
TREE = {
    "open": (None, []),
    "open/child": ("open", []),
    "g1": (None, [(GROUPS, ["g1"])]),
    "g1/child": ("g1", []),
    "g1/g2": ("g1", [(GROUPS, ["g2"])]),  # nested, another group: both needed
    "g1/g2/child": ("g1/g2", []),
    "g1-or-g2": (None, [(GROUPS, ["g1", "g2"])]),
    "login": (None, [(LOGIN, [])]),
    "login/g2": ("login", [(GROUPS, ["g2"])]),
    "password": (None, [(PASSWORD, [])]),
    "password/child": ("password", []),
    "g1-and-g2": (None, [(GROUPS, ["g1"]), (GROUPS, ["g2"])]),  # two restrictions, one page
    "login-and-g2": (None, [(LOGIN, []), (GROUPS, ["g2"])]),
    "no-group": (None, [(GROUPS, [])]),  # a groups restriction naming nobody: staff only
}

# Who sees each node (pages and collections alike).
SEES = {
    "open": EVERYONE,
    "open/child": EVERYONE,
    "g1": {"in-g1", "in-both", "staff"},
    "g1/child": {"in-g1", "in-both", "staff"},
    "g1/g2": {"in-both", "staff"},
    "g1/g2/child": {"in-both", "staff"},
    "g1-or-g2": {"in-g1", "in-g2", "in-both", "staff"},
    "login": SIGNED_IN,
    "login/g2": {"in-g2", "in-both", "staff"},
    "password": {"staff"},
    "password/child": {"staff"},
    "g1-and-g2": {"in-both", "staff"},
    "login-and-g2": {"in-g2", "in-both", "staff"},
    "no-group": {"staff"},
}
assert SEES.keys() == TREE.keys()


def _restrict(model, target_field, target, restrictions, groups):
    for kind, names in restrictions:
        restriction = model.objects.create(
            **{target_field: target},
            restriction_type=kind,
            password="a shared secret" if kind == PASSWORD else "",
        )
        restriction.groups.set([groups[name] for name in names])


def _build():
    groups = {name: Group.objects.create(name=f"rule test {name}") for name in ("g1", "g2")}
    people = {}
    for username, (active, superuser, flag, names) in PEOPLE.items():
        person = User.objects.create(
            username=f"rule-{username}",
            is_active=active,
            is_superuser=superuser,
            is_staff=flag,
        )
        person.groups.set([groups[name] for name in names])
        people[username] = person

    root_page, root_collection = Page.get_first_root_node(), Collection.get_first_root_node()
    pages, collections, documents = {}, {}, {}
    for key, (parent, restrictions) in TREE.items():
        slug = "rule-" + key.replace("/", "-")
        page_parent = pages[parent] if parent else root_page
        pages[key] = page_parent.add_child(instance=Page(title=slug, slug=slug))
        collection_parent = collections[parent] if parent else root_collection
        collections[key] = collection_parent.add_child(name=slug)
        documents[key] = get_document_model().objects.create(
            title=slug, file=f"documents/{slug}.txt", collection=collections[key]
        )
        _restrict(PageViewRestriction, "page", pages[key], restrictions, groups)
        _restrict(CollectionViewRestriction, "collection", collections[key], restrictions, groups)
    # Collections keep their siblings sorted by name, so adding one may move others: read the
    # paths as stored.
    collections = {key: Collection.objects.get(pk=c.pk) for key, c in collections.items()}
    documents = {
        key: get_document_model().objects.select_related("collection").get(pk=d.pk)
        for key, d in documents.items()
    }
    # A draft in the open part: privacy lets everyone see it, `live=True` hides it from all.
    draft = pages["open"].add_child(
        instance=Page(title="rule-draft", slug="rule-draft", live=False)
    )
    return {
        "people": people,
        "pages": pages,
        "draft": draft,
        "collections": collections,
        "documents": documents,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The tree, built once for the module and rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _person(world, who):
    if who == VISITOR:
        return AnonymousUser()
    # A fresh object each time: no group ids cached from another test.
    return User.objects.get(pk=world["people"][who].pk)


def _seen(keys_by_pk, queryset) -> set[str]:
    return {keys_by_pk[pk] for pk in queryset.values_list("pk", flat=True) if pk in keys_by_pk}


def _expected(who) -> set[str]:
    return {key for key, seers in SEES.items() if who in seers}


# The rule: pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_rule__pages__each_person_sees_exactly_their_rows(db, world, who):
    person = _person(world, who)
    pages = world["pages"]
    by_pk = {page.pk: key for key, page in pages.items()}
    ours = Page.objects.filter(pk__in=[*by_pk, world["draft"].pk])

    assert {key for key, page in pages.items() if user_can_view_page(person, page)} == _expected(
        who
    )
    assert _seen(by_pk, visible_pages(person, ours)) == _expected(who)
    assert _seen(by_pk, visible_pages_searchable(person, ours)) == _expected(who)
    # Drafts: the rule says nothing about liveness; `live=True` (the default) drops them.
    assert world["draft"] not in visible_pages(person, ours)
    assert (world["draft"] in visible_pages(person, ours, live=False)) == ("open" in _expected(who))
    assert user_can_view_page(person, world["draft"])


# The rule: collections and files ---------------------------------------------------------------


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_rule__collections_and_files__each_person_sees_exactly_their_rows(db, world, who):
    person = _person(world, who)
    collections, documents = world["collections"], world["documents"]
    collection_keys = {c.pk: key for key, c in collections.items()}
    document_keys = {d.pk: key for key, d in documents.items()}

    assert {
        key
        for key, collection in collections.items()
        if user_can_view_collection(person, collection)
    } == _expected(who)
    assert _seen(
        collection_keys,
        visible_collections(person, Collection.objects.filter(pk__in=collection_keys)),
    ) == _expected(who)
    assert {
        key for key, document in documents.items() if user_can_view_file(person, document)
    } == _expected(who)
    assert _seen(
        document_keys,
        visible_files(person, get_document_model().objects.filter(pk__in=document_keys)),
    ) == _expected(who)


def test_rule__inactive_accounts_are_visitors__and_the_is_staff_flag_alone_is_nobody(db, world):
    assert _expected("inactive-in-both") == _expected(VISITOR) == {"open", "open/child"}
    assert _expected("inactive-staff") == _expected(VISITOR)
    assert _expected("is-staff-flag-only") == _expected("nobody")
    assert _expected("staff") == set(TREE)


# Who is staff, member or editor ----------------------------------------------------------------


@pytest.fixture
def people(db):
    """The demo's people of the frontline community, plus inactive and `is_staff`-only ones."""
    frontline = Community.objects.get(slug="frontline")

    def make(username, *, groups=(), **flags):
        person = User.objects.create(username=username, **flags)
        person.groups.set(groups)
        return person

    found = {
        name: User.objects.get(username=name)
        for name in (
            "staff",
            "frontline-member",
            "frontline-editor",
            "bereaved-member",
            "bereaved-editor",
            "member-of-both",
            "applicant",
        )
    }
    found["inactive-member"] = make(
        "inactive-member", groups=[frontline.members_group], is_active=False
    )
    found["inactive-editor"] = make(
        "inactive-editor",
        groups=[frontline.members_group, frontline.editors_group],
        is_active=False,
    )
    found["inactive-staff"] = make("inactive-staff", is_superuser=True, is_active=False)
    found["is-staff-flag-only"] = make("is-staff-flag-only", is_staff=True)
    found[VISITOR] = AnonymousUser()
    return found


# Per person: (is staff, frontline member, frontline editor, communities (member), editor of).
ACCESS = {
    VISITOR: (False, False, False, set(), set()),
    "staff": (True, False, False, set(), set()),
    "inactive-staff": (False, False, False, set(), set()),
    "is-staff-flag-only": (False, False, False, set(), set()),
    "frontline-member": (False, True, False, {"frontline"}, set()),
    "frontline-editor": (False, True, True, {"frontline"}, {"frontline"}),
    "inactive-member": (False, False, False, set(), set()),
    "inactive-editor": (False, False, False, set(), set()),
    "bereaved-member": (False, False, False, {"bereaved"}, set()),
    "bereaved-editor": (False, False, False, {"bereaved"}, {"bereaved"}),
    "member-of-both": (False, True, False, {"frontline", "bereaved"}, set()),
    "applicant": (False, False, False, set(), set()),  # asked to join bereaved: not a member
}


@pytest.mark.parametrize("who", sorted(ACCESS))
def test_access__staff_member_editor__each_person(people, who):
    staff, member, editor, member_of, editor_of = ACCESS[who]
    person = people[who]
    frontline = Community.objects.get(slug="frontline")

    assert access.is_staff(person) is staff
    assert access.is_member(person, frontline) is member
    assert access.is_editor(person, frontline) is editor
    assert access.may_manage(person, frontline) is (staff or editor)
    assert set(access.communities_of(person).values_list("slug", flat=True)) == member_of
    assert set(access.editor_communities(person).values_list("slug", flat=True)) == editor_of
    managed = set(access.managed_communities(person).values_list("slug", flat=True))
    assert managed == (
        set(Community.objects.values_list("slug", flat=True)) if staff else editor_of
    )


def test_access__who_a_community_has(people):
    frontline = Community.objects.get(slug="frontline")
    bereaved = Community.objects.get(slug="bereaved")
    names = lambda users: set(users.values_list("username", flat=True))  # noqa: E731

    assert names(access.members_of(frontline)) == {
        "frontline-member",
        "frontline-editor",
        "member-of-both",
    }
    assert names(access.editors_of(frontline)) == {"frontline-editor"}
    assert names(access.editors_of(frontline, bereaved)) == {"frontline-editor", "bereaved-editor"}
    assert names(access.editors_of()) == set()
    staff = names(access.staff_users())
    assert "staff" in staff
    assert not staff & {"inactive-staff", "is-staff-flag-only", "frontline-editor"}


def test_access__communities_without_editors__an_inactive_editor_is_none(people):
    frontline = Community.objects.get(slug="frontline")
    assert frontline not in access.communities_without_editors()
    User.objects.filter(username="frontline-editor").update(is_active=False)
    assert frontline in access.communities_without_editors()  # only inactive-editor is left
    frontline.editors_group.user_set.clear()
    assert frontline in access.communities_without_editors()


def test_access__a_group_change_is_seen_after_forget_user_groups(people):
    from community_pages.services import membership_add, membership_leave

    applicant = people["applicant"]
    bereaved = Community.objects.get(slug="bereaved")
    assert not access.is_member(applicant, bereaved)
    membership_add(user=applicant, community=bereaved)
    assert access.is_member(applicant, bereaved)
    membership_leave(user=applicant, community=bereaved)
    assert not access.is_member(applicant, bereaved)


# Nobody else asks --------------------------------------------------------------------------------

# Reading who someone is anywhere but `visibility.py` and `access.py` brings back duplicate
# checks that can disagree with them. Writes (`user.groups.add`, setting flags on demo accounts)
# are fine.
ASKING_ELSEWHERE = re.compile(
    r"\buser\.groups\.(?!add\(|remove\(|set\(|clear\()"
    r"|\.is_superuser\b(?!\s*=[^=])"
    r"|is_superuser\s*=\s*True"
    r"|\buser_set\.(?:filter|all|exclude|values_list|exists)\("
    r"|\b(?:editors|members)_group__user"
    r"|\buser__groups\b"
    r"|\bcommunity\.is_(?:member|editor)\("
)
ALLOWED = {
    "site/core/visibility.py": "the rule: defines is_staff and user_group_ids",
    "site/core/access.py": "the one place",
}


def test_access__nobody_else_reads_groups_or_is_superuser():
    root = Path(__file__).resolve().parents[2]
    found = []
    for app in ("community_pages", "home", "resources", "workflows", "site"):
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative or relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#", 1)[0]
                if ASKING_ELSEWHERE.search(code):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "ask core/access.py instead:\n" + "\n".join(found)
