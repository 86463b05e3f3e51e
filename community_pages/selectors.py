"""Reads about communities and membership. Access questions go to `visibility.py`."""

from django.db.models import QuerySet

from community_pages.models import CommonGroundPage, Community, CommunityPage, JoinRequest
from community_pages.visibility import is_staff, user_group_ids
from home.permissions import space_path


def communities_for_front_door(home) -> QuerySet:
    """The communities a visitor may ask to join: their names are public, their pages are not."""
    return CommunityPage.objects.child_of(home).live().order_by("path")


def community_by_slug(slug: str) -> Community | None:
    return Community.objects.filter(slug=slug).first()


def community_for_page(page) -> Community | None:
    """The community a page lives in (None for Common Ground and public pages)."""
    path = space_path(page)
    if path is None:
        return None
    space = CommunityPage.objects.filter(path=path).first()
    return space.community if space else None


def is_common_ground_page(page) -> bool:
    path = space_path(page)
    return path is not None and CommonGroundPage.objects.filter(path=path).exists()


def communities_of(user) -> QuerySet:
    """Communities the user is a member of."""
    return Community.objects.filter(members_group_id__in=user_group_ids(user))


def communities_managed_by(user) -> QuerySet:
    """Communities whose join requests and invitations the user decides: editors and staff."""
    if is_staff(user):
        return Community.objects.all()
    return Community.objects.filter(editors_group_id__in=user_group_ids(user))


def pending_join_requests(user) -> QuerySet:
    return JoinRequest.objects.filter(
        community__in=communities_managed_by(user), status=JoinRequest.Status.PENDING
    ).select_related("user", "community")
