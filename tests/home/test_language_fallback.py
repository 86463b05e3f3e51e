"""A page with no translation in the reader's language is shown in English, with a notice and a
`lang` attribute, in listings, search and the schedule, and served under the reader's language
prefix; a translation, once made, replaces it. The fallback never reaches another community
(docs/languages.md, "Fallback"; docs/privacy.md, `translations-share-privacy`)."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest

from tests.conftest import ANONYMOUS

RESOURCE_LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>\s*<span class="muted">')


def _resources(html: str) -> list[tuple[str, str]]:
    return RESOURCE_LINK.findall(html)


@pytest.mark.parametrize("language", ["es", "pt"])
def test_library__lists_every_resource_in_english_until_translated(client_for, language):
    client = client_for("frontline-member")
    english = _resources(client.get("/frontline/resources/").content.decode())
    response = client.get(f"/{language}/frontline/resources/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    listed = _resources(html)
    assert len(listed) == len(english) == 3
    assert {title for _url, title in listed} == {title for _url, title in english}
    # Each one links under the reader's prefix, tagged English, with the notice.
    assert all(url.startswith(f"/{language}/frontline/resources/") for url, _title in listed)
    assert html.count('lang="en"') >= 3
    assert html.count('class="lang-notice"') == 3
    # Never another community's resources.
    assert "/bereaved/" not in html


def test_library__a_translation_replaces_the_english_page(client_for):
    client = client_for("bereaved-member")
    english = _resources(client.get("/bereaved/resources/").content.decode())
    html = client.get("/es/bereaved/resources/").content.decode()
    listed = {title: url for url, title in _resources(html)}
    assert len(listed) == len(english)
    # The demo's Spanish welcome pack is listed once, as itself: its own address, no notice.
    assert listed["Welcome pack for new members"] == "/es/bereaved/resources/welcome-pack/"
    item = html.split("/es/bereaved/resources/welcome-pack/")[1].split("</li>")[0]
    assert "lang-notice" not in item and 'lang="en"' not in item
    assert 0 < html.count('class="lang-notice"') < len(english)


def test_fallback_page__served_under_the_reader_prefix_with_a_notice(client_for):
    response = client_for("frontline-member").get("/es/frontline/resources/smart-recovery/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<main id="main" lang="en">' in html
    assert 'class="lang-notice" role="note" lang="es"' in html
    assert 'href="/es/frontline/resources/"' in html  # the way back is the Spanish section
    # The language switch keeps the reader on this page.
    assert 'href="/frontline/resources/smart-recovery/"' in html
    assert 'href="/pt/frontline/resources/smart-recovery/"' in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("frontline-member", HTTPStatus.OK), ("bereaved-member", HTTPStatus.NOT_FOUND)],
)
def test_fallback_page__answers_as_the_english_page_does(client_for, role, status):
    client = client_for(role)
    fallback = client.get("/es/frontline/resources/smart-recovery/")
    assert fallback.status_code == client.get("/frontline/resources/smart-recovery/").status_code
    assert fallback.status_code == status
    missing = client.get("/es/frontline/resources/no-such-resource/")
    assert missing.status_code == HTTPStatus.NOT_FOUND


def test_fallback_page__visitor_is_sent_to_sign_in_as_for_a_missing_one(client_for):
    client = client_for(ANONYMOUS)
    hidden = client.get("/es/frontline/resources/smart-recovery/")
    missing = client.get("/es/frontline/resources/no-such-resource/")
    assert hidden.status_code == missing.status_code == HTTPStatus.FOUND
    assert hidden["Location"].split("?")[0] == missing["Location"].split("?")[0]


@pytest.mark.parametrize("language", ["es", "pt"])
def test_schedule__lists_the_same_meetings_in_every_language(client_for, language):
    client = client_for("frontline-member")
    meeting = re.compile(r'<time datetime="[^"]+T[^"]+">')
    english = meeting.findall(client.get("/frontline/groups/").content.decode())
    html = client.get(f"/{language}/frontline/groups/").content.decode()
    assert english and meeting.findall(html) == english
    assert 'class="lang-notice"' in html
    assert "/bereaved/" not in html


def test_guides__spanish_guide_listed_as_itself_others_in_english(client_for):
    html = client_for("bereaved-member").get("/es/bereaved/guides/").content.decode()
    assert 'href="/es/bereaved/guides/the-first-weeks/">Las primeras semanas' in html
    english = client_for("bereaved-member").get("/bereaved/guides/").content.decode()
    assert html.count("<li>") == english.count("<li>")


def test_search__names_the_community_and_falls_back_within_what_the_reader_sees(client_for):
    html = client_for("frontline-member").get("/es/search/?q=welcome").content.decode()
    assert "Cuidadores de primera línea" in html
    assert "/frontline/resources/welcome-pack/" in html
    assert "En duelo" not in html and "/bereaved/" not in html
    both = client_for("member-of-both").get("/api/search/?q=welcome&locale=es").json()
    spaces = {(hit["space"], hit["locale"]) for hit in both["results"]}
    assert ("Frontline care providers", "en") in spaces
    assert ("Bereaved by substance use", "es") in spaces
