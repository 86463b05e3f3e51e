"""Support-group schedules: recurrence rules, their validation and their occurrences.

Pure functions over plain values (no database), so they are tested without pages. The
recurrence itself is dateutil's `rrule`/`rruleset` (https://dateutil.readthedocs.io/en/stable/
rrule.html), not an engine of our own.

Times are *wall-clock* times in the group's time zone: a group that meets at 7pm meets at 7pm
in March and in November. So recurrences are expanded on naive local datetimes and only then
given the zone (`ZoneInfo`), which picks the UTC offset in force on that date. Expanding on
aware datetimes would keep the UTC instant fixed and move the meeting by an hour across a
daylight-saving change.

Meetings end on the day they start (an end time after the start time): there are no overnight
groups, and a rule that allowed them would make "end before start" impossible to catch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil.rrule import MONTHLY, WEEKLY, rrule, rruleset, weekday
from django.utils.translation import gettext as _

DEFAULT_TIME_ZONE = "America/New_York"

WEEKLY_RULE = "weekly"
MONTHLY_RULE = "monthly"
DATE_RULE = "date"
RULE_KINDS = (WEEKLY_RULE, MONTHLY_RULE, DATE_RULE)

# Which week of the month: the first four, or the last. A "5th Tuesday" happens in only some
# months, so a group cannot promise it; "last" is what such groups mean.
NTH_CHOICES = (1, 2, 3, 4, -1)
LAST = -1

# Weekdays as Python and dateutil number them: Monday is 0.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# How far ahead a cancelled date may be checked against the rules (and a schedule expanded).
HORIZON_DAYS = 3 * 366


class ScheduleError(ValueError):
    """A schedule that cannot be kept: `errors` maps a field name to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(m for messages in errors.values() for m in messages))


@dataclass(frozen=True)
class Rule:
    """One line of a schedule: weekly on a weekday, monthly on the nth weekday, or one date."""

    kind: str
    weekday: int | None = None  # 0 = Monday … 6 = Sunday
    nth: int | None = None  # 1–4, or -1 for the last
    on: date | None = None  # a single date


@dataclass(frozen=True)
class Schedule:
    rules: tuple[Rule, ...]
    start_time: time
    end_time: time
    time_zone: str = DEFAULT_TIME_ZONE
    starts_on: date | None = None  # no occurrence of a recurring rule before this date
    ends_on: date | None = None  # nor after this one
    cancelled: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return time_zone(self.time_zone)


@dataclass(frozen=True)
class Occurrence:
    start: datetime  # aware, in the group's zone
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()


# Validation ----------------------------------------------------------------------------------


def time_zone(name: str) -> ZoneInfo:
    """The zone of that IANA name; ValueError for anything else (never a file path)."""
    if not name or name not in _zone_names():
        raise ValueError(f"Unknown time zone: {name!r}. Use a name such as America/New_York.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:  # pragma: no cover - listed but absent
        raise ValueError(f"Unknown time zone: {name!r}.") from error


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def rule_errors(rule: Rule) -> dict[str, list[str]]:
    """What is wrong with one rule, by field ({} when nothing is)."""
    errors: dict[str, list[str]] = {}
    if rule.kind not in RULE_KINDS:
        errors["kind"] = [f"Unknown kind of rule: {rule.kind!r}."]
        return errors
    if rule.kind in (WEEKLY_RULE, MONTHLY_RULE) and rule.weekday not in range(7):
        errors["weekday"] = ["Choose the day of the week the group meets."]
    if rule.kind == MONTHLY_RULE and rule.nth not in NTH_CHOICES:
        if isinstance(rule.nth, int) and rule.nth >= 5:
            errors["nth"] = [
                f"A {rule.nth}th weekday does not happen every month: choose the 1st to 4th, "
                "or the last."
            ]
        else:
            errors["nth"] = ["Choose which week of the month: the 1st to 4th, or the last."]
    if rule.kind == DATE_RULE and rule.on is None:
        errors["on"] = ["Give the date of the meeting."]
    return errors


def schedule_errors(schedule: Schedule) -> dict[str, list[str]]:
    """Everything wrong with a schedule, by field, with messages an editor can act on."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    try:
        time_zone(schedule.time_zone)
    except ValueError as error:
        add("time_zone", str(error))
    if schedule.start_time and schedule.end_time and schedule.end_time <= schedule.start_time:
        add(
            "end_time",
            f"The end time ({schedule.end_time:%H:%M}) must be after the start time "
            f"({schedule.start_time:%H:%M}); meetings end on the day they start.",
        )
    if schedule.starts_on and schedule.ends_on and schedule.ends_on < schedule.starts_on:
        add("ends_on", "The last date must not be before the first date.")
    broken = False
    for rule in schedule.rules:
        for messages in rule_errors(rule).values():
            broken = True
            for message in messages:
                add("rules", message)
    if not schedule.rules:
        add("rules", "Add at least one schedule rule: weekly, monthly or a single date.")
    if not errors.get("time_zone") and not broken and not errors.get("end_time"):
        for name, message in clock_change_errors(schedule):
            add(name, message)
        for day in sorted(schedule.cancelled):
            if not is_occurrence(schedule, day):
                add(
                    "cancelled",
                    f"{day:%A %d %B %Y} is not a meeting date of this group, so it cannot be "
                    "cancelled.",
                )
    return errors


def _clock_change_days(schedule: Schedule) -> list[date]:
    """Dates, within the horizon, on which the zone's UTC offset changes (and the day before,
    for a change at midnight), plus every single date: where a wall-clock time may not exist
    or may happen twice."""
    zone = schedule.zone
    first = schedule.starts_on or date.today()
    last = first + timedelta(days=HORIZON_DAYS)
    if schedule.ends_on:
        last = min(last, schedule.ends_on)
    days = {rule.on for rule in schedule.rules if rule.kind == DATE_RULE and rule.on}
    day = first - timedelta(days=1)
    offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
    while day < last:
        day += timedelta(days=1)
        following = datetime.combine(day, time(12), tzinfo=zone).utcoffset()
        if following != offset:
            days |= {day - timedelta(days=1), day}
            offset = following
    return sorted(days)


def wall_clock_problem(day: date, moment: time, zone: ZoneInfo) -> str | None:
    """ "gap" when clocks skip that local time on that day, "overlap" when it happens twice."""
    local = datetime.combine(day, moment, tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return "gap"
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        return "overlap"
    return None


def clock_change_errors(schedule: Schedule) -> list[tuple[str, str]]:
    """[(field, message)]: a start or end time that a daylight-saving change skips or repeats
    on a meeting date. Such a meeting would be a zero-length or an hour-longer event; the
    editor chooses another time instead (docs/feeds.md)."""
    zone = schedule.zone
    found: dict[str, str] = {}
    for day in _clock_change_days(schedule):
        if not is_occurrence(schedule, day):
            continue
        for name, moment in (("start_time", schedule.start_time), ("end_time", schedule.end_time)):
            problem = wall_clock_problem(day, moment, zone)
            if problem and name not in found:
                text = (
                    _(
                        "On %(day)s the clocks in %(zone)s skip %(time)s: that time does not "
                        "exist that day. Choose a time outside the change (for example an "
                        "hour later)."
                    )
                    if problem == "gap"
                    else _(
                        "On %(day)s the clocks in %(zone)s go back and %(time)s happens twice. "
                        "Choose a time outside the change (for example an hour later)."
                    )
                )
                found[name] = text % {
                    "day": f"{day:%Y-%m-%d}",
                    "zone": schedule.time_zone,
                    "time": f"{moment:%H:%M}",
                }
    return list(found.items())


def validate(schedule: Schedule) -> None:
    errors = schedule_errors(schedule)
    if errors:
        raise ScheduleError(errors)


# Recurrence ----------------------------------------------------------------------------------


def _byweekday(rule: Rule) -> weekday:
    day = weekday(rule.weekday)
    return day(rule.nth) if rule.kind == MONTHLY_RULE else day


def rule_rrule(rule: Rule, schedule: Schedule, *, anchor: date) -> rrule:
    """The dateutil rule for a recurring rule, on naive local datetimes from `anchor`."""
    start = datetime.combine(max(anchor, schedule.starts_on or anchor), schedule.start_time)
    until = datetime.combine(schedule.ends_on, schedule.start_time) if schedule.ends_on else None
    freq = WEEKLY if rule.kind == WEEKLY_RULE else MONTHLY
    return rrule(freq, dtstart=start, byweekday=_byweekday(rule), until=until)


def _ruleset(schedule: Schedule, *, anchor: date, with_cancellations: bool = True) -> rruleset:
    rules = rruleset()
    for rule in schedule.rules:
        if rule.kind == DATE_RULE:
            if rule.on is not None:
                rules.rdate(datetime.combine(rule.on, schedule.start_time))
        else:
            rules.rrule(rule_rrule(rule, schedule, anchor=anchor))
    if with_cancellations:
        for day in schedule.cancelled:
            rules.exdate(datetime.combine(day, schedule.start_time))
    return rules


def _occurrence(schedule: Schedule, zone: ZoneInfo, local_start: datetime) -> Occurrence:
    day = local_start.date()
    return Occurrence(
        start=datetime.combine(day, schedule.start_time, tzinfo=zone),
        end=datetime.combine(day, schedule.end_time, tzinfo=zone),
    )


def occurrences(schedule: Schedule, start: date, end: date) -> list[Occurrence]:
    """Meetings on dates `start` ≤ day < `end` (local dates), cancelled ones left out."""
    if end <= start:
        return []
    zone = schedule.zone
    rules = _ruleset(schedule, anchor=start - timedelta(days=1))
    window = rules.between(
        datetime.combine(start, time.min), datetime.combine(end, time.min), inc=True
    )
    found = [_occurrence(schedule, zone, local) for local in window]
    return [o for o in found if start <= o.day < end]


def is_occurrence(schedule: Schedule, day: date) -> bool:
    """Would the group meet on this date if nothing were cancelled?"""
    rules = _ruleset(schedule, anchor=day - timedelta(days=1), with_cancellations=False)
    moment = datetime.combine(day, schedule.start_time)
    return bool(rules.between(moment, moment, inc=True))


def first_occurrence(rule: Rule, schedule: Schedule) -> datetime | None:
    """The first meeting of one recurring rule, aware, in the group's zone (for DTSTART)."""
    anchor = schedule.starts_on or date.today()
    found = rule_rrule(rule, schedule, anchor=anchor).after(
        datetime.combine(anchor, time.min), inc=True
    )
    if found is None:
        return None
    return _occurrence(schedule, schedule.zone, found).start


def occurrences_by_day(
    schedules: Iterable[tuple[object, Schedule]], start: date, days: int
) -> list[tuple[date, list[tuple[Occurrence, object]]]]:
    """[(day, [(occurrence, item), ...]), ...] for every day in the window, earliest first.

    `item` is whatever the caller pairs with each schedule (a group page, say).
    """
    end = start + timedelta(days=days)
    by_day: dict[date, list[tuple[Occurrence, object]]] = {
        start + timedelta(days=n): [] for n in range(days)
    }
    for item, schedule in schedules:
        for occurrence in occurrences(schedule, start, end):
            by_day[occurrence.day].append((occurrence, item))
    for entries in by_day.values():
        entries.sort(key=lambda pair: pair[0].start)
    return list(by_day.items())


def describe_rule(rule: Rule) -> str:
    """A plain-English line for a rule (used in feed notes and summaries)."""
    if rule.kind == WEEKLY_RULE:
        return f"Every {WEEKDAY_NAMES[rule.weekday]}"
    if rule.kind == MONTHLY_RULE:
        which = "last" if rule.nth == LAST else {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}[rule.nth]
        return f"The {which} {WEEKDAY_NAMES[rule.weekday]} of each month"
    return f"{rule.on:%A %d %B %Y}"
