"""Proposals' access matrix and existence pairs on the site, and the notifications of both tools:
shown to those in the space, gone once the recipient leaves it or the subject is deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.conftest import ALL_ROLES, ANONYMOUS, SEES, shared_setup
from tests.test_existence_pairs import _shape
from tests.workflows.gatherings.conftest import make_gathering
from tests.workflows.proposals.conftest import make_proposal
from workflows.gatherings.models import Gathering
from workflows.proposals.models import Proposal, Response

MISSING = 987654
SPACES = ("bereaved", "frontline", "common-ground")
LOCALES = ["", "/es", "/pt"]


@pytest.fixture(scope="module")
def ids(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        found = {}
        for space, who in (
            ("bereaved", "bereaved-member"),
            ("frontline", "frontline-member"),
            ("common-ground", "bereaved-member"),
        ):
            found[space] = make_proposal(who, space, title=f"Proposal in {space}").pk
        yield found


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("space", SPACES)
def test_matrix__in_the_space_sees_everyone_else_gets_the_missing_answer(
    client_for, ids, role, space
):
    client = client_for(role)
    for url in (
        f"/proposals/{space}/",
        f"/proposals/{space}/new/",
        f"/proposals/{space}/{ids[space]}/",
    ):
        response = client.get(url)
        if space in SEES[role]:
            assert response.status_code == 200, (role, url)
            if url.endswith(f"{ids[space]}/"):
                assert f"Proposal in {space}".encode() in response.content
        elif role == ANONYMOUS:
            assert response.status_code == 302
            assert response["Location"].startswith("/account/login/?next=")
        else:
            assert response.status_code == 404, (role, url)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("locale", LOCALES)
def test_existence_pairs__hidden_answers_like_missing(client_for, ids, role, locale):
    client = client_for(role)
    responses = Response.objects.count()
    for space in SPACES:
        if space in SEES[role]:
            continue
        base, missing_base = f"{locale}/proposals/{space}/", f"{locale}/proposals/no-such-space/"
        for hidden, missing in (
            (f"{base}{ids[space]}/", f"{base}{MISSING}/"),
            (base, missing_base),
            (f"{base}new/", f"{missing_base}new/"),
        ):
            assert _shape(client.get(hidden), hidden) == _shape(client.get(missing), missing)
        for suffix, data in (
            ("respond/", {"position": "agree"}),
            ("revise/", {"title": "x", "text": "y"}),
        ):
            hidden, missing = f"{base}{ids[space]}/{suffix}", f"{base}{MISSING}/{suffix}"
            assert _shape(client.post(hidden, data), hidden) == _shape(
                client.post(missing, data), missing
            )
        hidden, missing = f"{base}who/", f"{missing_base}who/"
        data = {"who_may_propose": "editors"}
        assert _shape(client.post(hidden, data), hidden) == _shape(
            client.post(missing, data), missing
        )
    assert Response.objects.count() == responses  # none made (the demo's proposal has its own)


def test_list__names_only_the_spaces_own_proposals(client_for, ids):
    body = client_for("member-of-both").get("/proposals/frontline/").content
    assert b"Proposal in frontline" in body and b"Proposal in bereaved" not in body


def test_proposal_under_another_spaces_address__is_missing(client_for, ids):
    client = client_for("member-of-both")
    hidden, missing = f"/proposals/bereaved/{ids['frontline']}/", f"/proposals/bereaved/{MISSING}/"
    assert _shape(client.get(hidden), hidden) == _shape(client.get(missing), missing)


# Notifications -----------------------------------------------------------------------------


def _notifications(client):
    return client.get("/account/notifications/").content


def test_notifications__gone_when_the_recipient_leaves_the_space(client_for, ids, user):
    [gathering] = make_gathering("bereaved-editor", "bereaved", title="Picnic by the lake")
    client = client_for("member-of-both")
    page = _notifications(client)
    assert b"A new proposal: Proposal in bereaved." in page
    assert b"A new gathering: Picnic by the lake" in page
    member = user("member-of-both")
    member.groups.remove(*Group.objects.filter(name__icontains="bereaved"))
    page = _notifications(client_for("member-of-both"))
    assert b"Proposal in bereaved" not in page
    assert b"Picnic by the lake" not in page
    assert gathering.pk  # still there: hidden from the one who left, not deleted


def test_notifications__gone_when_the_subject_is_deleted(client_for, ids):
    [gathering] = make_gathering("bereaved-editor", "bereaved", title="Picnic by the lake")
    Proposal.objects.filter(pk=ids["bereaved"]).delete()
    Gathering.objects.filter(pk=gathering.pk).delete()
    page = _notifications(client_for("bereaved-member"))
    assert b"Proposal in bereaved" not in page and b"Picnic by the lake" not in page
