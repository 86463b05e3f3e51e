"""Who someone is to a community: staff, member, editor. Every such question is asked here.

`visibility.py` decides what a person may *see*; this module answers who they *are*, with the
same cached group ids (`visibility.user_group_ids`, one query per user object and request), so
the two can never disagree. Elections, moderation, membership, the export, the API and the views
ask these functions; nothing else reads `user.groups`, `is_superuser` or a community's groups
to decide access.

Decisions, written down (see docs/privacy.md, "The rule"):

- **Staff means `is_superuser`** (and an active account). Django's `is_staff` flag only opens
  Django's own admin, which the Neighborhood does not mount: a user with `is_staff` alone is an
  ordinary person here. Staff see everything (the rule) and manage every community, but are not
  members or editors of a community unless they are in its groups: staff do not vote and do not
  review.
- **A member** of a community is an active account in its members group; **an editor** an
  active account in its editors group (elections keep that group to the members with a current
  term, `workflows.services.terms.editors_reconcile`).
- **Inactive accounts are nobody**: never staff, members or editors, whatever their groups say.
  That is also how the rule treats them (a visitor).
- An applicant (a pending join request) is not a member.

This module depends only on Django and `visibility.py`: it lives with the rule in the bottom
layer (`core`). The `Community` model and the space page models are looked up when a function
runs (`django.apps.apps.get_model`), never imported.

After changing a user's groups within a request, call `visibility.forget_user_groups(user)`.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.visibility import is_staff, user_group_ids

__all__ = [
    "communities_of",
    "communities_without_editors",
    "editor_communities",
    "editor_space_paths",
    "editors_of",
    "is_editor",
    "is_member",
    "is_staff",
    "managed_communities",
    "may_manage",
    "members_of",
    "staff_users",
]


def _community_model():
    # Resolved lazily: this module must not import the apps' models (see the docstring).
    return apps.get_model("community_pages", "Community")


# About one person ------------------------------------------------------------------------------
# `is_staff(user)` is the rule's own (`visibility.is_staff`), re-exported: ask it here.


def is_member(user, community) -> bool:
    """Is `user` an active member of `community`? (Staff are not, unless in its group.)"""
    return community.members_group_id in user_group_ids(user)


def is_editor(user, community) -> bool:
    """Is `user` an active editor of `community`? (Staff are not, unless in its group.)"""
    return community.editors_group_id in user_group_ids(user)


def may_manage(user, community) -> bool:
    """May `user` decide `community`'s join requests and invitations? Its editors and staff."""
    return is_staff(user) or is_editor(user, community)


def communities_of(user) -> QuerySet:
    """The communities `user` is a member of (none for visitors and inactive accounts)."""
    return _community_model().objects.filter(members_group_id__in=user_group_ids(user))


def editor_communities(user) -> QuerySet:
    """The communities `user` is an editor of (staff: only those whose group they are in)."""
    return _community_model().objects.filter(editors_group_id__in=user_group_ids(user))


def managed_communities(user) -> QuerySet:
    """The communities whose join requests and invitations `user` decides: editors and staff."""
    if is_staff(user):
        return _community_model().objects.all()
    return editor_communities(user)


# About a community -----------------------------------------------------------------------------


def members_of(community) -> QuerySet:
    """The active members of `community`, as a user queryset."""
    return get_user_model().objects.filter(is_active=True, groups=community.members_group_id)


def editors_of(*communities) -> QuerySet:
    """The active editors of any of `communities`, as a user queryset (each user once)."""
    group_ids = {community.editors_group_id for community in communities}
    return get_user_model().objects.filter(is_active=True, groups__in=group_ids).distinct()


def communities_without_editors() -> QuerySet:
    """Communities with no active editor (an empty editors group, or only inactive accounts in
    it): nobody reviews or admits there until staff run an election."""
    return _community_model().objects.exclude(editors_group__user__is_active=True)


def editor_space_paths(user) -> list[str]:
    """Tree paths of every space (all translations) whose pages `user` reviews as an editor:
    their communities', and Common Ground's when they edit any community (docs/moderation.md)."""
    keys = editor_communities(user).values("translation_key")
    community_page = apps.get_model("community_pages", "CommunityPage")
    paths = list(
        community_page.objects.filter(translation_key__in=keys).values_list("path", flat=True)
    )
    if paths:
        common_ground_page = apps.get_model("community_pages", "CommonGroundPage")
        paths += common_ground_page.objects.values_list("path", flat=True)
    return paths


def staff_users() -> QuerySet:
    """Every active staff account (`is_superuser`; Django's `is_staff` alone is not staff)."""
    return get_user_model().objects.filter(is_active=True, is_superuser=True)
