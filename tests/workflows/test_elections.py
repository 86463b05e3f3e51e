"""Elections, end to end through the member pages and the staff screens.

Time passes by moving an election's windows (`_move_to`): the services compare them with now.
Every refusal is checked twice: the error the person reads, and that nothing changed.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from wagtail.models import ModelLogEntry

from community_pages.models import Community
from community_pages.services import membership_add
from tests.conftest import ALL_ROLES, ANONYMOUS, SEES
from workflows.models import (
    Ballot,
    BallotReceipt,
    EditorTerm,
    Election,
    Nomination,
)
from workflows.selectors import elections as selectors
from workflows.services.elections import (
    ballot_cast,
    election_certify,
    election_close,
    election_create,
    nomination_create,
    nomination_respond,
)

pytestmark = pytest.mark.django_db

FRONTLINE_MEMBERS = ["frontline-member", "frontline-editor", "member-of-both"]


def _community(slug: str) -> Community:
    return Community.objects.get(slug=slug)


def _move_to(election: Election, phase: str) -> Election:
    """Shift the windows so that `now` falls in `phase` (nominating, voting or after)."""
    now = timezone.now()
    start = {
        "before": now + timedelta(days=1),
        "nominating": now - timedelta(days=1),
        "voting": now - timedelta(days=3),
        "after": now - timedelta(days=5),
    }[phase]
    day = timedelta(days=2)
    Election.objects.filter(pk=election.pk).update(
        nominations_open=start,
        nominations_close=start + day,
        voting_open=start + day,
        voting_close=start + 2 * day,
    )
    election.refresh_from_db()
    return election


def _election(slug: str = "frontline", phase: str = "nominating", seats: int = 1) -> Election:
    now = timezone.now()
    election = Election.objects.create(
        community=_community(slug),
        seats=seats,
        nominations_open=now,
        nominations_close=now + timedelta(days=1),
        voting_open=now + timedelta(days=1),
        voting_close=now + timedelta(days=2),
        term_days=365,
        status=Election.Status.OPEN,
    )
    return _move_to(election, phase)


def _candidates(election: Election, *usernames: str) -> list[Nomination]:
    User = get_user_model()
    return [
        Nomination.objects.create(
            election=election,
            nominee=User.objects.get(username=name),
            status=Nomination.Status.ACCEPTED,
        )
        for name in usernames
    ]


def _url(election: Election, rest: str = "", lang: str = "") -> str:
    prefix = f"/{lang}" if lang else ""
    return f"{prefix}/{election.community.slug}/elections/{election.pk}/{rest}"


def _editors(slug: str) -> set[str]:
    return set(_community(slug).editors_group.user_set.values_list("username", flat=True))


def _snapshot(election: Election) -> tuple:
    election.refresh_from_db()
    return (
        election.status,
        Ballot.objects.filter(election=election).count(),
        BallotReceipt.objects.filter(election=election).count(),
        sorted(Nomination.objects.filter(election=election).values_list("nominee", "status")),
        EditorTerm.objects.count(),
        _editors("frontline"),
    )


# End to end through the pages ------------------------------------------------------------------


def test_election__end_to_end_through_the_member_pages(client_for, user):
    staff = client_for("staff")
    frontline = _community("frontline")
    # One election under way per community: this test runs its own, from the start.
    Election.objects.filter(community=frontline, status=Election.Status.OPEN).delete()
    now = timezone.localtime()
    form = {
        "community": frontline.pk,
        "seats": 1,
        "nominations_open": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "nominations_close": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "voting_open": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "voting_close": (now + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "term_days": 365,
    }
    response = staff.post("/admin/elections/new/", form)
    assert response.status_code == HTTPStatus.FOUND
    election = Election.objects.get(community=frontline, status=Election.Status.DRAFT)
    # A draft is not shown to members yet.
    member = client_for("frontline-member")
    assert member.get(_url(election)).status_code == HTTPStatus.NOT_FOUND
    assert staff.post(f"/admin/elections/{election.pk}/open/").status_code == HTTPStatus.FOUND
    listing = member.get("/frontline/elections/")
    assert f"/frontline/elections/{election.pk}/" in listing.content.decode()

    # A member nominates another; the nominee accepts with a statement.
    page = member.get(_url(election))
    assert page.status_code == HTTPStatus.OK
    assert "frontline-editor" in page.content.decode()  # in the list of members to nominate
    response = member.post(_url(election, "nominate/"), {"nominee": user("frontline-editor").pk})
    assert response.status_code == HTTPStatus.FOUND
    nomination = Nomination.objects.get(election=election, nominee=user("frontline-editor"))
    assert nomination.status == Nomination.Status.PENDING
    editor = client_for("frontline-editor")
    response = editor.post(
        _url(election, f"nominations/{nomination.pk}/respond/"),
        {"action": "accept", "statement": "I read every submission within a day."},
    )
    assert response.status_code == HTTPStatus.FOUND
    # Another member nominates themselves: a candidate at once.
    both = client_for("member-of-both")
    both.post(_url(election, "nominate/"), {"nominee": user("member-of-both").pk})
    page = member.get(_url(election)).content.decode()
    assert "I read every submission within a day." in page

    _move_to(election, "voting")
    nominations = {n.nominee.username: n.pk for n in selectors.candidates(election)}
    for client, choice in [
        (member, "frontline-editor"),
        (editor, "frontline-editor"),
        (both, "member-of-both"),
    ]:
        page = client.get(_url(election)).content.decode()
        assert "Cast my secret ballot" in page
        response = client.post(_url(election, "vote/"), {"candidates": [nominations[choice]]})
        assert response.status_code == HTTPStatus.FOUND
        assert "You have voted" in client.get(_url(election)).content.decode()
    # Results are hidden while voting is open, even from staff on the member page.
    page = staff.get(_url(election)).content.decode()
    assert "Turnout" not in page and "Results are published when voting closes" in page

    assert staff.post(f"/admin/elections/{election.pk}/close/").status_code == HTTPStatus.FOUND
    election.refresh_from_db()
    page = member.get(_url(election)).content.decode()
    assert "Turnout: 3 of 3 eligible members voted (100%)." in page
    assert election.seed and election.seed in page
    assert staff.post(f"/admin/elections/{election.pk}/certify/").status_code == HTTPStatus.FOUND
    assert _editors("frontline") == {"frontline-editor"}
    term = EditorTerm.objects.get(election=election)
    assert term.user == user("frontline-editor")
    assert term.ends - term.starts == timedelta(days=365)
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(election.pk)).values_list("action", flat=True)
    )
    assert {
        "neighborhood.election.create",
        "neighborhood.election.open",
        "neighborhood.election.close",
        "neighborhood.election.certify",
    } <= actions


@pytest.mark.parametrize(
    ("lang", "button"), [("es", "Emitir mi voto secreto"), ("pt", "Depositar meu voto secreto")]
)
def test_election_pages__work_under_the_language_prefixes(client_for, lang, button):
    election = _election(phase="voting")
    _candidates(election, "frontline-editor")
    response = client_for("frontline-member").get(_url(election, lang=lang))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert f'action="/{lang}/frontline/elections/{election.pk}/vote/"' in page
    assert button in page


# Staff screens, for staff only ---------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_admin_screens__staff_only(client_for, role):
    election = _election(phase="after")
    client = client_for(role)
    allowed = role == "staff"
    for url in ["/admin/elections/", "/admin/elections/new/", f"/admin/elections/{election.pk}/"]:
        response = client.get(url)
        if allowed:
            assert response.status_code == HTTPStatus.OK, url
        elif role == ANONYMOUS:  # Wagtail sends visitors to sign in, whatever the address
            assert response.status_code == HTTPStatus.FOUND, url
        else:  # not on the admin's allow-list for non-staff: there is nothing at this address
            assert response.status_code == HTTPStatus.NOT_FOUND, url
            assert "Election" not in response.content.decode()
    menu = client.get("/admin/")  # the menu item and the dashboard panel
    assert ("/admin/elections/" in menu.content.decode()) == allowed
    response = client.post(f"/admin/elections/{election.pk}/close/")
    election.refresh_from_db()
    if allowed:
        assert response.status_code == HTTPStatus.FOUND
        assert election.status == Election.Status.CLOSED
    else:
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.NOT_FOUND)
        assert election.status == Election.Status.OPEN


def test_admin_create__windows_out_of_order__clear_error_nothing_created(client_for):
    now = timezone.localtime()
    before = Election.objects.count()
    response = client_for("staff").post(
        "/admin/elections/new/",
        {
            "community": _community("frontline").pk,
            "seats": 0,
            "nominations_open": now.strftime("%Y-%m-%dT%H:%M"),
            "nominations_close": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "voting_open": now.strftime("%Y-%m-%dT%H:%M"),
            "voting_close": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "term_days": 365,
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Election.objects.count() == before
    response = client_for("staff").post(
        "/admin/elections/new/",
        {
            "community": _community("frontline").pk,
            "seats": 1,
            "nominations_open": now.strftime("%Y-%m-%dT%H:%M"),
            "nominations_close": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "voting_open": now.strftime("%Y-%m-%dT%H:%M"),
            "voting_close": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "term_days": 365,
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "The dates must follow each other" in response.content.decode()
    assert Election.objects.count() == before


def test_election_create__service_refuses_non_staff_and_bad_seats(user):
    now = timezone.now()
    args = {
        "community": _community("bereaved"),  # frontline's demo election is under way
        "seats": 1,
        "nominations_open": now,
        "nominations_close": now + timedelta(days=1),
        "voting_open": now + timedelta(days=1),
        "voting_close": now + timedelta(days=2),
        "term_days": 30,
    }
    before = Election.objects.count()
    with pytest.raises(ValidationError, match="at least one seat"):
        election_create(**{**args, "seats": 0}, by=user("staff"))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        election_create(**args, by=user("frontline-editor"))
    assert Election.objects.count() == before
    assert election_create(**args, by=user("staff")).status == Election.Status.DRAFT


def test_admin_dashboard__staff_told_of_a_community_without_editors(client_for, user):
    _community("bereaved").editors_group.user_set.clear()
    page = client_for("staff").get("/admin/").content.decode()
    assert "These communities have no editors:" in page and "Bereaved by substance use" in page
    listing = client_for("staff").get("/admin/elections/").content.decode()
    assert "These communities have no editors:" in listing


# Bad input changes nothing ---------------------------------------------------------------------


def _post_vote(client, election, choices):
    return client.post(_url(election, "vote/"), {"candidates": choices})


def test_vote__for_a_non_candidate__refused(client_for):
    election = _election(phase="voting", seats=2)
    (candidate,) = _candidates(election, "frontline-editor")
    pending = Nomination.objects.create(
        election=election, nominee=get_user_model().objects.get(username="member-of-both")
    )
    before = _snapshot(election)
    for choice in [pending.pk, 999999]:
        response = _post_vote(client_for("frontline-member"), election, [candidate.pk, choice])
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "You can only vote for the candidates on the ballot." in response.content.decode()
    assert _snapshot(election) == before


def test_vote__more_choices_than_seats__refused(client_for):
    election = _election(phase="voting", seats=1)
    a, b = _candidates(election, "frontline-editor", "member-of-both")
    before = _snapshot(election)
    response = _post_vote(client_for("frontline-member"), election, [a.pk, b.pk])
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose at most 1 candidate: there is 1 seat." in response.content.decode()
    assert _snapshot(election) == before
    # The same ballot with one choice is accepted.
    assert _post_vote(client_for("frontline-member"), election, [a.pk]).status_code == 302


@pytest.mark.parametrize("phase", ["nominating", "after"])
def test_vote__outside_the_window__refused(client_for, phase):
    election = _election(phase=phase)
    (candidate,) = _candidates(election, "frontline-editor")
    before = _snapshot(election)
    response = _post_vote(client_for("frontline-member"), election, [candidate.pk])
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Voting is not open for this election." in response.content.decode()
    assert _snapshot(election) == before


def test_vote__twice__refused(client_for):
    election = _election(phase="voting")
    (candidate,) = _candidates(election, "frontline-editor")
    client = client_for("frontline-member")
    assert _post_vote(client, election, [candidate.pk]).status_code == HTTPStatus.FOUND
    before = _snapshot(election)
    with pytest.raises(ValidationError, match="already voted"):
        ballot_cast(
            election=election,
            voter=get_user_model().objects.get(username="frontline-member"),
            candidate_ids=[candidate.pk],
        )
    assert _snapshot(election) == before


def test_vote__by_a_non_member__refused(client_for, user):
    election = _election(phase="voting")
    (candidate,) = _candidates(election, "frontline-editor")
    before = _snapshot(election)
    # Through the page: the 404 of a missing page, before the election is even looked up.
    response = _post_vote(client_for("bereaved-member"), election, [candidate.pk])
    assert response.status_code == HTTPStatus.NOT_FOUND
    # Through the service (as the API will call it): a clear refusal.
    for username in ["bereaved-member", "staff"]:
        with pytest.raises(ValidationError, match="Only members of Frontline care providers"):
            ballot_cast(election=election, voter=user(username), candidate_ids=[candidate.pk])
    assert _snapshot(election) == before


def test_vote__a_member_who_joined_after_nominations_closed__refused(client_for, user):
    election = _election(phase="voting")
    (candidate,) = _candidates(election, "frontline-editor")
    _post_vote(client_for("frontline-member"), election, [candidate.pk])  # the roll is taken
    newcomer = get_user_model().objects.create_user("newcomer", "newcomer@example.org")
    membership_add(user=newcomer, community=election.community)
    before = _snapshot(election)
    client = client_for("frontline-member")
    client.force_login(newcomer)
    page = client.get(_url(election)).content.decode()
    assert "Only members who joined before nominations closed can vote" in page
    response = _post_vote(client, election, [candidate.pk])
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Only members who joined before nominations closed can vote." in (
        response.content.decode()
    )
    assert _snapshot(election) == before


def test_nominate__a_non_member__refused(client_for, user):
    election = _election(phase="nominating")
    before = _snapshot(election)
    response = client_for("frontline-member").post(
        _url(election, "nominate/"), {"nominee": user("bereaved-member").pk}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Only members of Frontline care providers can be nominated." in (
        response.content.decode()
    )
    assert _snapshot(election) == before
    # The same form naming a member works.
    response = client_for("frontline-member").post(
        _url(election, "nominate/"), {"nominee": user("member-of-both").pk}
    )
    assert response.status_code == HTTPStatus.FOUND


def test_nominate__twice_or_outside_the_window__refused(client_for, user):
    election = _election(phase="nominating")
    nomination_create(election=election, nominee=user("member-of-both"), by=user("member-of-both"))
    before = _snapshot(election)
    response = client_for("frontline-member").post(
        _url(election, "nominate/"), {"nominee": user("member-of-both").pk}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "has already been nominated" in response.content.decode()
    _move_to(election, "voting")
    with pytest.raises(ValidationError, match="Nominations are not open"):
        nomination_create(
            election=election, nominee=user("frontline-member"), by=user("frontline-member")
        )
    assert _snapshot(election) == before


def test_accept__someone_elses_nomination__refused(client_for, user):
    election = _election(phase="nominating")
    nomination = nomination_create(
        election=election, nominee=user("frontline-editor"), by=user("frontline-member")
    )
    before = _snapshot(election)
    response = client_for("frontline-member").post(
        _url(election, f"nominations/{nomination.pk}/respond/"),
        {"action": "accept", "statement": "Me instead"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Only the person nominated can answer this nomination." in response.content.decode()
    assert _snapshot(election) == before
    nomination.refresh_from_db()
    assert nomination.statement == ""
    # The nominee may.
    nomination_respond(nomination=nomination, user=user("frontline-editor"), accept=False)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DECLINED


def test_certify__twice__refused(user):
    election = _election(phase="after")
    _candidates(election, "frontline-editor")
    election_close(election=election, by=user("staff"))
    election_certify(election=election, by=user("staff"))
    before = (_snapshot(election), list(EditorTerm.objects.values_list("pk", "ends")))
    with pytest.raises(ValidationError, match="already certified"):
        election_certify(election=election, by=user("staff"))
    assert (_snapshot(election), list(EditorTerm.objects.values_list("pk", "ends"))) == before


def test_certify__before_close__refused_and_close_twice_refused(client_for, user):
    election = _election(phase="voting")
    response = client_for("staff").post(f"/admin/elections/{election.pk}/certify/", follow=True)
    assert "Close the election and publish its results before certifying it." in (
        response.content.decode()
    )
    election_close(election=election, by=user("staff"))
    before = _snapshot(election)
    with pytest.raises(ValidationError, match="Only an open election can be closed"):
        election_close(election=election, by=user("staff"))
    assert _snapshot(election) == before


# Who may open the pages: members of the community; to others, a missing page --------------------


def _normalised(response) -> str:
    """The page without what differs by request anyway: the path's id and the CSRF token."""
    body = re.sub(r"elections/\d+/", "elections/ID/", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_election_pages__access_matrix(client_for, role):
    frontline = _election("frontline", phase="voting")
    bereaved = _election("bereaved", phase="voting")
    client = client_for(role)
    for election, other in [(frontline, bereaved), (bereaved, frontline)]:
        slug = election.community.slug
        urls = [f"/{slug}/elections/", _url(election)]
        missing = f"/{slug}/elections/999999/"
        cross = f"/{slug}/elections/{other.pk}/"  # another community's election, by id
        responses = {url: client.get(url) for url in [*urls, missing, cross]}
        if role == ANONYMOUS:
            for response in responses.values():
                assert response.status_code == HTTPStatus.FOUND
                assert response["Location"].startswith("/account/login/")
        elif slug in SEES[role]:
            for url in urls:
                assert responses[url].status_code == HTTPStatus.OK, url
            assert responses[missing].status_code == HTTPStatus.NOT_FOUND
            assert responses[cross].status_code == HTTPStatus.NOT_FOUND
        else:
            for response in responses.values():
                # Inside the space: the 404 of a missing page, never the join page.
                assert response.status_code == HTTPStatus.NOT_FOUND
                assert "This space is for members only" not in response.content.decode()
            # Identical whether the election exists, is the other community's, or does not exist.
            bodies = {_normalised(responses[url]) for url in [_url(election), missing, cross]}
            assert len(bodies) == 1
        for response in responses.values():
            assert "private" in response.get("Cache-Control", "")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_election_post_pages__denied_to_non_members_before_anything(client_for, role, user):
    election = _election("frontline", phase="nominating")
    nomination = nomination_create(
        election=election, nominee=user("frontline-editor"), by=user("frontline-editor")
    )
    before = _snapshot(election)
    client = client_for(role)
    for rest in ["nominate/", f"nominations/{nomination.pk}/respond/", "vote/"]:
        response = client.post(_url(election, rest), {"nominee": user("member-of-both").pk})
        if role == ANONYMOUS:
            assert response.status_code == HTTPStatus.FOUND
        elif "frontline" not in SEES[role]:
            assert response.status_code == HTTPStatus.NOT_FOUND
        else:
            assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST)
    if "frontline" not in SEES[role]:
        assert _snapshot(election) == before


def test_election_pages__never_show_e_mail_or_username_of_candidates(client_for, user):
    candidate = user("frontline-editor")
    candidate.first_name = "Robin"
    candidate.save()
    election = _election(phase="voting")
    _candidates(election, "frontline-editor")
    page = client_for("frontline-member").get(_url(election)).content.decode()
    assert "Robin" in page
    assert "frontline-editor@example.org" not in page


# Secrecy: no ballot links to a voter, results hidden until the close ---------------------------


def test_ballot_schema__no_column_links_a_ballot_to_a_voter_or_a_time():
    for model in (Ballot, BallotReceipt):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.TimeField), field
            assert not isinstance(field, models.AutoField | models.BigAutoField), field
        assert isinstance(model._meta.pk, models.UUIDField)
    ballot_targets = {f.related_model for f in Ballot._meta.concrete_fields if f.is_relation}
    assert ballot_targets == {Election}  # no voter, no receipt
    receipt_targets = {
        f.related_model for f in BallotReceipt._meta.concrete_fields if f.is_relation
    }
    assert Ballot not in receipt_targets
    assert {f.name for f in Ballot._meta.concrete_fields} == {"id", "election", "sealed"}


def test_ballots__every_vote_rewrites_them_all__no_key_survives(user):
    election = _election(phase="voting", seats=2)
    a, b = _candidates(election, "frontline-editor", "member-of-both")
    ballot_cast(election=election, voter=user("frontline-member"), candidate_ids=[a.pk])
    first = set(Ballot.objects.filter(election=election).values_list("pk", flat=True))
    ballot_cast(election=election, voter=user("member-of-both"), candidate_ids=[a.pk, b.pk])
    second = set(Ballot.objects.filter(election=election).values_list("pk", flat=True))
    assert len(second) == 2 and first.isdisjoint(second)
    assert sorted(b.choices for b in Ballot.objects.filter(election=election)) == [
        [a.pk],
        [a.pk, b.pk],
    ]


def test_ballots__rewritten_in_random_order_at_close__counts_unchanged(client_for, user):
    election = _election(phase="voting", seats=2)
    a, b = _candidates(election, "frontline-editor", "member-of-both")
    for username, choices in [
        ("frontline-member", [a.pk]),
        ("frontline-editor", [a.pk, b.pk]),
        ("member-of-both", [b.pk]),
    ]:
        ballot_cast(election=election, voter=user(username), candidate_ids=choices)
    ids_before = set(Ballot.objects.filter(election=election).values_list("pk", flat=True))
    _move_to(election, "after")
    election = election_close(election=election, by=user("staff"))
    after = Ballot.objects.filter(election=election)
    assert ids_before.isdisjoint(set(after.values_list("pk", flat=True)))
    assert sorted(b.choices for b in after) == sorted([[a.pk], [a.pk, b.pk], [b.pk]])
    results = selectors.election_results(election)
    assert {c.nominee.username: c.votes for c in results["candidates"]} == {
        "frontline-editor": 2,
        "member-of-both": 2,
    }
    assert results["turnout"] == 3 and results["electorate"] == 3


def test_results__hidden_until_voting_closes(user):
    election = _election(phase="voting")
    assert selectors.election_results(election) is None
    _move_to(election, "after")
    assert selectors.election_results(election) is None  # window over, not yet closed
    election = election_close(election=election, by=user("staff"))
    assert selectors.election_results(election)["turnout"] == 0


# Ties drawn by lot, from a published seed ------------------------------------------------------


def _tied_election(user, seed: str) -> list[str]:
    election = _election(phase="voting", seats=1)
    a, b, c = _candidates(election, "frontline-member", "frontline-editor", "member-of-both")
    # One vote each: a three-way tie for one seat.
    for voter, choice in zip(FRONTLINE_MEMBERS, [a, b, c], strict=True):
        ballot_cast(election=election, voter=user(voter), candidate_ids=[choice.pk])
    _move_to(election, "after")
    election = election_close(election=election, seed=seed)
    ranked = selectors.election_results(election)["candidates"]
    assert [c.votes for c in ranked] == [1, 1, 1]
    assert sum(c.elected for c in ranked) == 1
    # Anyone can redo the draw from the published seed and the candidates in ballot order.
    redo = sorted(ranked, key=lambda c: c.pk)
    random.Random(seed).shuffle(redo)  # noqa: S311
    assert [c.pk for c in redo] == [c.pk for c in ranked]
    return [c.nominee.username for c in ranked]


def test_ties__drawn_by_lot_reproducibly_from_the_seed(user):
    from django.db import transaction

    outcomes = {}
    for seed in ["alpha", "alpha", "bravo", "charlie", "delta", "echo"]:
        sid = transaction.savepoint()
        order = _tied_election(user, seed)
        transaction.savepoint_rollback(sid)
        if seed in outcomes:
            assert outcomes[seed] == order  # the same seed, the same result
        outcomes[seed] = order
    # Different seeds do draw different winners: it is a draw, not a fixed rule.
    assert len({order[0] for order in outcomes.values()}) > 1


def test_close__seed_is_random_and_published(user):
    election = election_close(election=_election(phase="after"), by=user("staff"))
    other = election_close(election=_election(phase="after"), by=user("staff"))
    assert len(election.seed) == 32 and election.seed != other.seed


# Terms: the winners become the editors group, until the term ends --------------------------------


def test_certify__editors_group_becomes_exactly_the_winners(user):
    frontline = _community("frontline")
    frontline.editors_group.user_set.add(user("frontline-member"))  # not elected: must go
    election = _election(phase="voting", seats=1)
    (winner,) = _candidates(election, "member-of-both")
    ballot_cast(election=election, voter=user("frontline-member"), candidate_ids=[winner.pk])
    _move_to(election, "after")
    election_close(election=election, by=user("staff"))
    election_certify(election=election, by=user("staff"))
    # The earlier term (the demo's) ends now: the editors are the latest election's winners.
    assert _editors("frontline") == {"member-of-both"}
    assert _editors("bereaved") == {"bereaved-editor"}  # another community is untouched
    now = timezone.now()
    current = EditorTerm.objects.filter(community=frontline, starts__lte=now, ends__gt=now)
    assert set(current.values_list("user__username", flat=True)) == {"member-of-both"}


def test_term_expiry__removes_expired_editors__idempotent__staff_emailed(user):
    past = timezone.now() - timedelta(days=1)
    EditorTerm.objects.filter(community__slug="bereaved").update(ends=past)
    mail.outbox.clear()
    out = _run_expiry()
    assert "Bereaved by substance use: bereaved-editor is no longer an editor" in out
    assert _editors("bereaved") == set()
    assert _editors("frontline") == {"frontline-editor"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user("staff").email]
    assert "Bereaved by substance use" in mail.outbox[0].subject
    # Again: nothing changes, nobody is e-mailed twice.
    assert _run_expiry().strip() == "nothing to do"
    assert len(mail.outbox) == 1
    assert ModelLogEntry.objects.filter(action="neighborhood.term.end").count() == 1


def test_term_expiry__a_re_elected_editor_stays(user):
    frontline = _community("frontline")
    old = EditorTerm.objects.get(community=frontline, user=user("frontline-editor"))
    election = _election(phase="after")
    _candidates(election, "frontline-editor")
    Ballot.objects.create(election=election, choices=[election.nominations.get().pk])
    election_close(election=election, by=user("staff"))
    election_certify(election=election, by=user("staff"))
    old.refresh_from_db()
    assert old.ends <= timezone.now()
    assert _run_expiry().strip() == "nothing to do"
    assert _editors("frontline") == {"frontline-editor"}


def test_term_expiry__closes_elections_whose_voting_ended(user):
    election = _election(phase="after")
    out = _run_expiry()
    election.refresh_from_db()
    assert election.status == Election.Status.CLOSED and "closed" in out
    assert _run_expiry().strip() == "nothing to do"


def test_term_expiry__a_member_who_left_is_not_an_editor(user):
    from community_pages.services import membership_leave

    membership_leave(user=user("frontline-editor"), community=_community("frontline"))
    _run_expiry()
    assert _editors("frontline") == set()


def _run_expiry() -> str:
    import io

    out = io.StringIO()
    call_command("expire_editor_terms", stdout=out)
    return out.getvalue()


# The demo's elections --------------------------------------------------------------------------


def test_demo__certified_election_per_community_whose_winners_are_the_editors():
    for slug in ["frontline", "bereaved"]:
        certified = Election.objects.filter(
            community__slug=slug, status=Election.Status.CERTIFIED
        ).latest("certified_at")
        winners = set(
            certified.nominations.filter(elected=True).values_list("nominee__username", flat=True)
        )
        assert winners == _editors(slug) == {f"{slug}-editor"}
    open_election = Election.objects.get(status=Election.Status.OPEN)
    assert open_election.phase() == "voting"
    assert selectors.candidates(open_election).count() == 2
    assert _run_expiry().strip() == "nothing to do"


def test_demo__a_member_can_vote_in_the_open_election(client_for, user):
    election = Election.objects.get(status=Election.Status.OPEN)
    assert selectors.user_may_vote(user("frontline-member"), election)
    candidate = selectors.candidates(election).first()
    response = _post_vote(client_for("frontline-member"), election, [candidate.pk])
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("/frontline/", "/frontline/elections/"),
        ("/es/frontline/", "/es/frontline/elections/"),
        ("/common-ground/", None),
    ],
)
def test_space_page__links_its_elections(client_for, url, link):
    html = client_for("member-of-both").get(url).content.decode()
    if link:
        assert f'href="{link}"' in html
    else:
        assert "/elections/" not in html


@pytest.mark.parametrize("deleted", [True, False])
def test_receipt__outlives_the_voters_account_unlinked(client_for, deleted):
    """Deleting an account keeps its receipt, linked to no one; the count holds."""
    election = _election(phase="voting")
    (candidate,) = _candidates(election, "frontline-editor")
    assert _post_vote(client_for("frontline-member"), election, [candidate.pk]).status_code == 302
    if deleted:
        get_user_model().objects.get(username="frontline-member").delete()
    receipts = BallotReceipt.objects.filter(election=election)
    assert receipts.count() == election.ballots.count() == 1
    assert receipts.filter(voter__isnull=True).exists() is deleted
