"""Reads for moderation: who reviews a page, and where a user reviews.

A page's reviewers are the current editors of the community it lives in; a Common Ground page's
are the editors of every community. Nothing is stored per page: when an election changes a
community's editors group, the reviewers change with it. Who is an editor is asked of
`core.access` (active accounts only; staff are not reviewers).
"""

from __future__ import annotations

from wagtail.models import Page, Revision, TaskState

from community_pages.models import Community
from community_pages.selectors import community_for_page, is_common_ground_page
from core import access


def reviewing_communities(*, page: Page) -> list:
    """The communities whose editors review `page` (none outside the communities)."""
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
    """Tree paths of every space (all translations) whose pages `user` reviews: a community's
    editors review it, and Common Ground with it (`core.access.editor_space_paths`)."""
    return access.editor_space_paths(user)
