"""Reads of proposals. A proposal in a space the reader is not in is `None`, exactly like a
missing one (`workflows.spaces.in_space`, the one rule).

The outcome at the close: **blocked** when anyone blocks (a block is shown as a block, never
outvoted), else **agreed** when more agree than disagree, else **not agreed**. Abstentions are
counted and shown, and decide nothing.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import is_staff
from workflows import spaces
from workflows.proposals.models import Proposal, ProposalSetting, Response

Position = Response.Position
OUTCOMES = {
    "open": _("Open"),
    "blocked": _("Blocked"),
    "agreed": _("Agreed"),
    "not_agreed": _("Not agreed"),
}


def with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        **{
            f"count_{position}": Count("responses", filter=Q(responses__position=position))
            for position in Position.values
        }
    )


def proposals_of_space(space) -> QuerySet:
    """The space's proposals, the latest closing first, with their counts."""
    queryset = with_counts(Proposal.objects.filter(space=space))
    return queryset.select_related("space", "proposer").order_by("-closes_at", "-pk")


def visible_to(user) -> QuerySet:
    """The proposals of every space `user` is in, the latest closing first, with their counts."""
    queryset = with_counts(Proposal.objects.filter(space__in=spaces.spaces_of(user)))
    return queryset.select_related("space", "proposer").order_by("-closes_at", "-pk")


def proposal_for(user, proposal_id, *, space=None) -> Proposal | None:
    """The proposal if `user` is in its space (and it is in `space`, when given); else None."""
    try:
        proposal_id = int(proposal_id)
    except (TypeError, ValueError):
        return None
    queryset = with_counts(Proposal.objects.filter(pk=proposal_id)).select_related(
        "space", "proposer"
    )
    if space is not None:
        queryset = queryset.filter(space=space)
    proposal = queryset.first()
    if proposal is None or not spaces.in_space(user, proposal.space):
        return None
    return proposal


def counts(proposal) -> dict[str, int]:
    if hasattr(proposal, "count_agree"):
        return {p: getattr(proposal, f"count_{p}") for p in Position.values}
    found = dict(
        Response.objects.filter(proposal=proposal)
        .values_list("position")
        .annotate(n=Count("pk"))
        .values_list("position", "n")
    )
    return {p: found.get(p, 0) for p in Position.values}


def outcome(proposal, *, now=None) -> str:
    if proposal.is_open(now):
        return "open"
    found = counts(proposal)
    if found[Position.BLOCK]:
        return "blocked"
    if found[Position.AGREE] > found[Position.DISAGREE]:
        return "agreed"
    return "not_agreed"


def responses(proposal) -> QuerySet:
    return Response.objects.filter(proposal=proposal).select_related("user")


def response_of(user, proposal) -> Response | None:
    if not user.is_authenticated:
        return None
    return Response.objects.filter(proposal=proposal, user=user).first()


def responses_of(user, proposals) -> dict:
    """{proposal id: the user's response} for a page of proposals, in one query."""
    if not user.is_authenticated:
        return {}
    rows = Response.objects.filter(user=user, proposal__in=[p.pk for p in proposals])
    return {row.proposal_id: row for row in rows}


def who_may_propose(space) -> str:
    setting = ProposalSetting.objects.filter(space=space).first()
    return setting.who_may_propose if setting else ProposalSetting.Who.EVERYONE


def may_propose(user, space) -> bool:
    if not spaces.in_space(user, space):
        return False
    if who_may_propose(space) == ProposalSetting.Who.EVERYONE:
        return True
    return spaces.may_moderate(user, space)


def may_set_who_proposes(user, space) -> bool:
    """Staff, or the space's editors (`spaces.may_moderate`)."""
    return is_staff(user) or spaces.may_moderate(user, space)


def closed_unnotified(now=None) -> QuerySet:
    return Proposal.objects.filter(
        closes_at__lte=now or timezone.now(), closed_notified_at__isnull=True
    )


HIDDEN = "a proposal in a space you no longer belong to"


def proposals_export(user) -> dict:
    """The member's proposals and responses (the export); their own words (text, reasons) stay
    even in a space they left, where the proposal itself is described without its title."""
    visible = set(spaces.spaces_of(user).values_list("pk", flat=True))

    def named(proposal) -> dict:
        if proposal.space_id not in visible:
            return {"proposal": HIDDEN}
        return {"proposal": proposal.title, "space": proposal.space.slug}

    proposed = Proposal.objects.filter(proposer=user).select_related("space")
    responded = Response.objects.filter(user=user).select_related("proposal__space")
    return {
        "proposed": [
            {
                **named(p),
                "text": p.text,
                "created_at": p.created_at.isoformat(),
                "closes_at": p.closes_at.isoformat(),
            }
            for p in proposed
        ],
        "responses": [
            {
                **named(r.proposal),
                "position": r.position,
                "reason": r.reason,
                "updated_at": r.updated_at.isoformat(),
            }
            for r in responded
        ],
    }
