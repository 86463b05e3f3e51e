"""The restriction index in a shared Redis cache (docs/deploy.md, "Cache").

Two cache clients with their own connections stand for two app servers. The index one server
read is served to the other without a query; any restriction, group, membership or tree change
makes the next read on every server come from the database, so a change is seen at once.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache.backends.redis import RedisCache
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from community_pages.models import Community, CommunityPage
from core import restriction_index
from core.visibility import user_can_view_page
from tests.site.redis_support import redis_cache, require_redis


class Servers:
    def __init__(self, monkeypatch):
        self.a = redis_cache()
        self.b = redis_cache(self.a.key_prefix)
        self.current = self.a
        monkeypatch.setattr(restriction_index, "_shared_cache", lambda: self.current)

    def read(self, server, model=PageViewRestriction):
        self.current = server
        return restriction_index.restrictions(model)


@pytest.fixture
def servers(db, monkeypatch):
    require_redis()
    return Servers(monkeypatch)  # its keys have this test's own prefix, and expire


def _frontline() -> tuple[CommunityPage, Community]:
    page = CommunityPage.objects.get(url_path="/home/frontline/")
    return page, page.community


def test_change_not_yet_committed__its_transaction_reads_the_database(
    servers, django_assert_num_queries
):
    """Runs first: its change is never committed (the test rolls back), which must not leave
    the next test's transaction reading the database."""
    servers.read(servers.a)
    _remove_members_group()
    with django_assert_num_queries(1):
        inside = servers.read(servers.b)
    assert inside == restriction_index.read_from_database(PageViewRestriction)


def test_index__read_by_one_server__is_served_to_the_other_without_a_query(
    servers, django_assert_num_queries
):
    with django_assert_num_queries(1):
        first = servers.read(servers.a)
    with django_assert_num_queries(0):
        assert servers.read(servers.b) == first


def _remove_members_group():
    page, community = _frontline()
    PageViewRestriction.objects.get(page=page).groups.remove(community.members_group)


def _delete_restriction():
    PageViewRestriction.objects.get(page=_frontline()[0]).delete()


def _add_restriction():
    about = Page.objects.get(url_path="/home/about/")
    restriction = PageViewRestriction.objects.create(page=about, restriction_type="groups")
    restriction.groups.add(_frontline()[1].editors_group)


def _restriction_with_extra_group():
    page, _community = _frontline()
    extra = Group.objects.create(name="Extra readers")
    PageViewRestriction.objects.get(page=page).groups.add(extra)


def _delete_group():
    Group.objects.get(name="Extra readers").delete()


def _move_collection():
    community = _frontline()[1]
    other = Collection.get_first_root_node().add_child(name="Elsewhere")
    community.collection.move(other, "sorted-child")


def _nothing():
    pass


# (made before the servers read the index, the change, the model whose index it changes)
CHANGES = {
    "restriction loses a group": (_nothing, _remove_members_group, PageViewRestriction),
    "restriction deleted": (_nothing, _delete_restriction, PageViewRestriction),
    "restriction added": (_nothing, _add_restriction, PageViewRestriction),
    "group deleted": (_restriction_with_extra_group, _delete_group, PageViewRestriction),
    "collection moved": (_nothing, _move_collection, CollectionViewRestriction),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_index__changed_through_one_server__the_other_reads_the_change_at_once(
    servers, change, django_assert_num_queries, django_capture_on_commit_callbacks
):
    setup, make_change, model = CHANGES[change]
    with django_capture_on_commit_callbacks(execute=True):
        setup()
    before = servers.read(servers.a, model)
    assert servers.read(servers.b, model) == before

    with django_capture_on_commit_callbacks(execute=True):
        make_change()
        # Until it commits, the changing transaction reads its own rows, not the shared cache.
        inside = servers.read(servers.a, model)
        assert inside == restriction_index.read_from_database(model)
        assert inside != before

    with django_assert_num_queries(1):  # committed: a new generation, read once, afresh
        after_b = servers.read(servers.b, model)
    assert after_b == restriction_index.read_from_database(model) == inside
    with django_assert_num_queries(0):  # and shared again
        assert servers.read(servers.a, model) == after_b


def test_membership_change__makes_a_new_generation(
    servers, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    servers.read(servers.a)
    with django_assert_num_queries(0):
        servers.read(servers.b)
    with django_capture_on_commit_callbacks(execute=True):
        user("applicant").groups.add(_frontline()[1].members_group)
    with django_assert_num_queries(1):
        servers.read(servers.b)


def test_member_removed_from_restriction__is_refused_by_the_other_server(
    servers, user, page_at, django_capture_on_commit_callbacks
):
    member, space = user("frontline-member"), page_at("/frontline/")
    servers.current = servers.a
    assert user_can_view_page(member, space)
    servers.current = servers.b
    assert user_can_view_page(member, space)  # B now holds the index A read

    with django_capture_on_commit_callbacks(execute=True):
        _remove_members_group()
    servers.current = servers.b
    assert not user_can_view_page(member, space)


def test_without_a_shared_cache__the_index_is_read_each_time(db, django_assert_num_queries):
    """The in-process default is not shared between processes: it must not hold the index."""
    with django_assert_num_queries(2):
        restriction_index.restrictions(PageViewRestriction)
        restriction_index.restrictions(PageViewRestriction)


def test_cache_unreachable__the_database_answers(db, monkeypatch, django_assert_num_queries):
    dead = RedisCache("redis://127.0.0.1:1/0", {})  # nothing listens there
    monkeypatch.setattr(restriction_index, "_shared_cache", lambda: dead)
    with django_assert_num_queries(1):
        found = restriction_index.restrictions(PageViewRestriction)
    assert found == restriction_index.read_from_database(PageViewRestriction)
