"""Reads for moderation: who reviews a page, and where a user reviews.

A page's reviewers are the current editors of the community it lives in; a Common Ground page's
are the editors of every community. Nothing is stored per page: when an election changes a
community's editors group, the reviewers change with it. Who is an editor is asked of
`community_pages.access` (active accounts only; staff are not reviewers).
"""

from __future__ import annotations

from wagtail.models import Page, Revision, TaskState

from community_pages import access


def reviewing_communities(*, page: Page) -> list:
    """The communities whose editors review `page` (none outside the communities)."""
    from community_pages.models import Community
    from community_pages.selectors import community_for_page, is_common_ground_page

    community = community_for_page(page)
    if community is not None:
        return [community]
    if is_common_ground_page(page):
        return list(Community.objects.all())
    return []


def reviewers(*, page: Page):
    """The users who review `page`: the active editors of its reviewing communities."""
    return access.editors_of(*reviewing_communities(page=page))


def user_is_reviewer(*, user, page: Page) -> bool:
    return any(access.is_editor(user, c) for c in reviewing_communities(page=page))


def author_ids(task_state: TaskState) -> set[int]:
    """Who may not review this submission: whoever submitted it, whoever wrote the submitted
    revision, and whoever saved a revision of the page since. A reviewer who changes the text
    in the editor (Wagtail's "approve" from the edit screen saves first) becomes one of its
    authors; another editor must approve what they wrote."""
    workflow_state = task_state.workflow_state
    ids = {workflow_state.requested_by_id, task_state.revision.user_id}
    ids |= set(
        Revision.objects.filter(
            base_content_type_id=workflow_state.base_content_type_id,
            object_id=workflow_state.object_id,
            pk__gt=task_state.revision_id,
        ).values_list("user_id", flat=True)
    )
    return {pk for pk in ids if pk is not None}


def reviewable_space_paths(*, user) -> list[str]:
    """Tree paths of every space (all translations) whose pages `user` reviews."""
    from community_pages.models import CommonGroundPage, CommunityPage

    keys = access.editor_communities(user).values("translation_key")
    paths = list(
        CommunityPage.objects.filter(translation_key__in=keys).values_list("path", flat=True)
    )
    if paths:
        paths += CommonGroundPage.objects.values_list("path", flat=True)
    return paths


# Elections (docs/elections.md) -----------------------------------------------------------------


def elections_visible_to(user):
    """Elections a user may read: staff see all; members see their communities' opened ones."""
    from workflows.models import Election

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
    from workflows.models import Nomination

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
    from workflows.services import eligible_voter_ids

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
