"""VTIMEZONE components written as RFC 5545 writes them.

RFC 5545 (section 3.6.5) gives each STANDARD or DAYLIGHT sub-component's DTSTART (and RDATE)
as the local time *before* the change, in the offset named by TZOFFSETFROM: New York's
spring-forward is `DTSTART:…T020000` with `TZOFFSETFROM:-0500`, the moment clocks read 02:00
and jump to 03:00. The `icalendar` library writes the time after the jump (03:00), which some
parsers read as an hour late, so the transitions are computed here, from the zone's own rules
(`zoneinfo`), and only the writing of the component is left to the library.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

LAST_DATE = date(2038, 1, 1)  # as far as the calendar describes the zone (as icalendar does)
_STEP = timedelta(days=7)


@lru_cache(maxsize=128)
def transitions(zone: ZoneInfo, first: date, last: date) -> tuple[tuple[datetime, datetime], ...]:
    """((instant, instant just before), ...): each change of UTC offset in [first, last), UTC.

    Weekly steps find the week of a change (no zone changes twice within a week); a bisection
    finds its minute (zones change on the minute). Some 1,000 offset look-ups for thirteen
    years, kept per zone and dates: the feeds ask for the same ones again and again.
    """
    found = []
    moment = datetime.combine(first, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + _STEP
        if following.astimezone(zone).utcoffset() != offset:
            low, high = moment, following  # offset(low) is the old one, offset(high) the new
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append((high, high - timedelta(minutes=1)))
            offset = following.astimezone(zone).utcoffset()
        moment = following
    return tuple(found)


def vtimezone(name: str, first: date, last: date = LAST_DATE) -> Timezone:
    """The zone from `first` to `last`: one sub-component per kind of change, its dates as
    RDATE properties, each written in local time before the change (RFC 5545's New York example)."""
    zone = ZoneInfo(name)
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)  # local midnight
    groups: dict[tuple, list[datetime]] = defaultdict(list)
    # The offset in force at `first`, as a component that starts there and changes nothing.
    initial = (start.utcoffset(), start.utcoffset(), start.tzname(), bool(start.dst()))
    groups[initial].append(start.replace(tzinfo=None))
    for instant, before in transitions(zone, first, last):
        old = before.astimezone(zone)
        new = instant.astimezone(zone)
        key = (old.utcoffset(), new.utcoffset(), new.tzname(), bool(new.dst()))
        groups[key].append((instant + old.utcoffset()).replace(tzinfo=None))
    component = Timezone()
    component.add("tzid", name)
    for (offset_from, offset_to, tzname, daylight), starts in groups.items():
        sub = TimezoneDaylight() if daylight else TimezoneStandard()
        sub.add("dtstart", starts[0])
        for moment in starts[1:]:
            # One RDATE property per date (RFC 5545 allows either): vobject reads only the
            # first value of a comma-separated RDATE list.
            sub.add("rdate", moment)
        sub.add("tzoffsetfrom", offset_from)
        sub.add("tzoffsetto", offset_to)
        if tzname:
            sub.add("tzname", tzname)
        component.add_component(sub)
    return component
