"""Elections under concurrency, on PostgreSQL where row locks are real.

Two ballots from the same member at once count once; a ballot racing the close is either counted
or refused, never lost or half-written; a ballot arriving once the close holds the election is
refused. (Two editors approving at once: tests/workflows/test_moderation.py.)
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from community_pages.models import Community
from tests.concurrency import run_at_once
from workflows.models import Ballot, BallotReceipt, Election, Nomination
from workflows.services.elections import ballot_cast, election_close

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _voting_election() -> tuple[Election, Nomination]:
    now = timezone.now()
    election = Election.objects.create(
        community=Community.objects.get(slug="bereaved"),
        seats=1,
        nominations_open=now - timedelta(days=3),
        nominations_close=now - timedelta(days=2),
        voting_open=now - timedelta(days=1),
        voting_close=now + timedelta(days=1),
        term_days=30,
        status=Election.Status.OPEN,
    )
    nomination = Nomination.objects.create(
        election=election,
        nominee=get_user_model().objects.get(username="bereaved-editor"),
        status=Nomination.Status.ACCEPTED,
    )
    return election, nomination


def test_two_ballots_from_the_same_member_at_once__count_once(demo_loaded):
    election, nomination = _voting_election()
    voter = get_user_model().objects.get(username="bereaved-member")

    def vote():
        ballot_cast(election=election, voter=voter, candidate_ids=[nomination.pk])
        return "counted"

    outcomes = run_at_once(vote, vote, catch=ValidationError)

    assert outcomes.count("counted") == 1
    (refusal,) = [o for o in outcomes if isinstance(o, ValidationError)]
    assert "already voted" in refusal.messages[0]
    assert BallotReceipt.objects.filter(election=election, voter=voter).count() == 1
    assert Ballot.objects.filter(election=election).count() == 1


def test_xmin__a_database_reader_cannot_pair_receipts_with_ballots(demo_loaded):
    """PostgreSQL stamps each row with the transaction that wrote it (`xmin`). Receipt and
    ballot share a transaction, so every vote rewrites all ballots: the live ballots all carry
    the latest vote's transaction, and earlier receipts match no ballot at all."""
    election, nomination = _voting_election()
    User = get_user_model()
    for username in ["bereaved-member", "bereaved-editor", "member-of-both"]:
        ballot_cast(
            election=election,
            voter=User.objects.get(username=username),
            candidate_ids=[nomination.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM workflows_ballot WHERE election_id = %s",
            [election.pk],
        )
        ballot_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT xmin::text FROM workflows_ballotreceipt WHERE election_id = %s",
            [election.pk],
        )
        receipt_xmins = [row[0] for row in cursor.fetchall()]
    assert len(ballot_xmins) == 1  # three ballots, one transaction: the last vote's
    assert len(set(receipt_xmins)) == 3
    assert sum(x in ballot_xmins for x in receipt_xmins) == 1


def test_ballot_racing_the_close__counted_or_refused__never_half_written(demo_loaded):
    election, nomination = _voting_election()
    User = get_user_model()
    voter, staff = User.objects.get(username="bereaved-member"), User.objects.get(username="staff")

    def vote():
        ballot_cast(election=election, voter=voter, candidate_ids=[nomination.pk])
        return "counted"

    def close():
        election_close(election=election, by=staff)
        return "closed"

    outcomes = run_at_once(vote, close, catch=ValidationError)

    assert outcomes[1] == "closed"
    election.refresh_from_db()
    receipts = BallotReceipt.objects.filter(election=election).count()
    ballots = Ballot.objects.filter(election=election).count()
    assert election.turnout == receipts == ballots
    if outcomes[0] == "counted":
        assert ballots == 1
        assert Nomination.objects.get(pk=nomination.pk).votes == 1
    else:
        assert "Voting is not open" in outcomes[0].messages[0]
        assert ballots == 0


def test_ballot_arriving_while_the_close_holds_the_election__refused(demo_loaded):
    election, nomination = _voting_election()
    User = get_user_model()
    voter, staff = User.objects.get(username="bereaved-member"), User.objects.get(username="staff")
    locked = threading.Event()

    def close():
        with transaction.atomic():
            Election.objects.select_for_update().get(pk=election.pk)
            locked.set()
            time.sleep(0.5)  # the ballot below arrives now and waits for the lock
            election_close(election=election, by=staff)
        return "closed"

    def vote():
        locked.wait(5)
        ballot_cast(election=election, voter=voter, candidate_ids=[nomination.pk])
        return "counted"

    outcomes = run_at_once(close, vote, catch=ValidationError)

    assert outcomes[0] == "closed"
    assert isinstance(outcomes[1], ValidationError)
    assert outcomes[1].messages == ["Voting is not open for this election."]
    assert not BallotReceipt.objects.filter(election=election).exists()
    assert not Ballot.objects.filter(election=election).exists()
    election.refresh_from_db()
    assert election.turnout == 0
