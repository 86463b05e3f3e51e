"""Gatherings' access matrix and existence pairs: every role on every page, the calendar feed.

For each demo role: the bereaved gathering's list, page and forms answer 200 to those in the
bereaved space (SEES) and, to everyone else, exactly what a missing gathering or space answers
(a visitor: the sign-in redirect; a signed-in person: the 404), in every language.
"""

from __future__ import annotations

import pytest

from community_pages.services import feed_token_create
from tests.conftest import ALL_ROLES, ANONYMOUS, SEES, shared_setup
from tests.test_existence_pairs import _shape
from tests.workflows.gatherings.conftest import make_gathering
from workflows.gatherings.models import Gathering, Rsvp

MISSING = 987654
LOCALES = ["", "/es", "/pt"]


@pytest.fixture(scope="module")
def ids(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        [bereaved] = make_gathering("bereaved-member", "bereaved", title="Bereaved potluck")
        [frontline] = make_gathering("frontline-member", "frontline", title="Frontline social")
        [common] = make_gathering("frontline-member", "common-ground", title="Common walk")
        yield {"bereaved": bereaved.pk, "frontline": frontline.pk, "common-ground": common.pk}


def _urls(space, pk):
    return [
        f"/gatherings/{space}/",
        f"/gatherings/{space}/new/",
        f"/gatherings/{space}/{pk}/",
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("space", ["bereaved", "frontline", "common-ground"])
def test_matrix__in_the_space_sees_everyone_else_gets_the_missing_answer(
    client_for, ids, role, space
):
    client = client_for(role)
    for url in _urls(space, ids[space]):
        response = client.get(url)
        if space in SEES[role]:
            assert response.status_code == 200, (role, url)
        elif role == ANONYMOUS:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/account/login/?next=")
        else:
            assert response.status_code == 404, (role, url)
        assert "private" in response.get("Cache-Control", "") or response.status_code == 302


@pytest.mark.parametrize("role", ALL_ROLES)
def test_list__names_only_the_spaces_own_gatherings(client_for, ids, role):
    for space in sorted(SEES[role]):
        body = client_for(role).get(f"/gatherings/{space}/").content
        titles = {
            "bereaved": b"Bereaved potluck",
            "frontline": b"Frontline social",
            "common-ground": b"Common walk",
        }
        for other, title in titles.items():
            assert (title in body) == (other == space), (role, space, other)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("locale", LOCALES)
def test_existence_pairs__hidden_answers_like_missing(client_for, ids, role, locale):
    client = client_for(role)
    answers = Rsvp.objects.count()
    for space in ("bereaved", "frontline", "common-ground"):
        if space in SEES[role]:
            continue
        pairs = [
            (
                f"{locale}/gatherings/{space}/{ids[space]}/",
                f"{locale}/gatherings/{space}/{MISSING}/",
            ),
            (f"{locale}/gatherings/{space}/", f"{locale}/gatherings/no-such-space/"),
            (f"{locale}/gatherings/{space}/new/", f"{locale}/gatherings/no-such-space/new/"),
        ]
        for hidden, missing in pairs:
            assert _shape(client.get(hidden), hidden) == _shape(client.get(missing), missing)
        for suffix in ("rsvp/", "bring/", "cancel/"):
            hidden = f"{locale}/gatherings/{space}/{ids[space]}/{suffix}"
            missing = f"{locale}/gatherings/{space}/{MISSING}/{suffix}"
            data = {"answer": "yes", "action": "add", "what": "x"}
            assert _shape(client.post(hidden, data), hidden) == _shape(
                client.post(missing, data), missing
            )
    assert Rsvp.objects.count() == answers  # nothing answered (the demo's potluck has its own)
    assert not Gathering.objects.filter(cancelled_at__isnull=False).exists()


def test_existence_pairs__a_gathering_under_another_spaces_address_is_missing(client_for, ids):
    client = client_for("member-of-both")
    hidden = f"/gatherings/bereaved/{ids['frontline']}/"
    missing = f"/gatherings/bereaved/{MISSING}/"
    assert _shape(client.get(hidden), hidden) == _shape(client.get(missing), missing)
    assert client.get(f"/gatherings/frontline/{ids['frontline']}/").status_code == 200


@pytest.mark.parametrize("locale", LOCALES)
def test_languages__pages_in_every_language(client_for, ids, locale):
    response = client_for("bereaved-member").get(f"{locale}/gatherings/bereaved/{ids['bereaved']}/")
    assert response.status_code == 200
    assert b"Bereaved potluck" in response.content


def test_space_page__links_to_gatherings(client_for, ids):
    body = client_for("bereaved-member").get("/bereaved/").content
    assert b'href="/gatherings/bereaved/"' in body


# The calendar feed -------------------------------------------------------------------------


def _feed(client, space, token=None):
    suffix = f"?token={token}" if token else ""
    return client.get(f"/feeds/{space}/meetings.ics{suffix}")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_feed__the_gathering_only_in_its_spaces_feed_for_its_people(client_for, ids, role, user):
    client = client_for(role)
    for space, title in (("bereaved", b"Bereaved potluck"), ("frontline", b"Frontline social")):
        response = _feed(client, space)
        if space in SEES[role]:
            assert response.status_code == 200
            assert b"SUMMARY:" + title in response.content
            other = b"Frontline social" if space == "bereaved" else b"Bereaved potluck"
            assert other not in response.content
        else:
            assert response.status_code == 404


def test_feed__address_only_for_a_reader_coming_by_their_own_token(client, ids, user):
    coming, not_coming = user("bereaved-editor"), user("member-of-both")
    Rsvp.objects.create(gathering_id=ids["bereaved"], user=coming, answer="yes")
    Rsvp.objects.create(gathering_id=ids["bereaved"], user=not_coming, answer="maybe")
    coming_feed = _feed(client, "bereaved", feed_token_create(user=coming)).content
    other_feed = _feed(client, "bereaved", feed_token_create(user=not_coming)).content
    assert b"12 Elm Street" in coming_feed.replace(b"\r\n ", b"")
    assert b"12 Elm Street" not in other_feed.replace(b"\r\n ", b"")
    assert b"LOCATION:Riverside" in other_feed
    assert b"BEGIN:VTIMEZONE" in other_feed and b"TZID:America/New_York" in other_feed
    gathering = Gathering.objects.get(pk=ids["bereaved"])
    assert f"/gatherings/bereaved/{gathering.pk}/".encode() in other_feed.replace(b"\r\n ", b"")
    # A bad token answers like a missing feed.
    assert _feed(client, "bereaved", "x" * 43).status_code == 404


@pytest.mark.parametrize("locale", LOCALES)
def test_space_page__links_to_the_tools_in_every_language(client_for, ids, locale):
    body = client_for("bereaved-member").get(f"{locale}/bereaved/").content
    assert f'href="{locale}/gatherings/bereaved/"'.encode() in body
    assert f'href="{locale}/proposals/bereaved/"'.encode() in body
