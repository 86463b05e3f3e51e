"""Gatherings and proposals under concurrency, on PostgreSQL where row locks are real.

Two people taking a gathering's last place at once: one gets it, the other is on the waiting
list. Responses to a proposal racing its closing time: one before the close counts once, one
after it is refused; two at once from the same person leave one response.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.concurrency import run_at_once
from tests.workflows.gatherings.conftest import make_gathering
from tests.workflows.proposals.conftest import make_proposal
from workflows.gatherings.models import Rsvp
from workflows.gatherings.services import rsvp_set
from workflows.proposals.models import Proposal, Response
from workflows.proposals.services import respond

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _user(name):
    return get_user_model().objects.get(username=name)


@pytest.mark.parametrize("attempt", range(3))
def test_last_place__two_at_once_one_gets_it_one_waits(demo_loaded, attempt):
    [gathering] = make_gathering("bereaved-member", "bereaved", capacity=2)
    rsvp_set(user=_user("bereaved-member"), gathering=gathering, answer="yes")
    racers = [_user("bereaved-editor"), _user("member-of-both")]
    outcomes = run_at_once(
        *[lambda u=u: rsvp_set(user=u, gathering=gathering, answer="yes").answer for u in racers],
        catch=ValidationError,
    )
    assert sorted(outcomes) == ["waiting", "yes"]
    rows = Rsvp.objects.filter(gathering=gathering)
    assert rows.filter(answer="yes").count() == 2
    assert rows.filter(answer="waiting").count() == 1


def test_same_person_twice_at_once__one_rsvp(demo_loaded):
    [gathering] = make_gathering("bereaved-member", "bereaved", capacity=1)
    person = _user("bereaved-editor")
    outcomes = run_at_once(
        lambda: rsvp_set(user=person, gathering=gathering, answer="yes").answer,
        lambda: rsvp_set(user=person, gathering=gathering, answer="yes").answer,
        catch=ValidationError,
    )
    assert outcomes == ["yes", "yes"]
    assert Rsvp.objects.filter(gathering=gathering).count() == 1


def test_freed_place_and_a_newcomer_at_once__never_over_capacity(demo_loaded):
    [gathering] = make_gathering("bereaved-member", "bereaved", capacity=1)
    rsvp_set(user=_user("bereaved-member"), gathering=gathering, answer="yes")
    rsvp_set(user=_user("bereaved-editor"), gathering=gathering, answer="yes")  # waiting
    run_at_once(
        lambda: rsvp_set(user=_user("bereaved-member"), gathering=gathering, answer="no"),
        lambda: rsvp_set(user=_user("member-of-both"), gathering=gathering, answer="yes"),
        catch=ValidationError,
    )
    rows = Rsvp.objects.filter(gathering=gathering)
    assert rows.filter(answer="yes").count() == 1
    # The first in line got the place, whoever ran first: the newcomer never jumps the queue.
    assert rows.get(answer="yes").user.username == "bereaved-editor"


def test_responses_at_the_closing_time__before_counts_once_after_is_refused(demo_loaded):
    proposal = make_proposal("bereaved-member", "bereaved")
    closes = timezone.now() + timedelta(seconds=1.5)
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=closes)
    early, late = _user("bereaved-editor"), _user("member-of-both")

    def before():
        return respond(user=early, proposal=proposal, position="agree").position

    def after():
        delay = (closes - timezone.now()).total_seconds() + 0.05
        time.sleep(max(delay, 0))
        return respond(user=late, proposal=proposal, position="agree").position

    outcomes = run_at_once(before, before, after, catch=ValidationError)
    assert outcomes[:2] == ["agree", "agree"]
    assert isinstance(outcomes[2], ValidationError)
    assert "closed" in " ".join(outcomes[2].messages)
    rows = Response.objects.filter(proposal=proposal)
    assert list(rows.values_list("user__username", flat=True)) == ["bereaved-editor"]


def test_a_response_racing_the_close__counted_or_refused_never_both(demo_loaded):
    proposal = make_proposal("bereaved-member", "bereaved")
    voters = [_user(n) for n in ("bereaved-editor", "member-of-both", "staff")]
    closes = timezone.now() + timedelta(seconds=1)
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=closes)

    def at_the_close(user):
        time.sleep(max((closes - timezone.now()).total_seconds(), 0))
        try:
            respond(user=user, proposal=proposal, position="agree")
        except ValidationError:
            return "refused"
        return "counted"

    outcomes = run_at_once(*[lambda u=u: at_the_close(u) for u in voters], catch=ValidationError)
    counted = Response.objects.filter(proposal=proposal).count()
    assert counted == outcomes.count("counted")
    assert counted + outcomes.count("refused") == 3
