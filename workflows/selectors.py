"""Reads for moderation: who reviews a page, and where a user reviews.

A page's reviewers are the current editors of the community it lives in; a Common Ground page's
are the editors of every community. Nothing is stored per page: when an election changes a
community's editors group, the reviewers change with it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.models import Page, TaskState


def reviewer_group_ids(*, page: Page) -> set[int]:
    """The editors groups whose members review `page` (empty outside the communities)."""
    from community_pages.models import Community
    from community_pages.selectors import community_for_page, is_common_ground_page

    community = community_for_page(page)
    if community is not None:
        return {community.editors_group_id}
    if is_common_ground_page(page):
        return set(Community.objects.values_list("editors_group_id", flat=True))
    return set()


def reviewers(*, page: Page):
    """The users who review `page`: active members of its reviewer groups."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__in=reviewer_group_ids(page=page))
        .distinct()
    )


def user_is_reviewer(*, user, page: Page) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    group_ids = reviewer_group_ids(page=page)
    return bool(group_ids) and user.groups.filter(pk__in=group_ids).exists()


def author_ids(task_state: TaskState) -> set[int]:
    """Who may not review this submission: whoever submitted it and whoever wrote the revision."""
    ids = {task_state.workflow_state.requested_by_id, task_state.revision.user_id}
    return {pk for pk in ids if pk is not None}


def reviewable_space_paths(*, user) -> list[str]:
    """Tree paths of every space (all translations) whose pages `user` reviews."""
    from community_pages.models import CommonGroundPage, Community, CommunityPage

    if not (user.is_authenticated and user.is_active):
        return []
    keys = Community.objects.filter(editors_group__in=user.groups.all()).values("translation_key")
    paths = list(
        CommunityPage.objects.filter(translation_key__in=keys).values_list("path", flat=True)
    )
    if paths:
        paths += CommonGroundPage.objects.values_list("path", flat=True)
    return paths
