"""`reader_locale` on /api/v2/pages/ (issue 15): a page shown in its source language until it
is translated says which language its content is in (`meta.content_locale`, `meta.fallback`),
as the site's notices do; without the parameter the answers stay Wagtail's."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from wagtail.models import Locale

from tests.conftest import ANONYMOUS

NONEXISTENT = 999_999


def _items(response) -> list[dict]:
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()["items"]


def test_listing__untranslated_pages_in_english_with_a_fallback_flag(api_client, page_at):
    library = page_at("/frontline/resources/")
    spanish_library = library.get_translation(_locale("es"))
    client = api_client("frontline-member")
    english = _items(client.get("/api/v2/pages/", {"child_of": library.pk}))
    spanish = _items(
        client.get("/api/v2/pages/", {"child_of": spanish_library.pk, "reader_locale": "es"})
    )
    # The same resources, none translated yet: each says its content is in English.
    assert [item["id"] for item in spanish] == [item["id"] for item in english]
    assert len(spanish) == 3
    assert {(i["meta"]["content_locale"], i["meta"]["fallback"]) for i in spanish} == {("en", True)}
    # In English, the same pages are not a fallback.
    same = _items(client.get("/api/v2/pages/", {"child_of": library.pk, "reader_locale": "en"}))
    assert {(i["meta"]["content_locale"], i["meta"]["fallback"]) for i in same} == {("en", False)}
    # Stock Wagtail's answer has no such field.
    assert all("content_locale" not in item["meta"] for item in english)


def test_listing__a_translation_replaces_its_source(api_client, page_at):
    about = page_at("/about/")
    spanish_about = about.get_translation(_locale("es"))
    items = _items(
        api_client(ANONYMOUS).get(
            "/api/v2/pages/", {"reader_locale": "es", "limit": 100, "fields": "*"}
        )
    )
    ids = {item["id"] for item in items}
    assert spanish_about.pk in ids and about.pk not in ids
    mine = next(item for item in items if item["id"] == spanish_about.pk)
    assert mine["meta"]["content_locale"] == "es" and mine["meta"]["fallback"] is False


def test_listing__never_shows_what_the_reader_may_not_see(api_client, page_at):
    library = page_at("/frontline/resources/")
    spanish_library = library.get_translation(_locale("es"))
    client = api_client("bereaved-member")
    hidden = client.get("/api/v2/pages/", {"child_of": spanish_library.pk, "reader_locale": "es"})
    missing = client.get("/api/v2/pages/", {"child_of": NONEXISTENT, "reader_locale": "es"})
    assert hidden.status_code == missing.status_code == HTTPStatus.BAD_REQUEST
    assert hidden.json() == missing.json()
    everything = _items(client.get("/api/v2/pages/", {"reader_locale": "es", "limit": 100}))
    frontline = {p.pk for p in page_at("/frontline/").get_descendants(inclusive=True)}
    assert everything and not frontline & {item["id"] for item in everything}


def test_detail__says_which_language_the_content_is_in(api_client, page_at):
    resource = page_at("/frontline/resources/smart-recovery/")
    client = api_client("frontline-member")
    meta = client.get(f"/api/v2/pages/{resource.pk}/", {"reader_locale": "pt"}).json()["meta"]
    assert (meta["content_locale"], meta["fallback"]) == ("en", True)
    meta = client.get(f"/api/v2/pages/{resource.pk}/").json()["meta"]
    assert "content_locale" not in meta and "fallback" not in meta
    # Hidden answers like missing.
    other = api_client("bereaved-member")
    hidden = other.get(f"/api/v2/pages/{resource.pk}/", {"reader_locale": "pt"})
    missing = other.get(f"/api/v2/pages/{NONEXISTENT}/", {"reader_locale": "pt"})
    assert hidden.status_code == missing.status_code == HTTPStatus.NOT_FOUND
    assert hidden.json() == missing.json()


def test_find__a_localized_path_keeps_the_readers_language(api_client, page_at):
    resource = page_at("/frontline/resources/smart-recovery/")
    client = api_client("frontline-member")
    found = client.get("/api/v2/pages/find/", {"html_path": "/es" + resource.url})
    assert found.status_code == HTTPStatus.FOUND
    assert found["Location"].endswith(f"/api/v2/pages/{resource.pk}/?reader_locale=es")
    meta = client.get(found["Location"]).json()["meta"]
    assert (meta["content_locale"], meta["fallback"]) == ("en", True)


@pytest.mark.parametrize(
    "query",
    [
        {"reader_locale": "xx"},
        {"reader_locale": ""},
        {"reader_locale": "es", "locale": "es"},
        {"reader_locale": "es", "child_of": "abc"},
    ],
)
def test_bad_reader_locale__a_clear_400(api_client, query):
    response = api_client("frontline-member").get("/api/v2/pages/", query)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["message"]


def _locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def test_listing__search_and_descendants_in_the_readers_language(api_client, page_at):
    client = api_client("frontline-member")
    found = _items(client.get("/api/v2/pages/", {"reader_locale": "es", "search": "SMART"}))
    assert found and all("content_locale" in item["meta"] for item in found)
    spanish_space = page_at("/frontline/").get_translation(_locale("es"))
    under = _items(
        client.get(
            "/api/v2/pages/",
            {"reader_locale": "es", "descendant_of": spanish_space.pk, "limit": 100},
        )
    )
    english = _items(
        client.get("/api/v2/pages/", {"descendant_of": page_at("/frontline/").pk, "limit": 100})
    )
    # One page per translation: as many as the English tree, each in Spanish where translated.
    assert len(under) == len(english)
    assert any(not item["meta"]["fallback"] for item in under)  # the translated sections
    assert any(item["meta"]["fallback"] for item in under)  # the resources, not yet
