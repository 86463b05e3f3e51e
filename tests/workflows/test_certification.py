"""Certification: the latest election decides; staff hear at once when no one is left to edit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.workflows.test_elections import _candidates, _editors, _election, _move_to
from workflows.models import EditorTerm, Election
from workflows.services.elections import ballot_cast, election_certify, election_close

pytestmark = pytest.mark.django_db


def _closed(slug: str, winner: str | None, user) -> Election:
    election = _election(slug=slug, phase="voting")
    Election.objects.filter(community__slug=slug, status=Election.Status.OPEN).exclude(
        pk=election.pk
    ).delete()  # the demo's open election in frontline
    [nomination] = _candidates(election, "member-of-both")
    if winner:
        ballot_cast(election=election, voter=user(winner), candidate_ids=[nomination.pk])
    _move_to(election, "after")
    return election_close(election=election, by=user("staff"))


def test_certify__an_older_election_after_a_newer_one_is_refused(user):
    older = _closed("bereaved", "bereaved-member", user)
    newer = _closed("bereaved", "bereaved-member", user)
    Election.objects.filter(pk=older.pk).update(
        voting_close=newer.voting_close.replace(year=newer.voting_close.year - 1)
    )
    election_certify(election=newer, by=user("staff"))
    editors = _editors("bereaved")
    terms = EditorTerm.objects.count()
    with pytest.raises(ValidationError, match="later election"):
        election_certify(election=older, by=user("staff"))
    assert _editors("bereaved") == editors and EditorTerm.objects.count() == terms
    older.refresh_from_db()
    assert older.status == Election.Status.CLOSED


def test_certify__no_winner__staff_are_told_at_once(user):
    election = _closed("bereaved", None, user)  # nobody voted: the seat stays empty
    mail.outbox.clear()
    election_certify(election=election, by=user("staff"))
    assert _editors("bereaved") == set()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user("staff").email]


def test_certify__with_a_winner__no_alarm(user):
    """The twin on the same setup: a winner, so staff are not alarmed."""
    election = _closed("bereaved", "bereaved-member", user)
    mail.outbox.clear()
    election_certify(election=election, by=user("staff"))
    assert _editors("bereaved") == {"member-of-both"}
    assert mail.outbox == []
