"""Search on PostgreSQL narrows the pages to the GIN indexes' candidates before Wagtail's
backend ranks them (`home.search.candidates`): the same results, order and count as without,
over fewer rows. On SQLite nothing is narrowed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from wagtail.models import Page

from home import search
from home.search import SearchQuery, candidates, search_pages

ON_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN indexes are PostgreSQL's"
)
QUERIES = [
    "support",
    "grief",
    "peer support",  # two words: the backend asks for both
    "the grief",  # a stop word
    "self-care",  # a hyphen splits words
    "shifts",  # a stem
    "apoyo",
    "quuxnosuchword",
]
# Spanish and Portuguese too: which translation a result is shown in is decided among the
# candidates' translation keys only (home.search.search_pages).
LOCALES = ("en", "es", "pt", "all")


def _hits(user, text: str, locale: str = "en") -> tuple[list[int], int]:
    results = search_pages(user, SearchQuery(text=text, locale=locale, page_number=1))
    return [page.pk for page in results[:50]], results.count()


@ON_POSTGRES
@pytest.mark.parametrize("role", ["visitor", "frontline-member", "staff"])
def test_candidates__same_results_order_and_count_as_the_backend_alone(db, monkeypatch, role):
    user = AnonymousUser() if role == "visitor" else get_user_model().objects.get(username=role)
    narrowed = {(text, locale): _hits(user, text, locale) for text in QUERIES for locale in LOCALES}
    monkeypatch.setattr(search, "candidates", lambda pages, text: pages)
    alone = {(text, locale): _hits(user, text, locale) for text in QUERIES for locale in LOCALES}
    assert narrowed == alone
    assert any(count for _ids, count in alone.values())  # the comparison compared something


@ON_POSTGRES
def test_candidates__a_rare_word_leaves_few_rows_to_rank(db):
    everything = Page.objects.live().count()
    assert candidates(Page.objects.live(), "grief").count() < everything / 2
    assert candidates(Page.objects.live(), "quuxnosuchword").count() == 0


def test_candidates__elsewhere_the_pages_as_they_are(db):
    pages = Page.objects.live()
    if connection.vendor == "postgresql":
        assert candidates(pages, "grief") is not pages
    else:
        assert candidates(pages, "grief") is pages
