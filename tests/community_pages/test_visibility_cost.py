"""The visibility rule costs a constant number of queries, whatever the number of communities."""

import pytest
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


@pytest.mark.parametrize("role", ["frontline-member", "applicant", "staff"])
def test_visibility__queries_do_not_grow_with_communities(user, role):
    before = _measure(user(role))
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    for number in range(12):
        space_create(
            parent=home, page_class=CommunityPage, title=f"Extra {number}", slug=f"extra-{number}"
        )
    after = _measure(user(role))
    assert after == before
    assert max(after) <= 3


def test_visibility__a_member_sees_none_of_the_new_communities(user):
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    space_create(parent=home, page_class=CommunityPage, title="Extra", slug="extra")
    slugs = set(visible_pages(user("frontline-member")).values_list("slug", flat=True))
    assert "extra" not in slugs
    assert "frontline" in slugs
