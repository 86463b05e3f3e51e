"""A space's news, rendered once per visibility class (core/fragment_cache.py), in the access
matrix's style: the same setup, allowed and denied, whoever warmed the cache.

A community's home page shows its latest resources and guides and its next meetings, kept in the
cache for every reader the visibility rule treats alike. These tests hold that a reader never
gets what was rendered for another class (another community's member, a member of both, an
editor, staff), and that a change (unpublished, restricted, published, moved) is shown on the
next request: with the in-process cache (the test settings' default, switched on here) and, as
two app servers, with Redis.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from community_pages.models import CommunityPage
from core import fragment_cache
from resources.models import ResourcePage
from tests.site.redis_support import redis_cache, require_redis

# Who may open each space's home page (conftest's SEES), and the pages only some of them see.
READERS = {
    "frontline": ["frontline-member", "frontline-editor", "member-of-both", "staff"],
    "common-ground": ["frontline-member", "bereaved-member", "member-of-both", "staff"],
}
EDITORS_ONLY = "Editors-only rota"  # in the frontline library, for its editors
FRONTLINE_ONLY = "Frontline-only handout"  # in Common Ground's library, for frontline's members
EXTRA_IN = {"frontline": EDITORS_ONLY, "common-ground": FRONTLINE_ONLY}
SEES_EXTRA = {
    "frontline-member": {FRONTLINE_ONLY},
    "frontline-editor": {EDITORS_ONLY, FRONTLINE_ONLY},
    "bereaved-member": set(),
    "member-of-both": {FRONTLINE_ONLY},
    "staff": {EDITORS_ONLY, FRONTLINE_ONLY},
}


@pytest.fixture
def fragments(db, settings):
    """The fragment cache on, in the in-process cache, empty."""
    settings.NEIGHBORHOOD_FRAGMENT_CACHE = "default"
    cache.clear()
    yield
    cache.clear()


def _community(slug: str):
    return CommunityPage.objects.get(url_path=f"/home/{slug}/").community


def _publish_resource(space: str, title: str, *, only_for: Group | None = None) -> ResourcePage:
    library = Page.objects.get(url_path=f"/home/{space}/resources/")
    resource = ResourcePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=f"About {title}.",
        kind="other",
    )
    library.add_child(instance=resource)
    resource.save_revision().publish()
    if only_for is not None:
        restriction = PageViewRestriction.objects.create(page=resource, restriction_type="groups")
        restriction.groups.add(only_for)
    return resource


def _committed(change, capture):
    """Make a change as another request would: committed, its on-commit work done."""
    with capture(execute=True):
        return change()


def _news(client_for, role: str, space: str, prefix: str = "") -> str:
    response = client_for(role).get(f"{prefix}/{space}/")
    assert response.status_code == HTTPStatus.OK, (role, space)
    return response.content.decode().split('class="news"')[1].split("</main>")[0]


@pytest.fixture
def restricted_news(fragments, django_capture_on_commit_callbacks):
    """A resource only frontline's editors may see, in frontline's library, and one only
    frontline's members may see, in Common Ground's: readers of one space then differ."""

    def make():
        _publish_resource("frontline", EDITORS_ONLY, only_for=_community("frontline").editors_group)
        _publish_resource(
            "common-ground", FRONTLINE_ONLY, only_for=_community("frontline").members_group
        )

    _committed(make, django_capture_on_commit_callbacks)
    cache.clear()


@pytest.mark.parametrize(
    ("space", "first"), [(space, role) for space, roles in READERS.items() for role in roles]
)
def test_warm_cache__each_reader_gets_exactly_what_the_rule_shows_them(
    client_for, restricted_news, settings, space, first
):
    """Whoever warms the cache first, every reader afterwards gets the news rendered for what
    they may see: never a fragment of another visibility class."""
    readers = [first, *(role for role in READERS[space] if role != first)]
    cached = {role: _news(client_for, role, space) for role in readers}
    for role in readers:
        again = _news(client_for, role, space)
        assert again == cached[role], role
        title = EXTRA_IN[space]
        assert (title in again) == (title in SEES_EXTRA[role]), (role, space, title)
    settings.NEIGHBORHOOD_FRAGMENT_CACHE = None
    for role in readers:  # exactly what the rule gives without any cache
        assert _news(client_for, role, space) == cached[role], role


def test_warm_cache__another_communitys_news_never_reaches_a_member(client_for, fragments):
    """Every community's home warmed by its members; each member still reads only theirs, and
    a member of one community is still refused the other's home, news and all."""
    frontline = _news(client_for, "frontline-member", "frontline")
    bereaved = _news(client_for, "bereaved-member", "bereaved")
    both = {
        space: _news(client_for, "member-of-both", space) for space in ("frontline", "bereaved")
    }
    assert "/frontline/resources/" in frontline and "/bereaved/" not in frontline
    assert "/bereaved/resources/" in bereaved and "/frontline/" not in bereaved
    assert both == {"frontline": frontline, "bereaved": bereaved}
    for role, space in (("bereaved-member", "frontline"), ("frontline-member", "bereaved")):
        denied = client_for(role).get(f"/{space}/")
        assert denied.status_code == HTTPStatus.FORBIDDEN
        html = denied.content.decode()
        assert 'class="news"' not in html and f"/{space}/resources/" not in html


def test_second_request__the_news_comes_from_the_cache(client_for, fragments):
    """The cache is really used (so the tests of what it forgets test something): the second
    request for the same news, by another reader of the same class, makes fewer queries."""
    client_for("frontline-member").get("/frontline/")  # warms the process too
    cache.clear()
    counts = []
    for role in ("frontline-member", "frontline-editor"):  # one class: no editor-only page here
        client = client_for(role)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/frontline/").status_code == HTTPStatus.OK
        counts.append(len(captured))
    assert counts[1] <= counts[0] - 5, counts


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_unpublished_after_caching__gone_on_the_next_request(
    client_for, fragments, page_at, django_capture_on_commit_callbacks, prefix
):
    address = f"{prefix}/frontline/resources/smart-recovery/"
    assert address in _news(client_for, "frontline-member", "frontline", prefix)
    _committed(
        page_at("/frontline/resources/smart-recovery/").unpublish,
        django_capture_on_commit_callbacks,
    )
    assert address not in _news(client_for, "frontline-member", "frontline", prefix)


def test_restricted_after_caching__gone_for_those_it_excludes_only(
    client_for, fragments, page_at, django_capture_on_commit_callbacks
):
    address = "/frontline/resources/smart-recovery/"
    for role in ("frontline-member", "frontline-editor"):
        assert address in _news(client_for, role, "frontline")

    def restrict():
        restriction = PageViewRestriction.objects.create(
            page=page_at(address), restriction_type="groups"
        )
        restriction.groups.add(_community("frontline").editors_group)

    _committed(restrict, django_capture_on_commit_callbacks)
    assert address not in _news(client_for, "frontline-member", "frontline")
    assert address in _news(client_for, "frontline-editor", "frontline")


def test_published_after_caching__shown_on_the_next_request(
    client_for, fragments, django_capture_on_commit_callbacks
):
    assert "Night shift checklist" not in _news(client_for, "frontline-member", "frontline")
    _committed(
        lambda: _publish_resource("frontline", "Night shift checklist"),
        django_capture_on_commit_callbacks,
    )
    assert "/frontline/resources/night-shift-checklist/" in _news(
        client_for, "frontline-member", "frontline"
    )


def test_moved_to_another_community_after_caching__follows_the_page(
    client_for, fragments, django_capture_on_commit_callbacks
):
    resource = _committed(
        lambda: _publish_resource("frontline", "Moving handout"), django_capture_on_commit_callbacks
    )
    assert "Moving handout" in _news(client_for, "frontline-member", "frontline")
    assert "Moving handout" not in _news(client_for, "bereaved-member", "bereaved")
    target = Page.objects.get(url_path="/home/bereaved/resources/")
    _committed(lambda: resource.move(target, pos="last-child"), django_capture_on_commit_callbacks)
    assert "Moving handout" not in _news(client_for, "frontline-member", "frontline")
    assert "/bereaved/resources/moving-handout/" in _news(client_for, "bereaved-member", "bereaved")


def test_another_day__the_meetings_are_listed_from_that_day(
    client_for, fragments, settings, monkeypatch
):
    """The key carries the day the meetings are listed from (today's first, as without the
    cache): on another day the list is rendered afresh, never the day before's."""
    first = _news(client_for, "frontline-member", "frontline")
    real, later = timezone.localdate, timezone.localdate() + timedelta(days=8)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, tz=None: real(value, tz) if value else later
    )
    cached = _news(client_for, "frontline-member", "frontline")
    settings.NEIGHBORHOOD_FRAGMENT_CACHE = None
    assert cached == _news(client_for, "frontline-member", "frontline") != first


def test_change_not_yet_committed__its_own_transaction_renders_afresh(
    client_for, fragments, page_at
):
    """A change inside a transaction is not in the cache's generation yet: until it commits,
    that transaction renders from its own rows (and stores nothing)."""
    address = "/frontline/resources/smart-recovery/"
    assert address in _news(client_for, "frontline-member", "frontline")
    page_at(address).unpublish()  # not committed: the test's transaction is still open
    assert address not in _news(client_for, "frontline-member", "frontline")


def test_visibility_class__what_the_rule_decides_from(user, restricted_news):
    """Same denied subtrees, same class; different ones, different classes. With a page only
    frontline's editors may see, its editors and members differ, and staff (who are denied
    nothing) differ from a member of both (denied that page)."""
    roles = ("frontline-member", "frontline-editor", "bereaved-member", "member-of-both", "staff")
    classes = {role: fragment_cache.visibility_class(user(role)) for role in roles}
    for a, b in itertools.combinations(roles, 2):
        assert classes[a] != classes[b], (a, b)


def test_visibility_class__readers_the_rule_treats_alike_share_one(user, db):
    """In the demo a community's editors see what its members see, and a member of both
    communities is denied nothing, as staff: one class each, so one rendering each."""
    member, editor = user("frontline-member"), user("frontline-editor")
    assert fragment_cache.visibility_class(member) == fragment_cache.visibility_class(editor)
    both, staff = user("member-of-both"), user("staff")
    assert fragment_cache.visibility_class(both) == fragment_cache.visibility_class(staff)
    assert fragment_cache.visibility_class(member) != fragment_cache.visibility_class(both)


# Two app servers sharing one Redis ------------------------------------------------------------


class Servers:
    def __init__(self, monkeypatch):
        self.a = redis_cache()
        self.b = redis_cache(self.a.key_prefix)
        self.current = self.a
        monkeypatch.setattr(fragment_cache, "_cache", lambda: self.current)


@pytest.fixture
def servers(db, monkeypatch):
    require_redis()
    return Servers(monkeypatch)  # its keys have this test's own prefix, and expire


def _queries(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    return len(captured), response.content.decode().split('class="news"')[1]


def test_redis__news_rendered_on_one_server_is_served_by_the_other_and_a_change_reaches_both(
    client_for, servers, page_at, django_capture_on_commit_callbacks
):
    member = client_for("frontline-member")
    servers.current = None  # no fragment cache: warms the process (content types, templates)
    member.get("/frontline/")
    servers.current = servers.a
    cold, on_a = _queries(member, "/frontline/")
    servers.current = servers.b
    warm, on_b = _queries(member, "/frontline/")
    assert on_b == on_a and warm <= cold - 5, (cold, warm)
    assert "/frontline/resources/smart-recovery/" in on_b
    # Another class on server B: rendered for them, not served A's entry.
    servers.current = servers.b
    _count, staff_news = _queries(client_for("staff"), "/frontline/")
    assert "/frontline/resources/smart-recovery/" in staff_news

    servers.current = servers.a  # the change is made through server A
    _committed(
        page_at("/frontline/resources/smart-recovery/").unpublish,
        django_capture_on_commit_callbacks,
    )
    for server in (servers.b, servers.a):
        servers.current = server
        _count, news = _queries(member, "/frontline/")
        assert "/frontline/resources/smart-recovery/" not in news


def test_cache_unreachable__the_news_is_rendered(client_for, db, monkeypatch):
    dead = RedisCache("redis://127.0.0.1:1/0", {})  # nothing listens there
    monkeypatch.setattr(fragment_cache, "_cache", lambda: dead)
    assert "/frontline/resources/smart-recovery/" in _news(
        client_for, "frontline-member", "frontline"
    )
