"""Search (`/search/`, `/api/search/`): only what the searcher may see, in every language.

Each space gets a word that appears nowhere else; every role searches for every word.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from home.models import StandardPage
from home.search import MAX_QUERY_LENGTH, PAGE_SIZE
from tests.conftest import ANONYMOUS, ROLES

WORDS = {
    "public": "quuxpublicword",
    "frontline": "quuxfrontlineword",
    "bereaved": "quuxbereavedword",
    "common-ground": "quuxcommonword",
}
SEES = {
    "staff": {"public", "frontline", "bereaved", "common-ground"},
    "frontline-member": {"public", "frontline", "common-ground"},
    "frontline-editor": {"public", "frontline", "common-ground"},
    "bereaved-member": {"public", "bereaved", "common-ground"},
    "bereaved-editor": {"public", "bereaved", "common-ground"},
    "member-of-both": {"public", "frontline", "bereaved", "common-ground"},
    "applicant": {"public"},
    ANONYMOUS: {"public"},
}


def _publish_with(page: Page, field: str, text: str) -> None:
    page = page.specific
    setattr(page, field, f"<p>{text}</p>")
    page.save_revision().publish()


@pytest.fixture
def marked(page_at):
    """One unique word in the public About page and in a section page of each space."""
    _publish_with(page_at("/about/"), "body", f"About us {WORDS['public']}")
    for space in ("frontline", "bereaved", "common-ground"):
        _publish_with(page_at(f"/{space}/guides/"), "intro", f"Guides {WORDS[space]}")
    return WORDS


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_search_api__each_role_finds_only_spaces_it_may_see(client_for, marked, role):
    client = client_for(role)
    for space, word in marked.items():
        response = client.get("/api/search/", {"q": word})
        assert response.status_code == HTTPStatus.OK
        data = response.json()
        if space in SEES[role]:
            assert data["count"] == 1, (role, space)
            [hit] = data["results"]
            assert set(hit) >= {"title", "url", "type", "locale", "snippet"}
            assert hit["locale"] == "en"
            assert hit["snippet"] and hit["url"]
        else:  # neither the hit nor its count
            assert data == {
                "query": word,
                "locale": "en",
                "count": 0,
                "page": 1,
                "num_pages": 1,
                "results": [],
            }, (role, space)


@pytest.mark.parametrize("role", ["frontline-member", "bereaved-member", ANONYMOUS])
def test_search_page__shows_only_spaces_the_role_may_see(client_for, marked, role):
    client = client_for(role)
    for space, word in marked.items():
        response = client.get("/search/", {"q": word})
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        if space in SEES[role]:
            assert "1 result" in html, (role, space)
        else:
            assert "Nothing found" in html and "result<" not in html, (role, space)
        assert response["Cache-Control"].startswith("private")


def test_search_page__title_of_a_private_space_never_shows(client_for):
    response = client_for("frontline-member").get("/search/", {"q": "Bereaved", "locale": "all"})
    assert response.status_code == HTTPStatus.OK
    assert "Bereaved by substance use" not in response.content.decode()
    hits = client_for("bereaved-member").get("/api/search/", {"q": "Bereaved"}).json()
    assert "Bereaved by substance use" in [hit["title"] for hit in hits["results"]]


def test_search__new_page_is_indexed_when_published(client_for, page_at):
    home = page_at("/")
    page = StandardPage(title="Potluck news", slug="potluck-news", body="<p>quuxnewpage</p>")
    home.add_child(instance=page)
    client = client_for(ANONYMOUS)
    page.save_revision().publish()
    assert client.get("/api/search/", {"q": "quuxnewpage"}).json()["count"] == 1
    page.unpublish()
    assert client.get("/api/search/", {"q": "quuxnewpage"}).json()["count"] == 0


def test_search__language_is_the_current_one_unless_asked(client_for):
    client = client_for("bereaved-member")
    spanish = client.get("/es/search/", {"q": "duelo"})
    assert spanish.status_code == HTTPStatus.OK
    assert "En duelo por el consumo de sustancias" in spanish.content.decode()
    assert client.get("/api/search/", {"q": "duelo"}).json()["count"] == 0  # English by default
    data = client.get("/api/search/", {"q": "duelo", "locale": "es"}).json()
    assert data["count"] >= 1 and {hit["locale"] for hit in data["results"]} == {"es"}
    assert all(hit["url"].startswith("/es/") for hit in data["results"])
    everything = client.get("/api/search/", {"q": "Neighborhood Vecindario", "locale": "all"})
    assert everything.status_code == HTTPStatus.OK


def test_search__spanish_hits_keep_privacy(client_for):
    frontline = client_for("frontline-member").get("/api/search/", {"q": "duelo", "locale": "es"})
    titles = [hit["title"] for hit in frontline.json()["results"]]
    assert "En duelo por el consumo de sustancias" not in titles
    assert "Las primeras semanas después de una pérdida por consumo de sustancias" not in titles


def test_search__empty_query_is_an_empty_page(client_for):
    client = client_for(ANONYMOUS)
    assert client.get("/search/").status_code == HTTPStatus.OK
    assert client.get("/search/", {"q": "   "}).status_code == HTTPStatus.OK
    assert client.get("/api/search/", {"q": ""}).json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * (MAX_QUERY_LENGTH + 1)},
        {"q": "grief", "page": "abc"},
        {"q": "grief", "page": "0"},
        {"q": "grief", "page": "-1"},
        {"q": "grief", "page": "9" * 30},
        {"q": "grief", "locale": "xx"},
        {"q": "grief", "page": "50"},  # past the last page
        {"q": "grief\x00"},  # a NUL byte: no database can take it
        {"q": "grief \x07 support"},
    ],
)
def test_search__bad_input_is_a_clear_400(client_for, params):
    client = client_for("frontline-member")
    page = client.get("/search/", params)
    assert page.status_code == HTTPStatus.BAD_REQUEST
    assert 'role="alert"' in page.content.decode()
    api = client.get("/api/search/", params)
    assert api.status_code == HTTPStatus.BAD_REQUEST
    assert api.json()["message"]


@pytest.mark.parametrize(
    "text", ['"Peer', 'support"', '"', '""', "'", "*", "AND", "OR grief", "(grief", "a:b", "^", "-"]
)
def test_search__punctuation_and_operators_are_searched_as_words(client_for, text):
    """SQLite's FTS5 fails on a bare `"` (wagtail/wagtail#13227): never a 500."""
    client = client_for("frontline-member")
    assert client.get("/search/", {"q": text}).status_code == HTTPStatus.OK
    assert client.get("/api/search/", {"q": text}).status_code == HTTPStatus.OK


def test_search__a_quoted_word_still_finds_its_page(client_for):
    client = client_for("frontline-member")
    plain = client.get("/api/search/", {"q": "peer"}).json()["results"]
    quoted = client.get("/api/search/", {"q": '"peer"'}).json()["results"]
    assert plain and quoted == plain


def test_search__is_paginated(client_for, page_at):
    home = page_at("/")
    for number in range(PAGE_SIZE + 2):
        page = StandardPage(title=f"Page {number}", slug=f"p-{number}", body="<p>quuxmany</p>")
        home.add_child(instance=page)
        page.save_revision().publish()
    client = client_for(ANONYMOUS)
    first = client.get("/search/", {"q": "quuxmany"})
    assert f"{PAGE_SIZE + 2} results" in first.content.decode()
    second = client.get("/search/", {"q": "quuxmany", "page": "2"})
    assert second.status_code == HTTPStatus.OK
    assert second.content.decode().count('href="/p-') == 2
    assert client.get("/search/", {"q": "quuxmany", "page": "3"}).status_code == 400


def _locale_reads(queries) -> int:
    return sum('FROM "wagtailcore_locale"' in q["sql"] for q in queries)


@pytest.mark.parametrize("language", ["en", "es"])
def test_search_page__cost_does_not_grow_with_results(client_for, language):
    """The results' languages and their spaces' names are read once for the page of results,
    not once per result or per space (issue 13: search was the slowest address)."""
    client = client_for("member-of-both")
    prefix = "" if language == "en" else f"/{language}"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{prefix}/search/", {"q": "support", "locale": "all"})
    assert response.status_code == HTTPStatus.OK
    results = response.context["results"]
    assert len(results) >= 5 and len({r.space_title for r in results}) >= 2
    assert _locale_reads(captured.captured_queries) <= 3  # active, the query's, the results'


def test_search_page__spaces_are_named_in_the_readers_language(client_for):
    """Each result's space label is the space's live translation in the reader's language, else
    its own title (what `Page.localized` gives)."""
    client = client_for("member-of-both")
    for language in ("en", "es", "pt"):
        prefix = "" if language == "en" else f"/{language}"
        response = client.get(f"{prefix}/search/", {"q": "support", "locale": "all"})
        locale = Locale.objects.get(language_code=language)
        for result in response.context["results"]:
            if not result.space_title:
                continue
            space = Page.objects.get(path=result.path[:12])
            translation = space.get_translation_or_none(locale)
            expected = translation.title if translation and translation.live else space.title
            assert result.space_title == expected
