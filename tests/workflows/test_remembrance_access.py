"""The access matrix of remembrance (docs/privacy.md, "Remembrance, with consent"): every site
page and API endpoint, for every demo role, allowed and denied on the same setup, and the
existence pairs: a remembrance someone may not see (another community's, or one the editors hid)
answers exactly like a missing id, in every language and through the API by session and token.

One remembrance in bereaved, shared by bereaved-member, made once for the module."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.api.conftest import make_api_client
from tests.conftest import ALL_ROLES, ANONYMOUS, ROLES, shared_setup
from tests.test_existence_pairs import MISSING_ID, assert_pair
from workflows import spaces
from workflows.remembrance.models import Remembrance
from workflows.remembrance.services import remembrance_create, remembrance_hide

AUTHOR = "bereaved-member"
IN_BEREAVED = {"staff", "bereaved-member", "bereaved-editor", "member-of-both"}
SHARE = {"bereaved-member", "bereaved-editor", "member-of-both"}  # members: staff is not one
MODERATE = {"staff", "bereaved-editor"}
WORDS = "She kept bees"


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    with shared_setup(django_db_blocker):
        people = get_user_model().objects
        bereaved = spaces.space_by_slug("bereaved")
        shown = remembrance_create(
            user=people.get(username=AUTHOR),
            space=bereaved,
            data={"name": "Marta", "words": WORDS},
        )
        hidden = remembrance_create(
            user=people.get(username=AUTHOR),
            space=bereaved,
            data={"name": "Juan", "words": "Hidden words"},
        )
        remembrance_hide(
            user=people.get(username="bereaved-editor"), remembrance=hidden, reason="Rules"
        )
        yield {"shown": shown.pk, "hidden": hidden.pk}


def _site_expected(role: str, url: str) -> int:
    if role == ANONYMOUS:
        return HTTPStatus.FOUND
    return HTTPStatus.OK if role in IN_BEREAVED else HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("role", ALL_ROLES)
def test_site_pages__only_the_community_reads_them(db, made, client_for, role):
    client = client_for(role)
    pk = made["shown"]
    for url in (
        "/remembrance/bereaved/",
        f"/remembrance/bereaved/{pk}/",
        "/es/remembrance/bereaved/",
    ):
        response = client.get(url, {"continue": "1"})
        assert response.status_code == _site_expected(role, url), (role, url)
        assert (WORDS.encode() in response.content) == (role in IN_BEREAVED and f"/{pk}/" in url)
        assert "private" in response["Cache-Control"]
    listed = client.get("/remembrance/bereaved/", {"continue": "1"})
    assert (b"Marta" in listed.content) == (role in IN_BEREAVED)
    assert (b"Juan" in listed.content) == (role in {AUTHOR} | MODERATE)  # hidden: the author
    new = client.get("/remembrance/bereaved/new/")
    assert new.status_code == (
        HTTPStatus.OK
        if role in SHARE
        else HTTPStatus.FOUND
        if role == ANONYMOUS
        else HTTPStatus.NOT_FOUND
    )
    edit = client.get(f"/remembrance/bereaved/{pk}/edit/")
    assert (edit.status_code == HTTPStatus.OK) == (role == AUTHOR)
    # Common Ground holds no remembrance, for anyone: the 404 of a missing address.
    assert client.get("/remembrance/common-ground/").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("role", ALL_ROLES)
def test_site__hidden_answers_like_missing(db, made, client_for, role):
    client = client_for(role)
    missing = f"/remembrance/bereaved/{MISSING_ID}/"
    for locale in ("", "es/", "pt/"):
        for suffix in ("", "edit/"):
            if role not in IN_BEREAVED or suffix == "edit/" and role != AUTHOR:
                hidden = f"/{locale}remembrance/bereaved/{made['shown']}/{suffix}"
                assert_pair(client, hidden, f"/{locale}{missing[1:]}{suffix}")
            if role not in {AUTHOR} | MODERATE:
                hidden = f"/{locale}remembrance/bereaved/{made['hidden']}/{suffix}"
                assert_pair(client, hidden, f"/{locale}{missing[1:]}{suffix}")
    if role in {AUTHOR} | MODERATE:  # the allowed twin of the hidden one
        assert client.get(f"/remembrance/bereaved/{made['hidden']}/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("auth", ["session", "token"])
def test_api__list_detail_change_withdraw(db, made, role, auth):
    client = make_api_client(role, auth)
    listed = {item["id"] for item in client.get("/api/v2/remembrances/").json()["items"]}
    assert (made["shown"] in listed) == (role in IN_BEREAVED)
    assert (made["hidden"] in listed) == (role in {AUTHOR} | MODERATE)
    for key in ("shown", "hidden"):
        url, missing = f"/api/v2/remembrances/{made[key]}/", f"/api/v2/remembrances/{MISSING_ID}/"
        sees = role in IN_BEREAVED if key == "shown" else role in {AUTHOR} | MODERATE
        got = client.get(url)
        assert got.status_code == (HTTPStatus.OK if sees else HTTPStatus.NOT_FOUND)
        if not sees:
            assert got.content == client.get(missing).content
        change = client.patch(url, {"words": "new"}, content_type="application/json")
        assert change.status_code == (HTTPStatus.OK if role == AUTHOR else HTTPStatus.NOT_FOUND)
        if role != AUTHOR:
            patch_missing = client.patch(missing, {"words": "x"}, content_type="application/json")
            assert change.content == patch_missing.content
            assert client.post(url + "withdraw/").status_code == HTTPStatus.NOT_FOUND
    if role == AUTHOR:
        first = client.get(f"/api/v2/remembrances/{made['shown']}/").json()
        assert first["content_note"] and list(first)[:2] == ["id", "content_note"]
        assert client.post(f"/api/v2/remembrances/{made['shown']}/withdraw/").status_code == 204
        assert not Remembrance.objects.filter(pk=made["shown"]).exists()
    else:
        assert Remembrance.objects.get(pk=made["shown"]).words == WORDS


@pytest.mark.parametrize("role", ROLES)
def test_api_create__only_in_a_community_one_is_in(db, role):
    client = make_api_client(role, "token")
    for slug in ("bereaved", "frontline", "common-ground", "no-such-space"):
        response = client.post(
            "/api/v2/remembrances/",
            {"space": slug, "name": "Pia", "words": "x"},
            content_type="application/json",
        )
        allowed = (
            slug != "common-ground"
            and f"{role}".startswith(slug)
            or (role == "member-of-both" and slug in ("bereaved", "frontline"))
        )
        assert response.status_code == (HTTPStatus.CREATED if allowed else HTTPStatus.BAD_REQUEST)
        if not allowed:  # another community's, Common Ground and a missing one: the same answer
            assert response.json()["field"] == "space"
    assert not Remembrance.objects.filter(name="Pia", space__slug="common-ground").exists()


def test_api__a_visitor_is_refused_everything(db, made):
    client = make_api_client(ANONYMOUS)
    for url in ("/api/v2/remembrances/", f"/api/v2/remembrances/{made['shown']}/"):
        assert client.get(url).status_code in (401, 403)
    assert b"Marta" not in client.get("/api/v2/pages/", {"search": "Marta"}).content
