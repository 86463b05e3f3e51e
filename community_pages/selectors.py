"""Reads about communities and membership. Who may see what: `core/visibility.py`; who is
staff, member or editor: `core/access.py`."""

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Page

from community_pages import schedules
from community_pages.models import (
    GROUP_SCHEDULE_DAYS,
    CommonGroundPage,
    Community,
    CommunityPage,
    JoinRequest,
    SupportGroupPage,
)
from core.access import managed_communities
from core.languages import in_reader_language, under_translations
from core.permissions import SPACE_DEPTH, space_path
from core.visibility import visible_pages


def communities_for_front_door(home) -> QuerySet:
    """The communities a visitor may ask to join: their names are public, their pages are not."""
    return CommunityPage.objects.child_of(home).live().order_by("path")


def pending_join_slugs(user) -> set[str]:
    """Slugs of the communities this person has asked to join and is waiting to hear from."""
    if not user.is_authenticated:
        return set()
    return set(
        JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).values_list(
            "community__slug", flat=True
        )
    )


def community_by_slug(slug: str, *, listed: bool = False) -> Community | None:
    """The community with this slug. `listed=True`: only one whose page is live in some language,
    as on the front door; an unpublished community's name is not public, so it is not there."""
    communities = Community.objects.filter(slug=slug)
    if listed:
        live = CommunityPage.objects.live().filter(translation_key=OuterRef("translation_key"))
        communities = communities.filter(Exists(live))
    return communities.first()


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


def pending_join_requests(user) -> QuerySet:
    return JoinRequest.objects.filter(
        community__in=managed_communities(user), status=JoinRequest.Status.PENDING
    ).select_related("user", "community")


# Support groups ------------------------------------------------------------------------------
# Each read is a constant number of queries whatever the number of groups: the visibility rule
# (two queries), the groups, and one prefetch each for their schedule rules and cancellations.


def source_spaces() -> QuerySet:
    """Every live community and Common Ground page in the source (default) language."""
    return (
        Page.objects.live()
        .type(CommunityPage, CommonGroundPage)
        .filter(depth=SPACE_DEPTH, locale__language_code=settings.LANGUAGE_CODE)
    )


def space_by_slug(slug: str):
    """The live community or Common Ground page (source locale) with that slug, or None."""
    space = source_spaces().filter(slug=slug).order_by("path").first()
    return space.specific if space else None


def support_groups_visible(user, under) -> QuerySet:
    """Live support groups under a page (a space or its group schedule) that the user may see."""
    groups = SupportGroupPage.objects.descendant_of(under)
    return _with_schedules(visible_pages(user, groups))


def support_groups_in_language(user, under, language: str) -> QuerySet:
    """`support_groups_visible` for a page in a language: the groups under it and under its
    translations, each in `language` if translated, else in English (docs/languages.md)."""
    groups = SupportGroupPage.objects.filter(under_translations(under, children_only=False))
    groups = in_reader_language(visible_pages(user, groups), language)
    return _with_schedules(groups.select_related("locale"))


def support_groups_public() -> QuerySet:
    """Groups that chose to be listed publicly: live, open, in a live space of the source locale.

    Deliberately *not* filtered by the visibility rule: these groups live in private spaces and
    are listed anyway, field by field, by `feeds.public_meeting` (see docs/feeds.md).
    """

    live_spaces = Page.objects.live().filter(depth=SPACE_DEPTH).values("path")
    groups = (
        SupportGroupPage.objects.live()
        .filter(is_public=True, is_open=True, locale__language_code=settings.LANGUAGE_CODE)
        .alias(space_path=Substr("path", 1, SPACE_DEPTH * Page.steplen))
        .filter(space_path__in=live_spaces)
    )
    return _with_schedules(groups)


def _with_schedules(groups: QuerySet) -> QuerySet:
    return groups.prefetch_related("schedule_rules", "cancellations").order_by("title", "pk")


def schedule_days(groups, *, start=None, days=None):
    """[(day, [(occurrence, group), ...]), ...] for the next four weeks (from today, local)."""

    start = start or timezone.localdate()
    return schedules.occurrences_by_day(
        ((group, group.schedule()) for group in groups), start, days or GROUP_SCHEDULE_DAYS
    )


# The group finder ----------------------------------------------------------------------------

# Hours [from, to) of each time of day, in the group's own zone.
TIME_OF_DAY = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}
WINDOW_DAYS = {"week": 7, "today": 1}


def finder_choices(groups) -> dict:
    """The choices the finder offers, from the groups the reader may see (never others')."""
    towns = sorted({group.city for group in groups if group.city and group.is_in_person})
    codes = sorted({code for group in groups for code in group.language_codes})
    return {"towns": towns, "language_codes": codes}


def groups_found(groups, filters: dict) -> list:
    """The groups that pass the finder's group filters (format, kind, town, language, access)."""
    if filters.get("attendance"):
        groups = [group for group in groups if group.attendance == filters["attendance"]]
    if filters.get("kind"):
        groups = [group for group in groups if group.kind == filters["kind"]]
    if filters.get("town"):
        town = filters["town"].casefold()
        groups = [group for group in groups if group.city.casefold() == town]
    if filters.get("language"):
        groups = [group for group in groups if filters["language"] in group.language_codes]
    if filters.get("accessible"):
        groups = [group for group in groups if group.wheelchair_accessible]
    return list(groups)


def meeting_wanted(filters: dict):
    """The finder's meeting filters (day of the week, time of day) as a test of an occurrence,
    on its local wall-clock time."""
    weekday, hours = filters.get("day"), TIME_OF_DAY.get(filters.get("time") or "")

    def wanted(occurrence) -> bool:
        if weekday is not None and occurrence.start.weekday() != weekday:
            return False
        return hours is None or hours[0] <= occurrence.start.hour < hours[1]

    return wanted


def schedule_found(groups, filters: dict, *, start=None) -> list:
    """`schedule_days` narrowed by the finder's cleaned filters (ScheduleFilterForm)."""
    groups = groups_found(groups, filters)
    days = schedule_days(groups, start=start, days=WINDOW_DAYS.get(filters.get("when") or ""))
    wanted = meeting_wanted(filters)
    return [(day, [pair for pair in meetings if wanted(pair[0])]) for day, meetings in days]
