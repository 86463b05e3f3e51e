"""Other events in a space's calendar feed (`/feeds/<space>/meetings.ics`, docs/feeds.md).

`community_pages` is below the community tools, so it does not import them: a tool above
(gatherings) registers a source in its `AppConfig.ready`:

    register_calendar_source(lambda reader, space: [CalendarEntry(...), ...])

The feed asks every source for the feed's reader (the signed-in member, or the member whose
personal `?token=` it is) and the space (the default-language space page the reader may see);
the source decides what that reader sees (an address only for those coming).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarEntry:
    uid: str  # stable, unique: "<kind>-<id>@<domain>"
    start: datetime  # aware, in `time_zone`
    end: datetime | None
    time_zone: str  # an IANA name (a VTIMEZONE is written for it)
    summary: str
    description: str = ""
    location: str = ""
    path: str = ""  # the entry's page on the site; the feed makes it absolute
    stamp: datetime | None = None


_SOURCES: list[Callable] = []


def register_calendar_source(source: Callable) -> None:
    """`source(reader, space) -> list[CalendarEntry]`; registering twice adds it once."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def calendar_entries(reader, space) -> list[CalendarEntry]:
    """Every registered source's entries of `space` for `reader`."""
    return [entry for source in _SOURCES for entry in source(reader, space)]
