"""Demo elections: in each community a closed, certified election whose winner
is the demo editor, with a term covering today; in Frontline, one election open for voting.

Past elections cannot go through the time-checked services (nominating and voting a year ago),
so their nominations and ballots are written directly; closing and certifying go through the
services, as for any election. Idempotent: what exists is kept.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from community_pages.models import Community
from workflows.models import Ballot, BallotReceipt, EditorTerm, Election, Nomination
from workflows.services.elections import election_certify, election_close, election_roll_ensure

# community slug → (winning editor, voters)
CERTIFIED = {
    "frontline": ("frontline-editor", ["frontline-member", "frontline-editor", "member-of-both"]),
    "bereaved": ("bereaved-editor", ["bereaved-member", "bereaved-editor", "member-of-both"]),
}
OPEN_IN = "frontline"
OPEN_CANDIDATES = {
    "frontline-editor": "I would like to keep reviewing our resources for another year.",
    "member-of-both": "I work nights in outreach and would like to help review guides.",
}
DEMO_SEED = "demo-seed-0001"


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _certified_election(community: Community, staff) -> None:
    now = timezone.now()
    if EditorTerm.objects.filter(community=community, starts__lte=now, ends__gt=now).exists():
        return
    winner, voters = CERTIFIED[community.slug]
    election = Election.objects.create(
        community=community,
        seats=1,
        nominations_open=now - timedelta(days=40),
        nominations_close=now - timedelta(days=30),
        voting_open=now - timedelta(days=29),
        voting_close=now - timedelta(days=15),
        term_days=365,
        status=Election.Status.OPEN,
        created_by=staff,
    )
    nomination = Nomination.objects.create(
        election=election,
        nominee=_user(winner),
        nominated_by=_user(voters[0]),
        status=Nomination.Status.ACCEPTED,
        statement="I have been a member for years and would like to review what we publish.",
    )
    for username in voters:
        BallotReceipt.objects.create(election=election, voter=_user(username))
        Ballot.objects.create(election=election, choices=[nomination.pk])
    election_close(election=election, seed=DEMO_SEED)
    election_certify(election=election, by=staff)


def _open_election(community: Community, staff) -> None:
    now = timezone.now()
    if Election.objects.filter(
        community=community, status=Election.Status.OPEN, voting_close__gt=now
    ).exists():
        return
    election = Election.objects.create(
        community=community,
        seats=1,
        nominations_open=now - timedelta(days=10),
        nominations_close=now - timedelta(days=1),
        voting_open=now - timedelta(hours=1),
        voting_close=now + timedelta(days=14),
        term_days=365,
        status=Election.Status.OPEN,
        created_by=staff,
    )
    election_roll_ensure(election=election)  # nominations are closed: the roll is taken
    for username, statement in OPEN_CANDIDATES.items():
        Nomination.objects.create(
            election=election,
            nominee=_user(username),
            nominated_by=_user(username),
            status=Nomination.Status.ACCEPTED,
            statement=statement,
        )


def load_elections_demo() -> None:
    staff = _user("staff")
    communities = {c.slug: c for c in Community.objects.filter(slug__in=CERTIFIED)}
    for slug in CERTIFIED:
        _certified_election(communities[slug], staff)
    _open_election(communities[OPEN_IN], staff)
