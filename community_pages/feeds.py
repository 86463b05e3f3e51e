"""Support-group feeds: Meeting Guide JSON and iCalendar (RFC 5545).

Builders only: they turn group pages (with their schedule rows prefetched) into a feed and run
no query of their own. Who may read which feed is decided in `feed_views.py` through the one
visibility rule. What goes into which feed, and why, is written down in docs/feeds.md.

- Meeting Guide: the Code for Recovery specification (https://github.com/code4recovery/spec,
  its `README.md` and `data/types.json`): a JSON array, weekly meetings only.
- iCalendar: built with the `icalendar` library (https://icalendar.readthedocs.io/), which
  writes CRLF line ends and folds lines at 75 octets; the VTIMEZONE components are
  `ical_timezones.py` (RFC 5545's way of writing a change of offset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from django.utils.crypto import salted_hmac
from icalendar import Calendar, Event

from community_pages import schedules
from community_pages.ical_timezones import vtimezone
from community_pages.models import SupportGroupPage
from community_pages.public_listing import conference_provider, public_listing

UID_DOMAIN = "neighborhood.peersupport"
PRODID = "-//Peer Support Community Partners//The Neighborhood//EN"

# Meeting Guide type codes (spec `data/types.json`). The spec has no code for "online" (ONL is
# a TSML extension that consumers strip), so attendance is told by conference_url/phone.
OPEN, CLOSED, WHEELCHAIR = "O", "C", "X"
LANGUAGE_TYPES = {"en": "EN", "es": "S", "pt": "POR"}
COUNTRY = "US"
PUBLIC_SLUG_SALT = "neighborhood.feeds.public_meeting_slug"


def meeting_slug(group: SupportGroupPage) -> str:
    """Members' feeds: unique in every feed (the page id leads), URL-safe, at most 64 characters."""
    return f"{group.pk}-{group.slug}"[:64].rstrip("-")


def public_meeting_slug(group: SupportGroupPage) -> str:
    """The public feed: an opaque, stable identifier (an HMAC of the page id keyed with
    SECRET_KEY) that says nothing of the private page: not its id, slug or age."""
    digest = salted_hmac(PUBLIC_SLUG_SALT, str(group.pk), algorithm="sha256").hexdigest()
    return f"meeting-{digest[:24]}"


def _guide_day(weekday: int) -> int:
    """Python's Monday=0 to Meeting Guide's Sunday=0."""
    return (weekday + 1) % 7


def _types(group: SupportGroupPage) -> list[str]:
    codes = [OPEN if group.is_open else CLOSED]
    codes += [LANGUAGE_TYPES[code] for code in group.language_codes if code in LANGUAGE_TYPES]
    if group.wheelchair_accessible and group.is_in_person:
        codes.append(WHEELCHAIR)
    return codes


def _updated(group: SupportGroupPage) -> str | None:
    moment = group.last_published_at or group.latest_revision_created_at
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else None


def _weekly_days(rules: Iterable[schedules.Rule]) -> list[int]:
    return sorted({_guide_day(r.weekday) for r in rules if r.kind == schedules.WEEKLY_RULE})


def _base_meeting(group: SupportGroupPage, schedule: schedules.Schedule) -> dict | None:
    days = _weekly_days(schedule.rules)
    if not days:
        return None  # monthly and one-off meetings: see docs/feeds.md
    return {
        "name": group.title[:255],
        "slug": meeting_slug(group),
        "day": days[0] if len(days) == 1 else days,
        "time": f"{schedule.start_time:%H:%M}",
        "end_time": f"{schedule.end_time:%H:%M}",
        "timezone": schedule.time_zone,
        "types": _types(group),
    }


def _set(data: dict, **values) -> None:
    """Add the values that are not empty (the spec: omit what does not apply)."""
    data.update({key: value for key, value in values.items() if value not in (None, "", [])})


def member_meeting(group: SupportGroupPage, *, url: str | None = None) -> dict | None:
    """A meeting as members see it: address, online link and phone included."""
    schedule = group.schedule()
    data = _base_meeting(group, schedule)
    if data is None:
        return None
    other = [schedules.describe_rule(r) for r in schedule.rules if r.kind != "weekly"]
    # A link on a host the apps do not recognise would be dropped on import: it goes in the
    # notes instead, where members still find it (the editor is warned: public_listing.py).
    recognised = bool(group.online_url and conference_provider(group.online_url))
    unrecognised = group.is_online and group.online_url and not recognised
    notes = "\n".join(
        part
        for part in [
            group.description.strip(),
            f"Join online: {group.online_url}" if unrecognised else "",
            f"Also meets: {'; '.join(other)}." if other else "",
            f"Facilitator: {group.facilitator}." if group.facilitator else "",
            group.accessibility_notes.strip(),
        ]
        if part
    )
    _set(data, notes=notes, url=url, updated=_updated(group), region=group.region)
    _set(data, city=group.city, state=group.state)
    if group.is_in_person:
        _set(
            data,
            location=group.location_name,
            address=group.address,
            postal_code=group.postal_code,
            location_notes=group.location_notes,
        )
    if group.city or group.address:
        data["country"] = COUNTRY
        data["approximate"] = "no" if group.is_in_person and group.address else "yes"
    if group.is_online:
        _set(data, conference_phone=group.phone)
        if recognised:
            _set(
                data,
                conference_url=group.online_url,
                conference_url_notes=group.online_url_notes,
            )
    return data


def public_meeting(group: SupportGroupPage) -> dict | None:
    """A meeting as the public feed shows it: name, day and time, kind, town and region, and
    the ways in its group chose to publish; None when it is not listed (`public_listing.py`).

    Never the members' online link or phone, the description, the facilitator, the page
    address, id, slug or publication time (the page is private); the street address only when
    the group chose to publish it.
    """
    if not (group.is_public and group.is_open):
        return None
    schedule = group.schedule()
    data = _base_meeting(group, schedule)
    listing = public_listing(group, meets_weekly=data is not None)
    if data is None or not listing.listed:
        return None
    if not listing.street_address:
        data["types"] = [code for code in data["types"] if code != WHEELCHAIR]
    # Neither the page's id and slug nor its publication time: `updated` is optional in the
    # spec and the private page's times tell when its members edited it (docs/feeds.md).
    data["slug"] = public_meeting_slug(group)
    _set(
        data,
        notes=str(SupportGroupPage.Kind(group.kind).label),
        url=group.public_join_url,
        city=group.city,
        state=group.state,
        region=group.region,
        conference_url=listing.conference_url,
        conference_phone=listing.conference_phone,
    )
    if listing.street_address:
        _set(
            data,
            location=group.location_name,
            address=group.address,
            postal_code=group.postal_code,
        )
    if group.city or listing.street_address:
        data["country"] = COUNTRY
        data["approximate"] = "no" if listing.street_address else "yes"
    return data


def meeting_guide(groups: Iterable[SupportGroupPage], *, members: bool, url_for=None) -> list:
    """The Meeting Guide array: one object per group that meets weekly."""
    url_for = url_for or (lambda group: None)
    meetings = (
        member_meeting(group, url=url_for(group)) if members else public_meeting(group)
        for group in groups
    )
    return [meeting for meeting in meetings if meeting is not None]


# iCalendar -----------------------------------------------------------------------------------


def _uid(group: SupportGroupPage, part: str) -> str:
    """Stable across requests and edits: the group's translation key and what the event is."""
    return f"{group.translation_key}-{part}@{UID_DOMAIN}"


def _location(group: SupportGroupPage) -> str:
    if not group.is_in_person:
        return "Online"
    parts = [group.location_name, group.address, group.city, group.state, group.postal_code]
    return ", ".join(part for part in parts if part)


def _description(group: SupportGroupPage, url: str | None) -> str:
    lines = [group.description.strip()]
    if group.is_online and group.online_url:
        lines.append(f"Join online: {group.online_url}")
        if group.online_url_notes:
            lines.append(group.online_url_notes)
    if group.is_online and group.phone:
        lines.append(f"Dial in: {group.phone}")
    if group.is_in_person and group.location_notes:
        lines.append(group.location_notes)
    if group.facilitator:
        lines.append(f"Facilitator: {group.facilitator}")
    if group.accessibility_notes:
        lines.append(group.accessibility_notes)
    if url:
        lines.append(url)
    return "\n".join(line for line in lines if line)


def _event(group, schedule, *, uid, start, url, stamp) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start.replace(hour=schedule.end_time.hour, minute=schedule.end_time.minute))
    event.add("summary", group.title)
    event.add("description", _description(group, url))
    event.add("location", _location(group))
    if url:
        event.add("url", url)
    return event


def group_events(group: SupportGroupPage, *, url: str | None = None) -> list[Event]:
    """One VEVENT for the weekly rules, one per monthly rule, one per single date."""
    schedule = group.schedule()
    zone = schedule.zone
    stamp = group.last_published_at or group.latest_revision_created_at or datetime.now(UTC)
    stamp = stamp.astimezone(UTC)
    until = None
    if schedule.ends_on:
        until = datetime.combine(schedule.ends_on, schedule.end_time, tzinfo=zone).astimezone(UTC)
    events = []

    def recurring(rules: list[schedules.Rule], part: str, byday: list[str], freq: str):
        sub = replace(schedule, rules=tuple(rules))
        firsts = [f for f in (schedules.first_occurrence(r, sub) for r in rules) if f]
        if not firsts:
            return
        event = _event(group, sub, uid=_uid(group, part), start=min(firsts), url=url, stamp=stamp)
        recur = {"freq": freq, "byday": byday}
        if until:
            recur["until"] = until
        event.add("rrule", recur)
        exdates = [
            datetime.combine(day, schedule.start_time, tzinfo=zone)
            for day in sorted(schedule.cancelled)
            if day >= min(firsts).date() and schedules.is_occurrence(sub, day)
        ]
        if exdates:
            event.add("exdate", exdates)
        events.append(event)

    weekly = [r for r in schedule.rules if r.kind == schedules.WEEKLY_RULE]
    if weekly:
        days = [schedules.ICAL_WEEKDAYS[d] for d in sorted({r.weekday for r in weekly})]
        recurring(weekly, "weekly", days, "weekly")
    for rule in schedule.rules:
        if rule.kind == schedules.MONTHLY_RULE:
            day = schedules.ICAL_WEEKDAYS[rule.weekday]
            recurring([rule], f"monthly-{rule.nth}-{day}", [f"{rule.nth}{day}"], "monthly")
        elif rule.kind == schedules.DATE_RULE and rule.on not in schedule.cancelled:
            start = datetime.combine(rule.on, schedule.start_time, tzinfo=zone)
            part = f"date-{rule.on:%Y%m%d}"
            events.append(
                _event(group, schedule, uid=_uid(group, part), start=start, url=url, stamp=stamp)
            )
    return events


def entry_event(entry, url: str | None = None) -> Event:
    """A VEVENT for another tool's entry (`calendar_sources.CalendarEntry`)."""
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", (entry.stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", entry.start)
    if entry.end:
        event.add("dtend", entry.end)
    event.add("summary", entry.summary)
    description = "\n".join(part for part in (entry.description.strip(), url or "") if part)
    if description:
        event.add("description", description)
    if entry.location:
        event.add("location", entry.location)
    if url:
        event.add("url", url)
    return event


def icalendar_feed(
    groups: Iterable[SupportGroupPage],
    *,
    name: str,
    url_for: Callable[[SupportGroupPage], str | None] | None = None,
    entries: Iterable = (),
    entry_url: Callable[[str], str] | None = None,
) -> bytes:
    """An RFC 5545 calendar of the groups (and other tools' `entries`), with a VTIMEZONE for
    every zone used."""
    url_for = url_for or (lambda group: None)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    first = None
    zones: list[str] = []
    for group in groups:
        for event in group_events(group, url=url_for(group)):
            calendar.add_component(event)
            start = event.start.date()
            first = start if first is None else min(first, start)
            if group.time_zone not in zones:
                zones.append(group.time_zone)
    for entry in entries:
        url = entry_url(entry.path) if entry_url and entry.path else None
        calendar.add_component(entry_event(entry, url))
        first = entry.start.date() if first is None else min(first, entry.start.date())
        if entry.time_zone not in zones:
            zones.append(entry.time_zone)
    if first is not None:
        # Each zone's changes from a year before the first meeting, as RFC 5545 writes them.
        since = first.replace(day=1) - timedelta(days=366)
        calendar.subcomponents[:0] = [vtimezone(zone, since) for zone in zones]
    return calendar.to_ical()
