"""A reading request reads the restriction index once (core/per_request.py), and a member's page
costs the same number of queries whatever the number of communities.

The numbers themselves (before/after, against the visitor's front door) are printed by
`make bench-pages` (tests/bench/pages.py); these tests hold the shape.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community_pages.models import CommunityPage
from community_pages.services import space_create
from home.models import HomePage
from tests.conftest import shared_setup

MEMBER = "frontline-member"
PAGES = [
    ("visitor", "/"),
    ("visitor", "/about/"),
    (MEMBER, "/"),
    (MEMBER, "/frontline/"),
    (MEMBER, "/frontline/resources/"),
    (MEMBER, "/frontline/guides/"),
    (MEMBER, "/frontline/groups/"),
    (MEMBER, "/search/?q=grief"),
    (MEMBER, "/feeds/frontline/meetings.ics"),
]


def _client(role: str) -> Client:
    client = Client()
    if role != "visitor":
        client.force_login(get_user_model().objects.get(username=role))
    return client


def _reads_index(sql: str, kind: str) -> bool:
    table = f"wagtailcore_{kind}viewrestriction"
    return f'FROM "{table}"' in sql and f'JOIN "{table}_groups"' in sql


def _cost(role: str, path: str) -> tuple[int, int, int]:
    """(queries, reads of the page restriction index, of the collection one) of one GET."""
    client = _client(role)
    client.get(path)  # warm: content types, translations, the site root
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == HTTPStatus.OK, (role, path)
    # The index: every restriction joined with its groups (Wagtail's own check of the page's
    # ancestors, in its serving hook, reads only those few rows and is not counted).
    sql = [q["sql"] for q in captured.captured_queries]
    pages = sum(_reads_index(q, "page") for q in sql)
    collections = sum(_reads_index(q, "collection") for q in sql)
    return len(captured), pages, collections


@pytest.fixture(scope="class")
def costs_before_twelve_more_communities(django_db_setup, django_db_blocker):
    """{(role, path): cost} on the demo; then 12 communities are added for the class."""
    with shared_setup(django_db_blocker):
        before = {(role, path): _cost(role, path) for role, path in PAGES}
        home = HomePage.objects.get(depth=2, locale__language_code="en")
        for number in range(12):
            space_create(
                parent=home, page_class=CommunityPage, title=f"More {number}", slug=f"more-{number}"
            )
        yield before


class TestTwelveMoreCommunities:
    @pytest.mark.parametrize(("role", "path"), PAGES)
    def test_page__queries_do_not_grow_with_communities(
        self, costs_before_twelve_more_communities, db, role, path
    ):
        assert _cost(role, path) == costs_before_twelve_more_communities[(role, path)]

    @pytest.mark.parametrize(("role", "path"), PAGES)
    def test_page__the_restriction_index_is_read_at_most_once_per_model(
        self, costs_before_twelve_more_communities, db, role, path
    ):
        _queries, pages, collections = _cost(role, path)
        assert pages <= 1
        assert collections <= 1
