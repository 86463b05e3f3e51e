"""Reads for elections (docs/elections.md): who may read an election, its candidates, who may
vote, the results, and which communities need one."""

from __future__ import annotations

from community_pages.models import Invitation, JoinRequest
from core import access
from core.access import members_of
from workflows.models import Election, Nomination


def elections_visible_to(user):
    """Elections a user may read: staff see all; members see their communities' opened ones."""
    elections = Election.objects.select_related("community")
    if access.is_staff(user):
        return elections
    return elections.filter(community__in=access.communities_of(user)).exclude(
        status=Election.Status.DRAFT
    )


def election_for_member(*, user, community, election_id: int):
    """The opened election `election_id` of `community` if `user` may read it, else None."""
    return elections_visible_to(user).filter(community=community, pk=election_id).first()


def candidates(election):
    """The accepted nominations, by id (the ballot's order), with their nominees."""
    return (
        election.nominations.filter(status=Nomination.Status.ACCEPTED)
        .select_related("nominee")
        .order_by("pk")
    )


def nominations_of(*, election, user):
    """Nominations of `user` in `election` (at most one)."""
    return election.nominations.filter(nominee=user)


def user_has_voted(user, election) -> bool:
    return user.is_authenticated and election.receipts.filter(voter_id=user.pk).exists()


def user_may_vote(user, election) -> bool:
    """Voting is open, the user is a member on the roll, and has not voted yet."""
    if election.phase() != "voting" or not access.is_member(user, election.community):
        return False
    return user.pk in eligible_voter_ids(election) and not user_has_voted(user, election)


def election_results(election):
    """None until voting is closed; then the count, turnout and seed, candidates ranked."""
    if not election.results_published:
        return None
    ranked = list(candidates(election).order_by("-votes", "lot"))
    electorate = election.electorate or 0
    return {
        "candidates": ranked,
        "winners": [c for c in ranked if c.elected],
        "turnout": election.turnout,
        "electorate": electorate,
        "turnout_percent": round(100 * election.turnout / electorate) if electorate else 0,
        "seed": election.seed,
        "closed_at": election.closed_at,
        "certified_at": election.certified_at,
    }


def eligible_voter_ids(election: Election) -> set[int]:
    """Who the roll holds (or, before it is taken, would hold): see `election_roll_ensure`."""
    if election.roll_taken_at is not None:
        return set(election.roll.values_list("user_id", flat=True))
    members = set(members_of(election.community).values_list("pk", flat=True))
    # Group membership has no date. The dated records we have (an admitted join request, a
    # used invitation) tell us who joined after nominations closed: they are not on the roll.
    late = set(
        JoinRequest.objects.filter(
            community=election.community,
            status=JoinRequest.Status.ADMITTED,
            decided_at__gte=election.nominations_close,
        ).values_list("user_id", flat=True)
    ) | set(
        Invitation.objects.filter(
            community=election.community, used_at__gte=election.nominations_close
        ).values_list("used_by_id", flat=True)
    )
    return members - late
