"""`/api/v2/pages/?search=` on PostgreSQL narrows to the GIN indexes' candidates before Wagtail's
backend ranks (`core.search_candidates`, as the search page does): the same items, order and
total count as the backend alone, for each role, operator and page type. On SQLite nothing is
narrowed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api import pages as pages_api
from tests.conftest import ANONYMOUS

ON_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN indexes are PostgreSQL's"
)
QUERIES = ["support", "grief", "peer support", "the grief", "self-care", "shifts", "apoyo",
           "quuxnosuchword"]  # fmt: skip
VARIANTS = ["", "&search_operator=and", "&search_operator=or", "&type=resources.ResourcePage",
            "&order=title", "&locale=es"]  # fmt: skip


def _answers(client) -> dict:
    found = {}
    for text in QUERIES:
        for variant in VARIANTS:
            answer = client.get(f"/api/v2/pages/?search={text}{variant}&limit=50")
            assert answer.status_code == 200, (text, variant, answer.content[:200])
            body = answer.json()
            ids = [item["id"] for item in body["items"]]
            if "order=" in variant:
                # Ordered by a field: pages with the same title may come in either order (the
                # database's plan decides; no tie-breaker, with or without narrowing).
                titles = [item["title"] for item in body["items"]]
                found[(text, variant)] = (sorted(ids), titles, body["meta"]["total_count"])
            else:  # by relevance: the backend's ranking, the same order
                found[(text, variant)] = (ids, body["meta"]["total_count"])
    return found


@ON_POSTGRES
@pytest.mark.parametrize("role", [ANONYMOUS, "frontline-member", "staff"])
def test_api_search__same_items_order_and_count_as_the_backend_alone(
    db, api_client, monkeypatch, role
):
    client = api_client(role, "token") if role != ANONYMOUS else api_client(role)
    narrowed = _answers(client)
    monkeypatch.setattr(pages_api, "candidates", lambda pages, text: pages)
    alone = _answers(client)
    assert narrowed == alone
    assert any(count for _ids, count in alone.values())  # the comparison compared something


@ON_POSTGRES
def test_api_search__the_index_entries_narrow_the_pages(db, api_client):
    with CaptureQueriesContext(connection) as captured:
        assert api_client(ANONYMOUS).get("/api/v2/pages/?search=grief").status_code == 200
    assert any("wagtailsearch_indexentry" in q["sql"] for q in captured.captured_queries)


def test_api_search__on_any_database__answers_as_before(db, api_client):
    answer = api_client(ANONYMOUS).get("/api/v2/pages/?search=support")
    assert answer.status_code == 200 and answer.json()["meta"]["total_count"] >= 1
    empty = api_client(ANONYMOUS).get("/api/v2/pages/?search=quuxnosuchword")
    assert empty.json()["meta"]["total_count"] == 0
