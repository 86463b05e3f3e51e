"""Hostile text comes out inert everywhere it is shown.

Every payload in `payloads.py` goes through the real forms and admin views into each text field
a member or editor can fill, then every page that shows it is searched for an executable form.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.apps import apps
from django.test import Client

from community_pages.models import JoinRequest
from resources.models import GuidePage
from tests.security.payloads import PAYLOADS, looks_executable

pytestmark = pytest.mark.django_db

GUIDES = "/frontline/guides/"


def _rich(text: str, link: str | None = None) -> str:
    entity_ranges = [{"offset": 0, "length": len(text), "key": 0}] if link else []
    entity_map = {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link}}}
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a",
                    "text": text,
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": entity_ranges,
                }
            ],
            "entityMap": entity_map if link else {},
        }
    )


def _guide_form(payload: str, slug: str) -> dict:
    blocks = [
        ("heading", {"text": payload, "level": "h2"}),
        ("paragraph", {"": _rich(payload, link="javascript:alert('xss-6')")}),
        ("quote", {"quote": payload, "attribution": payload}),
        ("callout", {"tone": "note", "title": payload, "text": _rich(payload)}),
    ]
    data = {
        "title": payload[:200],
        "slug": slug,
        "summary": payload,
        "byline": payload,
        "content_note": payload,
        "body-count": str(len(blocks)),
    }
    for index, (kind, fields) in enumerate(blocks):
        prefix = f"body-{index}"
        data.update({f"{prefix}-type": kind, f"{prefix}-deleted": "", f"{prefix}-order": index})
        for name, value in fields.items():
            data[f"{prefix}-value-{name}" if name else f"{prefix}-value"] = value
    return data


def _assert_inert(response, where: str):
    assert response.status_code == HTTPStatus.OK, (where, response.status_code)
    found = looks_executable(response.content.decode())
    assert not found, (where, found)


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_guide_fields__payload_inert_on_page_admin_search_and_api(client_for, page_at, index):
    payload = PAYLOADS[index]
    slug = f"hostile-{index}"
    member = client_for("frontline-member")
    parent = page_at(GUIDES)
    created = member.post(
        f"/admin/pages/add/resources/guidepage/{parent.pk}/", _guide_form(payload, slug)
    )
    assert created.status_code == HTTPStatus.FOUND, created.content.decode()[:3000]
    guide = GuidePage.objects.get(slug=slug)
    stored = json.dumps(guide.get_latest_revision().content)
    assert "xss" in stored  # the text itself is kept, as text
    guide.get_latest_revision().publish()
    guide.refresh_from_db()

    reader = client_for("member-of-both")
    _assert_inert(reader.get(guide.url), "page")
    _assert_inert(reader.get(parent.url), "guide index")
    _assert_inert(member.get(f"/admin/pages/{guide.pk}/edit/"), "admin edit")
    _assert_inert(member.get(f"/admin/pages/{parent.pk}/"), "admin explorer")
    _assert_inert(client_for("staff").get(f"/admin/pages/{guide.pk}/history/"), "admin history")
    _assert_inert(reader.get("/search/", {"q": "xss"}), "search results")
    api = reader.get(f"/api/v2/pages/{guide.pk}/")
    if api.status_code != HTTPStatus.NOT_FOUND:  # the API, where it exists
        assert api.status_code == HTTPStatus.OK
        assert api["Content-Type"].startswith("application/json")
        assert api["X-Content-Type-Options"] == "nosniff"
        assert json.loads(api.content)["title"] == guide.title


@pytest.mark.parametrize("payload", PAYLOADS)
def test_search_query__payload_inert_in_html_and_json(client_for, payload):
    client = client_for("frontline-member")
    _assert_inert(client.get("/search/", {"q": payload}), "search page")
    response = client.get("/api/search/", {"q": payload})
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_display_name__payload_inert_on_account_byline_and_admin(client_for, user, payload):
    client = client_for("frontline-editor")
    saved = client.post("/account/display-name/", {"display_name": payload[:60]})
    assert saved.status_code == HTTPStatus.FOUND
    _assert_inert(client.get("/account/"), "account")
    guides = Client()
    guides.force_login(user("frontline-editor"))
    parent_pk = GuidePage.objects.filter(url_path__startswith="/home/frontline/").first()
    _assert_inert(client.get("/admin/"), "admin dashboard")
    if parent_pk is not None:
        _assert_inert(client.get(f"/admin/pages/{parent_pk.pk}/history/"), "history")
    _assert_inert(client_for("staff").get("/admin/users/"), "staff user listing")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_join_message__payload_inert_for_the_editors_who_read_it(client_for, payload):
    response = client_for("frontline-member").post("/join/bereaved/", {"message": payload})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.OK)
    assert JoinRequest.objects.filter(message=payload).exists()
    _assert_inert(client_for("bereaved-editor").get("/admin/membership/"), "membership screen")
    _assert_inert(client_for("frontline-member").get("/account/"), "account")


def test_nomination_statement__payload_inert_on_election_pages(client_for):
    """Elections are `workflows/`: read through its model, as a reader of its pages."""
    nomination_model = apps.get_model("workflows", "Nomination")
    nomination = nomination_model.objects.select_related("election__community").first()
    assert nomination is not None, "the demo holds nominations"
    nomination.statement = "\n".join(PAYLOADS)
    nomination.save(update_fields=["statement"])
    slug = nomination.election.community.slug
    shown = 0
    for role in ("frontline-member", "bereaved-member", "member-of-both", "staff"):
        for url in (f"/{slug}/elections/", f"/{slug}/elections/{nomination.election_id}/"):
            response = client_for(role).get(url)
            if response.status_code == HTTPStatus.OK:
                shown += 1
                assert not looks_executable(response.content.decode()), (role, url)
    assert shown
