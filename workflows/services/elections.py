"""Writes for elections (docs/elections.md): create, open, nominate, vote, close, certify,
and the scheduled job that follows the windows and the terms.

Every write below checks everything first and raises ValidationError, changing nothing, when
it refuses. Writes that race (ballots, closing, certifying) lock the election's row first.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log

from community_pages.models import Community
from core.access import is_member, is_staff
from workflows import ballots
from workflows.models import (
    ELECTION_CERTIFY,
    ELECTION_CLOSE,
    ELECTION_CREATE,
    ELECTION_OPEN,
    Ballot,
    BallotReceipt,
    EditorTerm,
    Election,
    EligibleVoter,
    Nomination,
)
from workflows.selectors.elections import eligible_voter_ids
from workflows.services.terms import editors_reconcile, staff_notify_no_editors

STATEMENT_MAX_LENGTH = 1000
TERM_DAYS_MAX = 3650


def _refuse(message: str) -> NoReturn:
    raise ValidationError(message)


def election_locked(election: Election) -> Election:
    """The election's row, locked until the transaction ends (PostgreSQL; SQLite locks the DB)."""
    return (
        Election.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=election.pk)
    )


def _log(instance, action: str, user=None, **data) -> None:
    log(instance=instance, action=action, user=user, data=data)


def election_create(
    *,
    community: Community,
    seats: int,
    nominations_open: datetime,
    nominations_close: datetime,
    voting_open: datetime,
    voting_close: datetime,
    term_days: int,
    by,
) -> Election:
    """A draft election for `community`, opened later by `election_open`. Staff only."""
    if not is_staff(by):
        raise PermissionDenied
    errors = []
    if not isinstance(seats, int) or seats < 1:
        errors.append(_("An election needs at least one seat."))
    if not isinstance(term_days, int) or not 1 <= term_days <= TERM_DAYS_MAX:
        errors.append(_("A term lasts between 1 and %(n)d days.") % {"n": TERM_DAYS_MAX})
    moments = [nominations_open, nominations_close, voting_open, voting_close]
    if any(not isinstance(m, datetime) or timezone.is_naive(m) for m in moments):
        errors.append(_("Give every date with its time and time zone."))
    elif not (nominations_open < nominations_close <= voting_open < voting_close):
        errors.append(
            _(
                "The dates must follow each other: nominations open, nominations close, voting "
                "opens (not before nominations close), voting closes."
            )
        )
    unfinished = Election.objects.filter(
        community=community, status__in=[Election.Status.DRAFT, Election.Status.OPEN]
    )
    if unfinished.exists():
        errors.append(
            _(
                "%(c)s already has an election under way. Close it (and certify it) before "
                "creating the next one."
            )
            % {"c": community.name}
        )
    if errors:
        raise ValidationError(errors)
    election = Election.objects.create(
        community=community,
        seats=seats,
        nominations_open=nominations_open,
        nominations_close=nominations_close,
        voting_open=voting_open,
        voting_close=voting_close,
        term_days=term_days,
        created_by=by,
    )
    _log(election, ELECTION_CREATE, by, community=community.name, seats=seats)
    return election


@transaction.atomic
def election_open(*, election: Election, by) -> Election:
    """Make a draft election visible to members; nominations follow the windows."""
    if not is_staff(by):
        raise PermissionDenied
    election = election_locked(election)
    if election.status != Election.Status.DRAFT:
        _refuse(_("This election is already open or finished."))
    if timezone.now() >= election.voting_close:
        _refuse(_("Voting would already be over: change the dates before opening."))
    election.status = Election.Status.OPEN
    election.save(update_fields=["status"])
    _log(election, ELECTION_OPEN, by)
    return election


def election_roll_ensure(*, election: Election, now: datetime | None = None) -> bool:
    """Take the roll of eligible voters once nominations have closed. Idempotent.

    Call inside a transaction holding the election's lock (`ballot_cast`, `election_close`, the
    scheduled job do). Returns True when it took the roll now.
    """
    now = now or timezone.now()
    if election.roll_taken_at is not None or now < election.nominations_close:
        return False
    ids = eligible_voter_ids(election)
    EligibleVoter.objects.bulk_create(
        [EligibleVoter(election=election, user_id=pk) for pk in sorted(ids)]
    )
    election.roll_taken_at = now
    election.save(update_fields=["roll_taken_at"])
    return True


@transaction.atomic
def nomination_create(*, election: Election, nominee, by) -> Nomination:
    """A member nominates themselves or another member while nominations are open."""
    election = election_locked(election)
    community = election.community
    if not is_member(by, community):
        _refuse(_("Only members of %(c)s can nominate.") % {"c": community.name})
    if election.phase() != "nominating":
        _refuse(_("Nominations are not open for this election."))
    if not is_member(nominee, community):
        _refuse(_("Only members of %(c)s can be nominated.") % {"c": community.name})
    if Nomination.objects.filter(election=election, nominee=nominee).exists():
        _refuse(
            _("%(name)s has already been nominated in this election.")
            % {"name": get_user_display_name(nominee)}
        )
    accepted = nominee.pk == by.pk  # nominating yourself is accepting
    return Nomination.objects.create(
        election=election,
        nominee=nominee,
        nominated_by=by,
        status=Nomination.Status.ACCEPTED if accepted else Nomination.Status.PENDING,
    )


@transaction.atomic
def nomination_respond(
    *, nomination: Nomination, user, accept: bool, statement: str = ""
) -> Nomination:
    """The nominee accepts (with a short statement) or declines, while nominations are open.

    A candidate may also come back to change their statement or withdraw until nominations close.
    """
    election = election_locked(nomination.election)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    statement = (statement or "").strip()
    if user is None or nomination.nominee_id != user.pk:
        _refuse(_("Only the person nominated can answer this nomination."))
    if election.phase() != "nominating":
        _refuse(_("Nominations are closed for this election."))
    if len(statement) > STATEMENT_MAX_LENGTH:
        _refuse(
            _("Please keep your statement under %(n)d characters.") % {"n": STATEMENT_MAX_LENGTH}
        )
    nomination.status = Nomination.Status.ACCEPTED if accept else Nomination.Status.DECLINED
    nomination.statement = statement if accept else ""
    nomination.save(update_fields=["status", "statement"])
    return nomination


def ballot_cast(*, election: Election, voter, candidate_ids) -> None:
    """Record one secret approval ballot and the voter's receipt, in one transaction.

    The election's row is locked while the window, the roll and the choices are checked, so a
    ballot racing `election_close` is either counted or refused, never lost. The receipt's
    unique constraint refuses a second ballot from the same member even when two arrive at once.
    Returns nothing: there is nothing that could link the ballot to the voter.
    """
    already = _("You have already voted in this election. Each member votes once.")
    try:
        with transaction.atomic():
            election = election_locked(election)
            community = election.community
            if not is_member(voter, community):
                _refuse(_("Only members of %(c)s can vote.") % {"c": community.name})
            if election.phase() != "voting":
                _refuse(_("Voting is not open for this election."))
            election_roll_ensure(election=election)
            if not election.roll.filter(user=voter).exists():
                _refuse(_("Only members who joined before nominations closed can vote."))
            if BallotReceipt.objects.filter(election=election, voter=voter).exists():
                _refuse(already)
            try:
                chosen = sorted({int(pk) for pk in candidate_ids})
            except (TypeError, ValueError):
                _refuse(_("Choose candidates from the ballot."))
            if not chosen:
                _refuse(_("Choose at least one candidate."))
            if len(chosen) > election.seats:
                _refuse(
                    ngettext(
                        "Choose at most %(n)d candidate: there is %(n)d seat.",
                        "Choose at most %(n)d candidates: there are %(n)d seats.",
                        election.seats,
                    )
                    % {"n": election.seats}
                )
            candidates = set(
                election.nominations.filter(
                    status=Nomination.Status.ACCEPTED, pk__in=chosen
                ).values_list("pk", flat=True)
            )
            if candidates != set(chosen):
                _refuse(_("You can only vote for the candidates on the ballot."))
            BallotReceipt.objects.create(election=election, voter=voter)
            _ballots_rewrite(election, add=chosen)
    except IntegrityError as error:  # the receipt's unique constraint: a ballot raced this one
        raise ValidationError(already) from error


def _tally(election: Election, seed: str) -> list[Nomination]:
    """Order the candidates by votes; equal votes are ordered by lot, drawn from `seed`.

    The draw shuffles the candidates (sorted by id, which is stable) with `random.Random(seed)`:
    anyone with the seed and the published candidates can redo it and get the same order.
    """
    candidates = list(election.nominations.filter(status=Nomination.Status.ACCEPTED).order_by("pk"))
    counts = dict.fromkeys((c.pk for c in candidates), 0)
    for sealed in election.ballots.values_list("sealed", flat=True):
        for pk in ballots.unseal(election.pk, sealed):
            counts[pk] += 1
    lots = list(candidates)
    random.Random(seed).shuffle(lots)  # noqa: S311 (a public, reproducible draw, not a secret)
    lot_of = {c.pk: position for position, c in enumerate(lots, start=1)}
    for candidate in candidates:
        candidate.votes = counts[candidate.pk]
        candidate.lot = lot_of[candidate.pk]
    ranked = sorted(candidates, key=lambda c: (-c.votes, c.lot))
    for position, candidate in enumerate(ranked):
        candidate.elected = position < election.seats and candidate.votes > 0
    return ranked


def _ballots_rewrite(election: Election, add: list[int] | None = None) -> None:
    """Rewrite all the election's ballots (plus a new one), in random order, with new keys.

    A new ballot is never the one row written by its voter's transaction: every ballot is
    written again with it. So nothing a database reader can see pairs a receipt with a ballot:
    not a key, not the storage order, not PostgreSQL's `xmin` (the id of the transaction that
    wrote a row, the same for the receipt and every live ballot of the latest vote only).
    Costs one read, one delete and one insert per ballot: fine for communities of 20-200.
    """
    sealed = election.ballots.values_list("sealed", flat=True)
    everyone = [ballots.unseal(election.pk, one) for one in sealed]
    if add is not None:
        everyone.append(add)
    random.SystemRandom().shuffle(everyone)
    election.ballots.all().delete()
    # Sealed again with fresh nonces: no row survives a vote, not even as the same ciphertext.
    Ballot.objects.bulk_create([Ballot(election=election, choices=c) for c in everyone])


@transaction.atomic
def election_close(*, election: Election, by=None, seed: str | None = None) -> Election:
    """End voting, count, draw the seed, publish the results. `by=None` is the scheduled job.

    Staff may close early (voting stops at once); the job closes only once the window is over.
    """
    if by is not None and not is_staff(by):
        raise PermissionDenied
    election = election_locked(election)
    if election.status != Election.Status.OPEN:
        _refuse(_("Only an open election can be closed."))
    now = timezone.now()
    if now < election.voting_open:
        _refuse(_("Voting has not started yet."))
    if by is None and now < election.voting_close:
        _refuse(_("Voting is still open."))
    election_roll_ensure(election=election, now=now)
    _ballots_rewrite(election)
    election.seed = seed or secrets.token_hex(16)
    ranked = _tally(election, election.seed)
    Nomination.objects.bulk_update(ranked, ["votes", "lot", "elected"])
    election.status = Election.Status.CLOSED
    election.closed_at = now
    election.turnout = election.ballots.count()
    election.electorate = election.roll.count()
    election.save(update_fields=["status", "closed_at", "seed", "turnout", "electorate"])
    _log(
        election,
        ELECTION_CLOSE,
        by,
        turnout=election.turnout,
        electorate=election.electorate,
        seed=election.seed,
    )
    return election


@transaction.atomic
def election_certify(*, election: Election, by) -> list[EditorTerm]:
    """The winners become the community's editors for their term, from now.

    Terms still running from earlier elections of the community end now: the editors are
    exactly the winners of the latest certified election. Group membership follows at once.
    """
    if not is_staff(by):
        raise PermissionDenied
    election = election_locked(election)
    if election.status == Election.Status.CERTIFIED:
        _refuse(_("This election is already certified."))
    if election.status != Election.Status.CLOSED:
        _refuse(_("Close the election and publish its results before certifying it."))
    now = timezone.now()
    community = election.community
    later = Election.objects.filter(
        community=community,
        status=Election.Status.CERTIFIED,
        voting_close__gt=election.voting_close,
    )
    if later.exists():
        _refuse(
            _(
                "A later election of %(c)s is already certified: its winners are the editors. "
                "This one can no longer be certified."
            )
            % {"c": community.name}
        )
    for term in EditorTerm.objects.filter(community=community, starts__lte=now, ends__gt=now):
        term.ends = now
        term.save(update_fields=["ends"])
    ends = now + timedelta(days=election.term_days)
    # A winner who has since deleted their account leaves their seat empty.
    terms = [
        EditorTerm.objects.create(
            user=nomination.nominee, community=community, election=election, starts=now, ends=ends
        )
        for nomination in election.nominations.filter(
            elected=True, nominee__isnull=False
        ).select_related("nominee")
    ]
    election.status = Election.Status.CERTIFIED
    election.certified_at = now
    election.save(update_fields=["status", "certified_at"])
    _log(
        election,
        ELECTION_CERTIFY,
        by,
        winners=[get_user_display_name(term.user) for term in terms],
        ends=ends.isoformat(),
    )
    change = editors_reconcile(community=community, now=now)
    if change["no_editors"]:
        # Nobody won a seat (no votes, or the winners left): staff hear of it now, not only on
        # the dashboard, since the expiry job will find no term to end.
        staff_notify_no_editors(communities=[community])
    return terms
