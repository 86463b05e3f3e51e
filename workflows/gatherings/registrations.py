"""What gatherings register with the layers it builds on (called from `AppConfig.ready`): the
notification subject, the space calendar's entries and the day-before reminders."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community_pages.calendar_sources import CalendarEntry, register_calendar_source
from workflows import spaces
from workflows.gatherings import selectors
from workflows.gatherings.models import Gathering
from workflows.gatherings.services import SUBJECT, reminders_send
from workflows.models import NotificationKind
from workflows.notification_subjects import register_subject
from workflows.services.scheduled import register_scheduled

UID_DOMAIN = "neighborhood.peersupport"


def gathering_path(gathering) -> str:
    return reverse("gathering", args=[gathering.space.slug, gathering.pk])


def _visible(notification, user) -> bool:
    """The gathering still exists and the recipient is in its space (two queries per request,
    however many notifications are counted)."""
    found = selectors.subject_space_ids(user, Gathering, SUBJECT)
    space_id = found.get(notification.subject_id)
    if space_id is None:  # made after the cache was read, or gone
        space_id = (
            Gathering.objects.filter(pk=notification.subject_id)
            .values_list("space_id", flat=True)
            .first()
        )
    return space_id is not None and space_id in selectors.space_ids_of(user)


def _describe(notification) -> dict:
    gathering = Gathering.objects.select_related("space").get(pk=notification.subject_id)
    when = formats.date_format(gathering.local_start, "DATETIME_FORMAT")
    texts = {
        NotificationKind.GATHERING_NEW: _("A new gathering: %(title)s, %(when)s."),
        NotificationKind.GATHERING_REMINDER: _("Tomorrow: %(title)s, %(when)s."),
        NotificationKind.GATHERING_PLACE: _("A place came free: you are coming to %(title)s."),
    }
    text = texts.get(notification.kind, _("A gathering: %(title)s, %(when)s."))
    if gathering.cancelled_at is not None:
        text = _("Cancelled: %(title)s, %(when)s.")
    return {
        "text": text % {"title": gathering.title, "when": when},
        "path": gathering_path(gathering),
        "comment": "",
    }


def calendar_entries(reader, space) -> list[CalendarEntry]:
    """The space's upcoming gatherings in its calendar feed; the exact address only for a
    reader who may see it (coming, or the organiser), else the town or area line."""
    if not spaces.in_space(reader, space):
        return []
    gatherings = list(selectors.upcoming(space).select_related("space"))
    answers = selectors.answers_of(reader, gatherings)
    entries = []
    for gathering in gatherings:
        answer = answers.get(gathering.pk)
        address = selectors.address_for(reader, gathering, answer=answer)
        location = ", ".join(part for part in (address, gathering.area) if part)
        entries.append(
            CalendarEntry(
                uid=f"gathering-{gathering.pk}@{UID_DOMAIN}",
                start=gathering.local_start,
                end=gathering.local_end,
                time_zone=gathering.time_zone,
                summary=gathering.title,
                description=gathering.description,
                location=location,
                path=gathering_path(gathering),
                stamp=gathering.created_at,
            )
        )
    return entries


def register() -> None:
    register_subject(
        SUBJECT,
        visible=_visible,
        describe=_describe,
        subject=gettext_lazy("News of a gathering"),
    )
    register_calendar_source(calendar_entries)
    register_scheduled(reminders_send)
