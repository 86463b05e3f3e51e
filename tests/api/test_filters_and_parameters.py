"""Relational filters must not reveal a page the requester may not see (nor its count), and bad
parameters answer 400, never 500."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.conftest import ANONYMOUS

NONEXISTENT = 999_999
FILTERS = ["child_of", "descendant_of", "ancestor_of", "translation_of"]


@pytest.mark.parametrize("auth", ["session", "token"])
@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize(
    "target", ["/bereaved/", "/bereaved/resources/", "/bereaved/groups/", "/frontline/"]
)
def test_relational_filter__an_invisible_target_answers_like_a_missing_one(
    api_client, page_at, auth, name, target
):
    """bereaved-member may not see frontline; frontline-member may not see bereaved."""
    page = page_at(target)
    role = "frontline-member" if target.startswith("/bereaved/") else "bereaved-member"
    client = api_client(role, auth)
    hidden = client.get("/api/v2/pages/", {name: page.pk})
    missing = client.get("/api/v2/pages/", {name: NONEXISTENT})
    assert hidden.status_code == missing.status_code == HTTPStatus.BAD_REQUEST
    assert hidden.json() == missing.json()
    # The same filter on the same page works for a member of that space (the allowed case).
    member = "bereaved-member" if target.startswith("/bereaved/") else "frontline-member"
    allowed = api_client(member, auth).get("/api/v2/pages/", {name: page.pk})
    assert allowed.status_code == HTTPStatus.OK


def test_child_of__lists_the_children_for_a_member_only(api_client, page_at):
    library = page_at("/frontline/resources/")
    member = api_client("frontline-member").get("/api/v2/pages/", {"child_of": library.pk})
    assert member.json()["meta"]["total_count"] == library.get_children().live().count() > 0
    outsider = api_client("bereaved-member").get("/api/v2/pages/", {"child_of": library.pk})
    assert outsider.status_code == HTTPStatus.BAD_REQUEST
    assert b"total_count" not in outsider.content


def test_child_of_root__lists_only_the_visible_spaces(api_client):
    response = api_client(ANONYMOUS).get("/api/v2/pages/", {"child_of": "root"})
    slugs = {item["meta"]["slug"] for item in response.json()["items"]}
    assert slugs == {"about", "join", "crisis-help"}
    response = api_client("frontline-member").get("/api/v2/pages/", {"child_of": "root"})
    slugs = {item["meta"]["slug"] for item in response.json()["items"]}
    assert slugs == {"about", "join", "crisis-help", "frontline", "common-ground"}


def test_type_filter__cannot_reach_another_community(api_client):
    response = api_client("frontline-member", "token").get(
        "/api/v2/pages/",
        {"type": "community_pages.SupportGroupPage", "fields": "title", "limit": 100},
    )
    urls = [item["meta"]["html_url"] for item in response.json()["items"]]
    assert urls and not any("/bereaved/" in url for url in urls)


def test_field_filter__cannot_count_another_communitys_pages(api_client, page_at):
    hidden = page_at("/bereaved/")
    response = api_client("frontline-member").get("/api/v2/pages/", {"slug": hidden.slug})
    assert response.json()["meta"]["total_count"] == 0
    allowed = api_client("bereaved-member").get("/api/v2/pages/", {"slug": hidden.slug})
    assert allowed.json()["meta"]["total_count"] == 3  # en, es, pt


BAD_PARAMETERS = [
    {"limit": "-1"},
    {"limit": "abc"},
    {"limit": "100000"},
    {"offset": "-5"},
    {"offset": "99999999999999999999999"},
    {"offset": "x"},
    {"type": "nope.Nope"},
    {"type": "wagtailcore"},
    {"type": "resources.ResourcePage,nope.Nope"},
    {"fields": "((("},
    {"fields": "no_such_field"},
    {"fields": "title(summary)"},
    {"fields": "*,-"},
    {"order": "no_such_field"},
    {"order": "random,title"},
    {"child_of": "abc"},
    {"child_of": "-1"},
    {"descendant_of": "1.5"},
    {"translation_of": "x"},
    {"ancestor_of": "root"},
    {"child_of": "3", "descendant_of": "3"},
    {"no_such_parameter": "1"},
    {"search": "x", "search_operator": "xor"},
    {"rich_text_format": "nope"},
]


@pytest.mark.parametrize(
    "params", BAD_PARAMETERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
@pytest.mark.parametrize("role", [ANONYMOUS, "member-of-both"])
def test_pages_bad_parameters__answer_400_with_a_message(api_client, role, params):
    response = api_client(role).get("/api/v2/pages/", params)
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.content[:300]
    assert response.json()["message"]


@pytest.mark.parametrize("kind", ["images", "documents"])
@pytest.mark.parametrize(
    "params", [{"limit": "-1"}, {"offset": "9" * 30}, {"fields": "((("}, {"order": "nope"}]
)
def test_files_bad_parameters__answer_400(api_client, kind, params):
    response = api_client("frontline-member").get(f"/api/v2/{kind}/", params)
    assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("url", ["/api/v2/pages/abc/", "/api/v2/pages/99999999999999999999999/"])
def test_odd_ids__are_404_not_500(api_client, url):
    assert api_client("member-of-both").get(url).status_code == HTTPStatus.NOT_FOUND


def test_unknown_locale__is_not_a_server_error(api_client):
    response = api_client("member-of-both").get("/api/v2/pages/", {"locale": "xx"})
    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)
