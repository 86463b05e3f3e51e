"""Reads for remembrances. Who may see one is the space's rule (`workflows.spaces.in_space`),
and then:

- the author sees their own, hidden or not, with the editors' reason when hidden;
- others in the space see it only while it is not hidden and its author is still in the space
  (or it was handed to the community when the author left the Neighborhood): someone who left a
  community does not stay named there without being able to change it;
- the space's moderators (`spaces.may_moderate`) also see hidden ones, to restore them.

Remembrances live only in communities (never Common Ground): a space that is not a community
has none, for everyone. Anything someone may not see answers like a missing one (None here).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.images import get_image_model

from community_pages.models import CommunityPage
from core.visibility import visible_files
from resources.selectors import space_collection
from workflows import spaces
from workflows.notification_subjects import checked_in_batch
from workflows.remembrance.models import Remembrance


def remembrance_space(user, slug: str):
    """(space, visible) for a community slug: space None if there is no such community space."""
    space = spaces.space_by_slug(slug)
    if space is None or spaces.is_common_ground(space):
        return None, False
    return space, spaces.in_space(user, space)


def _shown_filter(user, space) -> Q:
    shown = Q(hidden_at__isnull=True) & (
        Q(author__isnull=True) | Q(author__in=spaces.people_in(space))
    )
    if user.is_authenticated:
        shown |= Q(author=user)
        if spaces.may_moderate(user, space):
            shown = Q()  # moderators see every one in their space, hidden ones marked
    return shown


def remembrances_in(user, space) -> QuerySet:
    """The remembrances `user` may see in `space` (none if they are not in it), newest first."""
    if space is None or not spaces.in_space(user, space) or spaces.is_common_ground(space):
        return Remembrance.objects.none()
    return (
        Remembrance.objects.filter(space=space)
        .filter(_shown_filter(user, space))
        .select_related("author", "photo")
    )


def remembrance_in(user, space, remembrance_id) -> Remembrance | None:
    return remembrances_in(user, space).filter(pk=remembrance_id).first()


def remembrances_of_my_spaces(user) -> list[tuple[object, QuerySet]]:
    """[(space, the remembrances `user` may see there)] for each community space they are in."""
    return [
        (space, remembrances_in(user, space))
        for space in spaces.spaces_of(user).order_by("path")
        if not spaces.is_common_ground(space)
    ]


def remembrance_for(user, remembrance_id) -> Remembrance | None:
    """A remembrance by id, if `user` may see it (in any space); None like a missing one."""
    found = Remembrance.objects.filter(pk=remembrance_id).select_related("space").first()
    if found is None:
        return None
    return remembrance_in(user, found.space, found.pk)


def own_remembrance(user, space, remembrance_id) -> Remembrance | None:
    """The user's own remembrance in `space` that they may change or withdraw."""
    found = remembrance_in(user, space, remembrance_id)
    if found is None or found.author_id != user.pk:
        return None
    return found


def photos_for(user, space) -> QuerySet:
    """The images of the space's own collection that `user` may see: the photos they may choose."""
    collection = space_collection(space)
    images = get_image_model().objects.all()
    if collection is None:
        return images.none()
    return visible_files(
        user, images.filter(collection__path__startswith=collection.path)
    ).order_by("title")


def remembrance_notification_visible(notification, user) -> bool:
    """A reminder is seen only by the author, while the remembrance is still theirs and visible
    (their own, in a community they are in). Two queries per listing or count of notifications
    (`checks_batched`), however many reminders it holds."""
    own = Remembrance.objects.filter(
        author=user, space__in=spaces.spaces_of(user).type(CommunityPage)
    )
    checked, visible = checked_in_batch(user, "remembrance", own)
    if notification.subject_id in checked:
        return notification.subject_id in visible
    found = remembrance_for(user, notification.subject_id)  # alone, or made since
    return found is not None and found.author_id == user.pk


def remembrances_export(user) -> list[dict]:
    """The member's own remembrances for their data export: all of them, in every community,
    hidden or not (their own words); a photo they may no longer see is named only as one."""
    items = Remembrance.objects.filter(author=user).select_related("space", "photo")
    visible_photos = set(
        visible_files(
            user, get_image_model().objects.filter(pk__in=[i.photo_id for i in items if i.photo_id])
        ).values_list("pk", flat=True)
    )
    return [
        {
            "community": item.space.title,
            "name": item.name,
            "born": item.born.isoformat() if item.born else None,
            "died": item.died.isoformat() if item.died else None,
            "words": item.words,
            "photo": (item.photo.title if item.photo_id in visible_photos else "a photo")
            if item.photo_id
            else None,
            "photo_alt": item.photo_alt,
            "remind_on": item.remind_on,
            "hand_to_community": item.hand_to_community,
            "hidden": item.hidden,
            "hidden_reason": item.hidden_reason,
            "created_at": item.created_at.isoformat(),
            "updated_at": item.updated_at.isoformat(),
        }
        for item in items
    ]


def remembrances_visible_to(user) -> QuerySet:
    """Every remembrance `user` may see, in all the community spaces they are in (one query)."""
    shown = Q(pk__in=[])
    for space in spaces.spaces_of(user):
        if not spaces.is_common_ground(space):
            shown |= Q(space=space) & _shown_filter(user, space)
    return Remembrance.objects.filter(shown).select_related("author", "photo", "space")
