"""API tokens: made, named, listed and revoked by their owner only; bad ones get 401."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken

from tests.conftest import ANONYMOUS

PAGE = "/account/api-tokens/"


def test_token_page__owner_makes_a_token_shown_once_and_it_works(client_for, user):
    client = client_for("frontline-member")
    response = client.post(PAGE, {"action": "create", "name": "My phone"})
    assert response.status_code == HTTPStatus.OK
    plaintext = response.context["plaintext"]
    assert plaintext.startswith("wagtail_") and plaintext.encode() in response.content
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    again = client.get(PAGE)
    assert b"My phone" in again.content and plaintext.encode() not in again.content
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.get("/api/v2/account/").json()["username"] == "frontline-member"


def test_token_page__visitor_is_sent_to_sign_in(client_for):
    response = client_for(ANONYMOUS).get(PAGE)
    assert response.status_code == HTTPStatus.FOUND
    assert "/account/login/" in response["Location"]


def test_token_page__lists_only_your_own_tokens(client_for, user):
    APIToken.create_token(user=user("bereaved-member"), name="Not yours")
    mine = client_for("frontline-member").get(PAGE)
    theirs = client_for("bereaved-member").get(PAGE)
    assert b"Not yours" not in mine.content
    assert b"Not yours" in theirs.content


def test_token_page__only_the_owner_revokes(client_for, user):
    token, _plain = APIToken.create_token(user=user("bereaved-member"), name="Theirs")
    denied = client_for("frontline-member").post(PAGE, {"action": "revoke", "token_id": token.pk})
    assert denied.status_code == HTTPStatus.BAD_REQUEST
    token.refresh_from_db()
    assert token.revoked_at is None
    allowed = client_for("bereaved-member").post(PAGE, {"action": "revoke", "token_id": token.pk})
    assert allowed.status_code == HTTPStatus.OK
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(
    "data",
    [
        {"action": "create", "name": ""},
        {"action": "create", "name": "x" * 101},
        {"action": "revoke", "token_id": "abc"},
        {"action": "revoke", "token_id": "999999"},
        {"action": "explode"},
    ],
)
def test_token_page__bad_input_is_400_and_changes_nothing(client_for, data):
    before = APIToken.objects.count(), APIToken.objects.filter(revoked_at__isnull=False).count()
    response = client_for("frontline-member").post(PAGE, data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["error"]
    after = APIToken.objects.count(), APIToken.objects.filter(revoked_at__isnull=False).count()
    assert after == before


def test_token_api__create_list_revoke(api_client):
    client = api_client("bereaved-member", "token")
    made = client.post(
        "/api/v2/account/tokens/", {"name": "Laptop"}, content_type="application/json"
    )
    assert made.status_code == HTTPStatus.CREATED
    plaintext = made.json()["token"]
    listed = client.get("/api/v2/account/tokens/").json()
    assert "Laptop" in [t["name"] for t in listed]
    assert all("token" not in t for t in listed)  # the value is shown once
    revoked = client.delete(f"/api/v2/account/tokens/{made.json()['id']}/")
    assert revoked.status_code == HTTPStatus.NO_CONTENT
    gone = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}").get("/api/v2/pages/")
    assert gone.status_code == HTTPStatus.UNAUTHORIZED


def test_token_api__another_users_token_is_not_found_and_stays(api_client, user):
    token, plaintext = APIToken.create_token(user=user("frontline-member"), name="Theirs")
    response = api_client("bereaved-member", "token").delete(f"/api/v2/account/tokens/{token.pk}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}").get("/api/v2/pages/").status_code == 200


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}, {"name": "y" * 500}, []])
def test_token_api__bad_input_is_400_json_and_nothing_is_made(api_client, body):
    client = api_client("bereaved-member", "token")
    before = APIToken.objects.count()
    response = client.post("/api/v2/account/tokens/", body, content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["message"]
    assert APIToken.objects.count() == before


def test_session_writes__need_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("frontline-member"))
    response = client.post(
        "/api/v2/account/tokens/", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not APIToken.objects.filter(name="x").exists()


def test_expired_token__is_401_and_a_fresh_one_works(user, settings):
    settings.NEIGHBORHOOD_API_TOKEN_MAX_AGE_DAYS = 30
    old, old_plain = APIToken.create_token(user=user("frontline-member"), name="old")
    APIToken.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=31))
    _new, new_plain = APIToken.create_token(user=user("frontline-member"), name="new")
    expired = Client(HTTP_AUTHORIZATION=f"Bearer {old_plain}").get("/api/v2/pages/")
    fresh = Client(HTTP_AUTHORIZATION=f"Bearer {new_plain}").get("/api/v2/pages/")
    assert expired.status_code == HTTPStatus.UNAUTHORIZED
    assert fresh.status_code == HTTPStatus.OK


def test_inactive_users_token__is_401(user):
    member = user("frontline-member")
    _token, plaintext = APIToken.create_token(user=member, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert client.get("/api/v2/pages/").status_code == HTTPStatus.OK
    member.is_active = False
    member.save()
    assert client.get("/api/v2/pages/").status_code == HTTPStatus.UNAUTHORIZED


def test_token_beats_the_session__a_bad_token_with_a_good_session_is_401(client_for):
    client = client_for("member-of-both")
    response = client.get("/api/v2/pages/", HTTP_AUTHORIZATION="Bearer wagtail_nope")
    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_staff_manage_tokens_with_the_management_command(user, capsys):
    call_command("api_tokens", "create", "--user", "frontline-member", "--name", "cli")
    plaintext = capsys.readouterr().out.strip()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}").get("/api/v2/pages/").status_code == 200


def test_admin_token_screens__staff_only(client_for):
    assert client_for("staff").get("/admin/api-tokens/").status_code == HTTPStatus.OK
    assert client_for("frontline-editor").get("/admin/api-tokens/").status_code != HTTPStatus.OK


def test_account_page__links_to_the_token_page(client_for):
    assert PAGE.encode() in client_for("frontline-member").get("/account/").content
