"""Wagtail's view-restriction check at page serving, answered from the restriction index
(`core/serving.py`), answers exactly as Wagtail's own, for every kind of restriction, person and
place in the tree; where the index cannot say (a shared password, an alias, an ancestry not
known from the routing, an inactive account) Wagtail's own check answers.

A small tree of plain pages is built once for the module beside the demo and rolled back after.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail import hooks
from wagtail import wagtail_hooks as wagtail_own_hooks
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction

from core import serving
from core.visibility import restrictions_cached, user_group_ids
from tests.conftest import shared_setup

User = get_user_model()
GROUPS, LOGIN, PASSWORD = (
    BaseViewRestriction.GROUPS,
    BaseViewRestriction.LOGIN,
    BaseViewRestriction.PASSWORD,
)
# key -> (parent key or None for a child of the root, [(restriction type, [group names])]).
TREE = {
    "open": (None, []),
    "open/child": ("open", []),
    "open/child/grandchild": ("open/child", []),
    "g1": (None, [(GROUPS, ["g1"])]),
    "g1/child": ("g1", []),
    "g1/child/grandchild": ("g1/child", []),
    "g1/g2": ("g1", [(GROUPS, ["g2"])]),
    "login": (None, [(LOGIN, [])]),
    "login/child": ("login", []),
    "password": (None, [(PASSWORD, [])]),
    "password/child": ("password", []),
    "no-group": (None, [(GROUPS, [])]),
}
# (active, superuser, groups)
PEOPLE = {
    "nobody": (True, False, []),
    "in-g1": (True, False, ["g1"]),
    "in-both": (True, False, ["g1", "g2"]),
    "inactive-in-g1": (False, False, ["g1"]),
    "staff": (True, True, []),
}
FAST = {"open", "open/child", "open/child/grandchild", "g1", "g1/child"}
FAST |= {"g1/child/grandchild", "g1/g2", "login", "login/child", "no-group"}


@pytest.fixture(scope="module")
def tree(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        groups = {name: Group.objects.create(name=f"serving {name}") for name in ("g1", "g2")}
        for username, (active, superuser, names) in PEOPLE.items():
            person = User.objects.create(
                username=f"serving-{username}", is_active=active, is_superuser=superuser
            )
            person.groups.set([groups[name] for name in names])
        root = Page.get_first_root_node()
        pages = {}
        for key, (parent, restrictions) in TREE.items():
            slug = "serving-" + key.replace("/", "-")
            pages[key] = (pages[parent] if parent else root).add_child(
                instance=Page(title=slug, slug=slug)
            )
            for kind, names in restrictions:
                restriction = PageViewRestriction.objects.create(
                    page=pages[key],
                    restriction_type=kind,
                    password="shared" if kind == PASSWORD else "",
                )
                restriction.groups.set([groups[name] for name in names])
        # An alias of a restricted page in the open part, and a page of its own under an alias
        # of a restricted subtree: Wagtail applies the source's restrictions to both.
        alias = pages["g1/child"].create_alias(parent=pages["open"], update_slug="serving-alias")
        alias_parent = pages["g1"].create_alias(
            parent=pages["open/child"], update_slug="serving-alias-parent"
        )
        under_alias = alias_parent.add_child(instance=Page(title="under", slug="serving-under"))
        yield {key: page.pk for key, page in pages.items()} | {
            "alias": alias.pk,
            "under-alias": under_alias.pk,
        }


def _routed(pk: int) -> Page:
    """The page as Wagtail's routing leaves it: each ancestor kept on its child as the parent."""
    page = Page.objects.get(pk=pk)
    parent = None
    for ancestor in page.get_ancestors().filter(depth__gte=2):
        if parent is not None:
            ancestor._cached_parent_obj = parent
        parent = ancestor
    if parent is not None:
        page._cached_parent_obj = parent
    return page


def _request(who: str):
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = (
        AnonymousUser() if who == "visitor" else User.objects.get(username=f"serving-{who}")
    )
    request.session = {}
    return request


def _answer(check, page, who: str) -> tuple:
    def served(page, request, args, kwargs):
        return HttpResponse("served")

    response = check(served)(page, _request(who), [], {})
    return response.status_code, response.get("Location"), response.get("Cache-Control")


@pytest.fixture(autouse=True)
def installed():
    serving.install()


KEYS = [*TREE, "alias", "under-alias"]


@pytest.mark.parametrize("who", ["visitor", *PEOPLE])
@pytest.mark.parametrize("key", KEYS)
def test_check__answers_as_wagtails_own(tree, db, key, who):
    for page in (_routed(tree[key]), Page.objects.get(pk=tree[key])):
        ours = _answer(serving.check_view_restrictions, page, who)
        assert ours == _answer(wagtail_own_hooks.check_view_restrictions, page, who)


@pytest.mark.parametrize("key", KEYS)
def test_check__reads_the_index_only_where_it_can_say_for_certain(tree, db, key):
    found = serving.applying_restrictions(_routed(tree[key]))
    assert (found is not None) == (key in FAST)


def test_check__no_query_once_the_index_and_groups_are_read(tree, db, django_assert_num_queries):
    page = _routed(tree["g1/child/grandchild"])
    request = _request("in-g1")
    with restrictions_cached():
        serving.applying_restrictions(page)  # the index, read once for the request
        user_group_ids(request.user)  # the person's groups, once
        with django_assert_num_queries(0):
            response = serving.check_view_restrictions(lambda *a: HttpResponse("ok"))(
                page, request, [], {}
            )
    assert response.status_code == 200


def test_check__takes_wagtails_place_in_the_chain(db, client):
    client.get("/")  # the first request installs it
    chain = hooks.get_hooks("on_serve_page")
    assert serving.check_view_restrictions in chain
    assert wagtail_own_hooks.check_view_restrictions not in chain
