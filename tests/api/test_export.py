"""The member's data export through the API (issue 6 item 3): the same JSON as the account page."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest

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
    from_page = json.loads(client_for("member-of-both").get("/account/export/").content)
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
