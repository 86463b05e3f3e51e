"""The visibility rule costs a constant number of queries, whatever the number of communities."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community_pages.models import CommunityPage
from community_pages.services import space_create
from core.visibility import (
    user_can_view_page,
    visible_collections,
    visible_pages,
)
from home.models import HomePage
from tests.conftest import shared_setup


def _queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def _measure(user):
    fresh = type(user).objects.get(pk=user.pk)  # no cached groups
    page = CommunityPage.objects.first()
    return (
        _queries(lambda: list(visible_pages(fresh))),
        _queries(lambda: user_can_view_page(type(user).objects.get(pk=user.pk), page)),
        _queries(lambda: list(visible_collections(fresh))),
    )


ROLES = ["frontline-member", "applicant", "staff"]


@pytest.fixture(scope="class")
def counts_before_twelve_more_communities(django_db_setup, django_db_blocker):
    """{role: queries}, measured on the demo; then 12 communities are added, once for the class
    (rolled back after it)."""
    with shared_setup(django_db_blocker):
        before = {role: _measure(get_user_model().objects.get(username=role)) for role in ROLES}
        home = HomePage.objects.get(depth=2, locale__language_code="en")
        for number in range(12):
            space_create(
                parent=home,
                page_class=CommunityPage,
                title=f"Extra {number}",
                slug=f"extra-{number}",
            )
        yield before


class TestTwelveMoreCommunities:
    @pytest.mark.parametrize("role", ROLES)
    def test_visibility__queries_do_not_grow_with_communities(
        self, counts_before_twelve_more_communities, user, role
    ):
        after = _measure(user(role))
        assert after == counts_before_twelve_more_communities[role]
        assert max(after) <= 3


def test_visibility__a_member_sees_none_of_the_new_communities(user):
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    space_create(parent=home, page_class=CommunityPage, title="Extra", slug="extra")
    slugs = set(visible_pages(user("frontline-member")).values_list("slug", flat=True))
    assert "extra" not in slugs
    assert "frontline" in slugs
