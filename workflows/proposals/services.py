"""Writes of proposals, validated first: propose, revise (while open), respond (once per
person, changing allowed while open), who may propose in a space, the close's notifications,
and what an account's deletion takes with it.

Exactly once: a response locks the proposal's row (`select_for_update`) and checks the closing
time inside the lock, so a response racing the close is either counted (before it) or refused
(after it), never both; one response per person is a unique constraint, so two at once from the
same person leave one row.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import spaces
from workflows.models import NotificationKind
from workflows.proposals.models import Proposal, ProposalSetting, Response
from workflows.proposals.selectors import closed_unnotified, may_propose, may_set_who_proposes
from workflows.services.notifications import notify

SUBJECT = "proposal"
MIN_OPEN = timedelta(hours=1)
MAX_OPEN = timedelta(days=90)
Position = Response.Position


def _validated(*, title, text, closes_at, now, check_closing: bool = True) -> dict:
    errors: dict[str, list[str]] = {}
    title = " ".join(str(title or "").split())
    text = str(text or "").strip()
    if not title:
        errors["title"] = [_("Give the proposal a title.")]
    elif len(title) > 200:
        errors["title"] = [_("At most 200 characters.")]
    if not text:
        errors["text"] = [_("Say what you propose.")]
    elif len(text) > 10_000:
        errors["text"] = [_("At most 10,000 characters.")]
    if check_closing:  # a revision keeps the closing time it had
        if not isinstance(closes_at, datetime) or timezone.is_naive(closes_at):
            errors["closes_at"] = [_("Give the closing time.")]
        elif not (now + MIN_OPEN <= closes_at <= now + MAX_OPEN):
            errors["closes_at"] = [_("The closing time is between one hour and 90 days from now.")]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "text": text, "closes_at": closes_at}


@transaction.atomic
def proposal_create(*, user, space, title, text, closes_at) -> Proposal:
    """Propose; everyone else in the space is told (PROPOSAL_NEW)."""
    if not user.is_authenticated or not may_propose(user, space):
        raise PermissionDenied(_("Only the editors may propose in this space."))
    clean = _validated(title=title, text=text, closes_at=closes_at, now=timezone.now())
    proposal = Proposal.objects.create(space=space, proposer=user, **clean)
    for person in spaces.people_in(space).exclude(pk=user.pk):
        notify(person, NotificationKind.PROPOSAL_NEW, subject=(SUBJECT, proposal.pk))
    return proposal


def _locked(proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def proposal_revise(*, user, proposal, title, text) -> Proposal:
    """The proposer revises the text while open; responses to the older text are marked as
    such (they keep the version they answered)."""
    proposal = _locked(proposal)
    if proposal.proposer_id != user.pk:
        raise PermissionDenied(_("Only the proposer may revise a proposal."))
    now = timezone.now()
    if not proposal.is_open(now):
        raise ValidationError({"text": [_("This proposal is closed.")]})
    clean = _validated(
        title=title, text=text, closes_at=proposal.closes_at, now=now, check_closing=False
    )
    if (clean["title"], clean["text"]) == (proposal.title, proposal.text):
        return proposal
    proposal.title, proposal.text = clean["title"], clean["text"]
    proposal.version += 1
    proposal.revised_at = now
    proposal.save(update_fields=["title", "text", "version", "revised_at"])
    return proposal


@transaction.atomic
def respond(*, user, proposal, position: str, reason: str = "") -> Response:
    """Respond, or change one's response, while the proposal is open."""
    reason = str(reason or "").strip()
    if position not in Position.values:
        raise ValidationError({"position": [_("Choose agree, abstain, disagree or block.")]})
    if position in (Position.DISAGREE, Position.BLOCK) and not reason:
        raise ValidationError({"reason": [_("Say why you disagree or block.")]})
    if len(reason) > 2_000:
        raise ValidationError({"reason": [_("At most 2,000 characters.")]})
    if not user.is_authenticated or not spaces.in_space(user, proposal.space):
        raise PermissionDenied(_("Only people in this space may respond."))
    proposal = _locked(proposal)
    now = timezone.now()
    if not proposal.is_open(now):
        raise ValidationError({"position": [_("This proposal is closed.")]})
    values = {"position": position, "reason": reason, "version": proposal.version}
    response = Response.objects.filter(proposal=proposal, user=user).first()
    if response is None:
        try:
            with transaction.atomic():
                return Response.objects.create(
                    proposal=proposal, user=user, created_at=now, updated_at=now, **values
                )
        except IntegrityError:  # only without the lock (SQLite): the other one won; update it
            response = Response.objects.get(proposal=proposal, user=user)
    for name, value in values.items():
        setattr(response, name, value)
    response.updated_at = now
    response.save(update_fields=[*values, "updated_at"])
    return response


@transaction.atomic
def who_may_propose_set(*, user, space, who: str) -> ProposalSetting:
    if not may_set_who_proposes(user, space):
        raise PermissionDenied(_("Only staff and editors decide who may propose."))
    if who not in ProposalSetting.Who.values:
        raise ValidationError({"who_may_propose": [_("Choose everyone or editors only.")]})
    setting, _created = ProposalSetting.objects.update_or_create(
        space=space, defaults={"who_may_propose": who, "changed_at": timezone.now()}
    )
    return setting


def closed_notify(now=None) -> list[str]:
    """Scheduled: once a proposal closes, tell its proposer and everyone who responded
    (PROPOSAL_CLOSED), once (the row is marked in the same transaction)."""
    now = now or timezone.now()
    done = []
    for proposal_id in closed_unnotified(now).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Proposal.objects.filter(
                pk=proposal_id, closed_notified_at__isnull=True
            ).update(closed_notified_at=now)
            if not claimed:
                continue
            proposal = Proposal.objects.select_related("proposer").get(pk=proposal_id)
            people = {
                r.user for r in Response.objects.filter(proposal=proposal).select_related("user")
            }
            people.add(proposal.proposer)
            for person in people - {None}:
                notify(person, NotificationKind.PROPOSAL_CLOSED, subject=(SUBJECT, proposal_id))
            done.append(f"proposal #{proposal_id} closed: told its people")
    return done


@transaction.atomic
def member_forget(user) -> None:
    """An account's deletion: responses to open proposals go (they no longer count); on a
    closed proposal the response stays, so the outcome and counts do not change, under "a
    former member", and its reason goes (the person's own words, as an election's statement);
    proposals stay for the community, proposed by "a former member"."""
    now = timezone.now()
    Response.objects.filter(user=user, proposal__closes_at__gt=now).delete()
    Response.objects.filter(user=user).update(user=None, reason="")
    Proposal.objects.filter(proposer=user).update(proposer=None)
