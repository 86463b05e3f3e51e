"""Sealed ballots (workflows/ballots.py): a database reader cannot read or link what anyone chose.

No one can learn how a given member voted, not even staff reading the database. The
ballot table holds equal-length ciphertexts under a key derived from SECRET_KEY, which is not in
the database, re-sealed with fresh nonces on every vote.
"""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from django.test import override_settings

from tests.workflows.test_elections import _candidates, _election, _move_to
from workflows import ballots
from workflows.models import Ballot
from workflows.selectors.elections import election_results
from workflows.services.elections import ballot_cast, election_close


def _raw_rows(election) -> list[str]:
    """What a reader with a SQL console sees."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM workflows_ballot WHERE election_id = %s", [election.pk])
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


def test_database_reader__sees_equal_length_opaque_rows_that_change_on_every_vote(db, user):
    election = _election(phase="voting", seats=2)
    a, b = _candidates(election, "frontline-editor", "member-of-both")
    ballot_cast(election=election, voter=user("frontline-member"), candidate_ids=[a.pk])
    before = _raw_rows(election)
    ballot_cast(election=election, voter=user("member-of-both"), candidate_ids=[a.pk, b.pk])
    after = _raw_rows(election)

    assert len(after) == 2 and not set(before) & set(after)  # no row survives a vote
    sealed = list(Ballot.objects.filter(election=election).values_list("sealed", flat=True))
    assert len({len(value) for value in sealed}) == 1  # one choice or two: the same length
    for row in after:
        assert f"[{a.pk}" not in row and f"{b.pk}]" not in row and "[" not in row
    # The application, which holds the key, reads them.
    assert sorted(ballot.choices for ballot in Ballot.objects.filter(election=election)) == [
        [a.pk],
        [a.pk, b.pk],
    ]


def test_the_same_choices_sealed_twice__differ(db):
    assert ballots.seal(1, [3]) != ballots.seal(1, [3])
    assert ballots.unseal(1, ballots.seal(1, [3])) == [3]


def test_without_the_key__a_ballot_does_not_open(db):
    sealed = ballots.seal(7, [11, 12])
    other_key = override_settings(SECRET_KEY="another-" + "k" * 50, SECRET_KEY_FALLBACKS=[])
    with other_key, pytest.raises(ballots.BallotUnreadable):
        ballots.unseal(7, sealed)


def test_key_rotation__the_old_key_as_a_fallback_still_opens_it(db, settings):
    sealed = ballots.seal(7, [11, 12])
    old = settings.SECRET_KEY
    with override_settings(SECRET_KEY="rotated-" + "k" * 50, SECRET_KEY_FALLBACKS=[old]):
        assert ballots.unseal(7, sealed) == [11, 12]


def test_a_ballot_moved_to_another_election__does_not_open(db):
    sealed = ballots.seal(7, [11])
    with pytest.raises(ballots.BallotUnreadable):
        ballots.unseal(8, sealed)
    tampered = base64.b64decode(sealed)
    tampered = tampered[:-1] + bytes([tampered[-1] ^ 1])
    with pytest.raises(ballots.BallotUnreadable):
        ballots.unseal(7, base64.b64encode(tampered).decode())


def test_results__counted_from_the_sealed_ballots(db, user):
    election = _election(phase="voting", seats=1)
    a, b = _candidates(election, "frontline-editor", "member-of-both")
    for username, choice in [("frontline-member", a), ("member-of-both", a)]:
        ballot_cast(election=election, voter=user(username), candidate_ids=[choice.pk])
    _move_to(election, "after")
    election = election_close(election=election, by=user("staff"))
    results = election_results(election)
    assert {c.nominee.username: c.votes for c in results["candidates"]} == {
        "frontline-editor": 2,
        "member-of-both": 0,
    }
