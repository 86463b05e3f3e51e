"""The access matrix of the authoring loop: every drafts and reviews endpoint and screen, for
every role, by session and by token, allowed and denied on the same setup.

The setup: a guide written by `frontline-member` in the frontline guides, waiting for review.
Only its author finds it among drafts; only frontline's editor finds it among reviews. For
everyone else each address answers exactly as it does for an id that does not exist (the same
status and body: docs/privacy.md, "hidden answers exactly like missing"), so nobody learns
another community's draft titles or reviewers.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Page

from resources.models import GuidePage
from tests.api.conftest import make_api_client
from tests.conftest import ANONYMOUS, ROLES, shared_setup
from tests.test_existence_pairs import _shape
from workflows.services.drafts import draft_create, draft_submit

MISSING_ID = 987654
CALLERS = [(ANONYMOUS, "none")] + [(role, auth) for role in ROLES for auth in ("session", "token")]
AUTHOR = "frontline-member"
REVIEWER = "frontline-editor"

# (method, address with {id}, body, who is allowed, the allowed answer)
API = [
    ("get", "/api/v2/drafts/{id}/", None, AUTHOR, HTTPStatus.OK),
    ("patch", "/api/v2/drafts/{id}/", {"summary": "New"}, AUTHOR, HTTPStatus.CONFLICT),
    ("post", "/api/v2/drafts/{id}/submit/", None, AUTHOR, HTTPStatus.CONFLICT),
    ("post", "/api/v2/drafts/{id}/withdraw/", None, AUTHOR, HTTPStatus.OK),
    ("get", "/api/v2/reviews/{id}/", None, REVIEWER, HTTPStatus.OK),
    ("post", "/api/v2/reviews/{id}/approve/", {"comment": ""}, REVIEWER, HTTPStatus.OK),
    (
        "post",
        "/api/v2/reviews/{id}/request-changes/",
        {"comment": "More, please."},
        REVIEWER,
        HTTPStatus.OK,
    ),
]
SCREENS = [
    ("get", "/account/writing/{id}/", None, AUTHOR, HTTPStatus.OK),
    ("post", "/account/writing/{id}/withdraw/", {}, AUTHOR, HTTPStatus.FOUND),
    ("get", "/account/reviews/{id}/", None, REVIEWER, HTTPStatus.OK),
    ("post", "/account/reviews/{id}/", {"action": "approve"}, REVIEWER, HTTPStatus.FOUND),
]


@pytest.fixture(scope="module")
def draft_id(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        author = get_user_model().objects.get(username=AUTHOR)
        guides = Page.objects.get(url_path="/home/frontline/guides/")
        page = draft_create(
            user=author,
            page_type="resources.GuidePage",
            parent_id=guides.pk,
            data={
                "title": "A secret frontline draft",
                "summary": "Only its author and frontline's editors read this.",
                "body": [{"type": "paragraph", "value": "<p>Text.</p>"}],
            },
        )
        draft_submit(user=author, page=page)
        yield page.pk


def _call(client: Client, method: str, url: str, body, *, api: bool, draft_id: int = 0):
    if body is None:
        return getattr(client, method)(url)
    if api:
        return getattr(client, method)(url, json.dumps(body), content_type="application/json")
    if "action" in body:  # a review decision names the revision read
        body = {**body, "revision_id": GuidePage.objects.get(pk=draft_id).latest_revision_id}
    return getattr(client, method)(url, body)


def _client(role: str, auth: str) -> Client:
    return make_api_client(role, "session" if auth == "none" else auth)


@pytest.mark.parametrize(("role", "auth"), CALLERS)
@pytest.mark.parametrize(("method", "url", "body", "allowed", "status"), API)
def test_api__allowed_for_its_author_or_reviewer_else_like_a_missing_id(
    db, draft_id, role, auth, method, url, body, allowed, status
):
    client = _client(role, auth)
    response = _call(client, method, url.format(id=draft_id), body, api=True)
    if role == allowed:
        assert response.status_code == status, response.content
        return
    missing = _call(client, method, url.format(id=MISSING_ID), body, api=True)
    expected = HTTPStatus.NOT_FOUND if role != ANONYMOUS else response.status_code
    assert response.status_code == expected
    assert response.status_code in (401, 403, 404)
    assert response.content == missing.content
    assert b"secret" not in response.content


@pytest.mark.parametrize(("role", "auth"), CALLERS)
def test_api_lists__only_my_drafts_and_my_reviews(db, draft_id, role, auth):
    client = _client(role, auth)
    drafts = client.get("/api/v2/drafts/")
    reviews = client.get("/api/v2/reviews/")
    if role == ANONYMOUS:
        assert drafts.status_code in (401, 403) and reviews.status_code in (401, 403)
        return
    drafts_ids = {item["id"] for item in drafts.json()["items"]}
    reviews_ids = {item["id"] for item in reviews.json()["items"]}
    assert (draft_id in drafts_ids) == (role == AUTHOR)
    assert (draft_id in reviews_ids) == (role == REVIEWER)
    if role not in (AUTHOR, REVIEWER):
        assert b"secret" not in drafts.content + reviews.content
    if auth == "session":  # the site's "My writing" and "Reviews" lists, on the same setup
        writing = client.get("/account/writing/").content
        reviewing = client.get("/account/reviews/").content
        assert (b"A secret frontline draft" in writing) == (role == AUTHOR)
        assert (b"A secret frontline draft" in reviewing) == (role == REVIEWER)


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
@pytest.mark.parametrize(("method", "url", "body", "allowed", "status"), SCREENS)
def test_screens__allowed_for_its_author_or_reviewer_else_the_404_of_a_missing_id(
    db, draft_id, role, method, url, body, allowed, status
):
    client = _client(role, "session")
    here, there = url.format(id=draft_id), url.format(id=MISSING_ID)
    response = _call(client, method, here, body, api=False, draft_id=draft_id)
    if role == allowed:
        assert response.status_code == status, response.content[:500]
        return
    if role == ANONYMOUS:
        assert response.status_code == HTTPStatus.FOUND and "/login/" in response.url
        return
    missing = _call(client, method, there, body, api=False, draft_id=draft_id)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert b"secret" not in response.content
    assert _shape(response, here) == _shape(missing, there)


# "Write a guide": open to those who may add pages in the space -----------------------------

WRITERS = {"frontline-member", "frontline-editor", "member-of-both", "staff"}


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_write_a_guide__offered_and_open_to_the_space_writers_only(db, role):
    client = _client(role, "session")
    form = client.get("/frontline/write/")
    missing = client.get("/no-such-space/write/")
    guides = client.get("/frontline/guides/")
    if role in WRITERS:
        assert form.status_code == HTTPStatus.OK
        assert 'href="/frontline/write/"' in guides.content.decode()
    elif role == ANONYMOUS:
        assert form.status_code == HTTPStatus.FOUND and "/login/" in form.url
    else:
        assert form.status_code == missing.status_code == HTTPStatus.NOT_FOUND
        assert b"/frontline/write/" not in guides.content
