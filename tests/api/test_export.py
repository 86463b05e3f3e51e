"""The member's data export through the API: the same JSON as the account page."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest

from tests.account_export import account_export_data
from tests.api.conftest import BAD_TOKEN, REVOKED_TOKEN
from tests.conftest import ANONYMOUS

URL = "/api/v2/account/export/"


@pytest.mark.parametrize("auth", ["session", "token"])
@pytest.mark.parametrize("role", ["frontline-member", "bereaved-editor", "staff"])
def test_export__a_member_gets_their_own_data(api_client, role, auth):
    response = api_client(role, auth).get(URL)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment")
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["username"] == role
    # Only theirs: no other demo account's name anywhere in it.
    others = {"frontline-member", "bereaved-editor", "member-of-both", "applicant"} - {role}
    assert not any(f'"{name}"' in response.content.decode() for name in others)
    # Token metadata only, never a token's value.
    if auth == "token":
        assert data["api_tokens"] and all("token" not in token for token in data["api_tokens"])


def test_export__matches_the_account_page_download(api_client, client_for):
    from_api = json.loads(api_client("member-of-both").get(URL).content)
    from_page = account_export_data(client_for("member-of-both"))
    for data in (from_api, from_page):  # when it was made, and each test client's sign-in
        data.pop("exported_at"), data["profile"].pop("last_login")
    assert from_api == from_page


@pytest.mark.parametrize(
    ("role", "status"),
    [(ANONYMOUS, (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)),
     (BAD_TOKEN, (HTTPStatus.UNAUTHORIZED,)), (REVOKED_TOKEN, (HTTPStatus.UNAUTHORIZED,))],
)  # fmt: skip
def test_export__no_one_else_gets_anything(api_client, role, status):
    response = api_client(role).get(URL)
    assert response.status_code in status
    assert b"profile" not in response.content


# Only what the person may see now ----------------------------------------------------------

SECRET_TITLE = "Handover notes for the bereaved circle"
SECRET_BODY = "Words only the bereaved community reads"


@pytest.fixture
def contributions_in_bereaved(db):
    """Pages, a revision, a comment and a place on a voter roll inside Bereaved, for a role."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Comment, Page

    from resources.models import GuidePage
    from workflows.models import Election, EligibleVoter

    def make(role: str):
        owner = get_user_model().objects.get(username=role)
        guides = Page.objects.get(url_path="/home/bereaved/guides/")
        guide = GuidePage(
            title=SECRET_TITLE,
            slug="handover-notes",
            summary=SECRET_BODY,
            byline="Night Owl",
            body=[("paragraph", f"<p>{SECRET_BODY}</p>")],
            owner=owner,
            live=False,
        )
        guides.add_child(instance=guide)
        guide.save_revision(user=owner).publish()
        Comment.objects.create(page=guide, user=owner, text="My own remark", contentpath="title")
        election = Election.objects.filter(community__slug="bereaved").first()
        EligibleVoter.objects.get_or_create(election=election, user=owner)
        return election

    return make


@pytest.mark.parametrize("role", ["frontline-member", "applicant", "member-of-both"])
def test_export__a_space_they_do_not_belong_to_is_described_without_titles(
    api_client, contributions_in_bereaved, role
):
    election = contributions_in_bereaved(role)
    response = api_client(role).get(URL)
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    data = json.loads(text)
    assert "My own remark" in text  # their own words stay theirs
    if role == "member-of-both":  # the allowed twin, same setup: a member reads it all
        assert SECRET_TITLE in text and "/bereaved/guides/handover-notes/" in text
        assert election.pk in {e["election"] for e in data["elections"]["on_voter_rolls"]}
        return
    for secret in (SECRET_TITLE, SECRET_BODY, "handover-notes", "/bereaved/guides/"):
        assert secret not in text
    assert str(election) not in text
    assert {"page": "a page in a space you no longer belong to"} in data["pages"]
    assert all(
        r["object"] == "a page in a space you no longer belong to" for r in data["revisions"]
    )
    assert data["comments"][0]["page_id"] == "a page in a space you no longer belong to"
    hidden = "an election in a space you no longer belong to"
    assert {"election": None, "election_title": hidden} in data["elections"]["on_voter_rolls"]
