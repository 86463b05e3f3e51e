"""The member's data export through the API: the same JSON as the account page, asked for with
POST (202), built by the background task, followed at its status address and downloaded by its
owner only (session or token); anyone else gets the 404 of a missing export."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.exports import data_export_build
from home.models import DataExport
from tests.account_export import API_URL, account_export_data, api_export_data, api_export_download
from tests.api.conftest import BAD_TOKEN, REVOKED_TOKEN
from tests.conftest import ANONYMOUS, ROLES

URL = API_URL


@pytest.mark.parametrize("auth", ["session", "token"])
@pytest.mark.parametrize("role", ["frontline-member", "bereaved-editor", "staff"])
def test_export__a_member_gets_their_own_data(api_client, role, auth):
    response = api_export_download(api_client(role, auth))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment")
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    content = b"".join(response.streaming_content)
    data = json.loads(content)
    assert data["profile"]["username"] == role
    # Only theirs: no other demo account's name anywhere in it.
    others = {"frontline-member", "bereaved-editor", "member-of-both", "applicant"} - {role}
    assert not any(f'"{name}"' in content.decode() for name in others)
    # Token metadata only, never a token's value.
    if auth == "token":
        assert data["api_tokens"] and all("token" not in token for token in data["api_tokens"])


def test_export__matches_the_account_page_download(api_client, client_for):
    from_api = api_export_data(api_client("member-of-both"))
    from_page = account_export_data(client_for("member-of-both"))
    for data in (from_api, from_page):  # when it was made, and each test client's sign-in
        data.pop("exported_at"), data["profile"].pop("last_login")
    assert from_api == from_page


@pytest.mark.parametrize(
    ("role", "status"),
    [(ANONYMOUS, (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)),
     (BAD_TOKEN, (HTTPStatus.UNAUTHORIZED,)), (REVOKED_TOKEN, (HTTPStatus.UNAUTHORIZED,))],
)  # fmt: skip
@pytest.mark.parametrize("method", ["get", "post"])
def test_export__no_one_else_gets_anything(api_client, role, status, method):
    response = getattr(api_client(role), method)(URL)
    assert response.status_code in status
    assert b"profile" not in response.content
    assert not DataExport.objects.exists()


def test_export__get_tells_the_state_and_builds_nothing(api_client):
    client = api_client("frontline-member", "token")
    before = client.get(URL)
    assert before.status_code == HTTPStatus.NOT_FOUND
    assert not DataExport.objects.exists()  # a GET never asks for one
    asked = client.post(URL).json()
    now = client.get(URL)
    assert now.status_code == HTTPStatus.OK
    assert now.json() == asked  # the immediate backend built it inside the POST
    assert "no-store" in now["Cache-Control"]


# Who may read an export's status and file: its owner only ------------------------------------

OWNER = "frontline-member"


@pytest.fixture
def owners_export(api_client):
    """The owner's ready export's status and download addresses."""
    data = api_client(OWNER).post(URL).json()
    assert data["status"] == DataExport.READY
    return data["url"], data["download_url"]


def _missing(url: str, key: str) -> str:
    return url.replace(key, str(uuid.uuid4()))


@pytest.mark.parametrize("auth", ["session", "token"])
def test_export__the_owner_reads_status_and_file(api_client, owners_export, auth):
    status_url, download_url = owners_export
    client = api_client(OWNER, auth)
    status = client.get(status_url)
    assert status.status_code == HTTPStatus.OK and status.json()["download_url"] == download_url
    download = client.get(download_url)
    assert download.status_code == HTTPStatus.OK
    assert json.loads(b"".join(download.streaming_content))["profile"]["username"] == OWNER


OTHERS = [role for role in ROLES if role != OWNER]  # other members, editors, staff


@pytest.mark.parametrize(
    ("role", "auth"),
    [*((role, auth) for role in OTHERS for auth in ("session", "token")), (ANONYMOUS, "session")],
)
def test_export__anyone_else_gets_the_404_of_a_missing_export(
    api_client, owners_export, role, auth
):
    """Another member, staff, a visitor, another user's token: the same answer as for a key that
    does not exist (status, body), for the status and for the file."""
    client = api_client(role, auth)
    key = owners_export[0].rstrip("/").rsplit("/", 1)[1]
    for url in owners_export:
        theirs, missing = client.get(url), client.get(_missing(url, key))
        assert theirs.status_code == missing.status_code == HTTPStatus.NOT_FOUND
        assert theirs.content == missing.content
        assert b"profile" not in theirs.content


@pytest.mark.parametrize("role", [BAD_TOKEN, REVOKED_TOKEN])
def test_export__a_bad_token_is_refused_before_anything(api_client, owners_export, role):
    for url in owners_export:
        assert api_client(role).get(url).status_code == HTTPStatus.UNAUTHORIZED


def test_export__an_expired_export_is_gone(api_client, owners_export):
    DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client = api_client(OWNER, "token")
    for url in (URL, *owners_export):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_export__with_the_worker_pending_then_ready(api_client, settings):
    """Under the database backend: 202 with `pending` and no download; a second POST queues
    nothing and answers the same export; once the task ran, `ready` with the file."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = api_client(OWNER, "token")
    first = client.post(URL)
    assert first.status_code == HTTPStatus.ACCEPTED
    assert first.json()["status"] == "pending" and first.json()["download_url"] is None
    key = first.json()["key"]
    assert client.get(f"{URL}{key}/download/").status_code == HTTPStatus.NOT_FOUND
    second = client.post(URL)
    assert second.status_code == HTTPStatus.ACCEPTED and second.json()["key"] == key
    queued = DBTaskResult.objects.filter(task_path=data_export_build.module_path)
    assert queued.count() == 1
    member = get_user_model().objects.get(username=OWNER)
    data_export_build.call(DataExport.objects.get(user=member).pk)
    ready = client.get(first.json()["url"]).json()
    assert ready["status"] == "ready" and ready["download_url"]
    assert client.get(ready["download_url"]).status_code == HTTPStatus.OK


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
    response = api_export_download(api_client(role))
    assert response.status_code == HTTPStatus.OK
    text = b"".join(response.streaming_content).decode()
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
