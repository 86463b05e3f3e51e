"""Schedules as pure functions: recurrence with dateutil's rrule, wall-clock time across DST,
and the validation messages editors see. No database."""

from datetime import date, time, timedelta

import pytest

from community_pages import schedules
from community_pages.schedules import (
    DATE_RULE,
    LAST,
    MONTHLY_RULE,
    WEEKLY_RULE,
    Rule,
    Schedule,
    ScheduleError,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def weekly(*days, **kwargs) -> Schedule:
    defaults = {"start_time": time(19, 0), "end_time": time(20, 30)}
    return Schedule(
        rules=tuple(Rule(WEEKLY_RULE, weekday=d) for d in days), **{**defaults, **kwargs}
    )


# Daylight-saving changes in America/New_York: 2026-03-08, 2026-11-01, 2027-03-14, 2027-11-07.
@pytest.mark.parametrize(
    ("before", "after", "offset_before", "offset_after"),
    [
        (date(2026, 3, 1), date(2026, 3, 15), -5, -4),
        (date(2026, 10, 25), date(2026, 11, 8), -4, -5),
        (date(2027, 3, 7), date(2027, 3, 21), -5, -4),
        (date(2027, 10, 31), date(2027, 11, 14), -4, -5),
    ],
)
def test_weekly_7pm__wall_clock_stays_across_dst_while_utc_offset_changes(
    before, after, offset_before, offset_after
):
    schedule = weekly(SUN)  # the changes happen on Sundays: the meeting that day too
    found = schedules.occurrences(schedule, before, after + timedelta(days=1))
    assert [o.day for o in found] == [before, before + timedelta(days=7), after]
    assert {(o.start.hour, o.start.minute) for o in found} == {(19, 0)}
    assert {(o.end.hour, o.end.minute) for o in found} == {(20, 30)}
    offsets = [o.start.utcoffset() / timedelta(hours=1) for o in found]
    assert offsets == [offset_before, offset_after, offset_after]
    utc_hours = [o.start.astimezone(schedules.ZoneInfo("UTC")).hour for o in found]
    assert utc_hours[0] != utc_hours[-1]  # the instant moves, the wall clock does not


def test_weekly_on_two_days():
    found = schedules.occurrences(weekly(MON, THU), date(2026, 11, 23), date(2026, 12, 7))
    assert [o.day for o in found] == [
        date(2026, 11, 23),
        date(2026, 11, 26),
        date(2026, 11, 30),
        date(2026, 12, 3),
    ]


@pytest.mark.parametrize(
    ("nth", "weekday", "expected"),
    [
        (2, THU, [date(2026, 12, 10), date(2027, 1, 14), date(2027, 2, 11)]),
        (1, MON, [date(2026, 12, 7), date(2027, 1, 4), date(2027, 2, 1)]),
        (LAST, MON, [date(2026, 12, 28), date(2027, 1, 25), date(2027, 2, 22)]),
        (4, FRI, [date(2026, 12, 25), date(2027, 1, 22), date(2027, 2, 26)]),
    ],
)
def test_monthly_nth_or_last_weekday(nth, weekday, expected):
    schedule = Schedule(
        rules=(Rule(MONTHLY_RULE, weekday=weekday, nth=nth),),
        start_time=time(12, 0),
        end_time=time(13, 0),
    )
    found = schedules.occurrences(schedule, date(2026, 12, 1), date(2027, 3, 1))
    assert [o.day for o in found] == expected


def test_single_dates_and_cancellations():
    schedule = Schedule(
        rules=(
            Rule(DATE_RULE, on=date(2026, 12, 12)),
            Rule(DATE_RULE, on=date(2027, 4, 17)),
            Rule(WEEKLY_RULE, weekday=WED),
        ),
        start_time=time(13, 0),
        end_time=time(16, 0),
        cancelled=frozenset({date(2026, 12, 16)}),
    )
    found = [o.day for o in schedules.occurrences(schedule, date(2026, 12, 10), date(2026, 12, 24))]
    assert found == [date(2026, 12, 12), date(2026, 12, 23)]  # the 16th is cancelled
    later = schedules.occurrences(schedule, date(2027, 4, 17), date(2027, 4, 18))
    assert [(o.day, o.start.hour) for o in later] == [(date(2027, 4, 17), 13)]


def test_starts_on_and_ends_on_bound_the_recurrence():
    schedule = weekly(TUE, starts_on=date(2026, 12, 8), ends_on=date(2026, 12, 22))
    found = [o.day for o in schedules.occurrences(schedule, date(2026, 11, 1), date(2027, 2, 1))]
    assert found == [date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22)]


def test_other_time_zone_keeps_its_own_wall_clock():
    schedule = weekly(TUE, time_zone="Europe/Lisbon")
    (found,) = schedules.occurrences(schedule, date(2026, 12, 1), date(2026, 12, 2))
    assert (found.start.hour, str(found.start.tzinfo)) == (19, "Europe/Lisbon")


def test_occurrences_by_day__one_entry_per_day_in_order():
    a, b = weekly(TUE), weekly(TUE, start_time=time(9, 0), end_time=time(10, 0))
    days = schedules.occurrences_by_day([("late", a), ("early", b)], date(2026, 11, 22), 28)
    assert len(days) == 28
    assert [day for day, _ in days] == [date(2026, 11, 22) + timedelta(days=n) for n in range(28)]
    tuesday = dict(days)[date(2026, 11, 24)]
    assert [item for _, item in tuesday] == ["early", "late"]


def test_empty_window():
    assert schedules.occurrences(weekly(TUE), date(2026, 12, 2), date(2026, 12, 1)) == []


# Validation ----------------------------------------------------------------------------------


def test_valid_schedule_has_no_errors():
    schedule = weekly(TUE, cancelled=frozenset({date(2026, 12, 22)}))
    assert schedules.schedule_errors(schedule) == {}
    schedules.validate(schedule)


def test_end_time_before_start_time():
    errors = schedules.schedule_errors(weekly(TUE, start_time=time(19), end_time=time(18)))
    assert "must be after the start time" in errors["end_time"][0]


def test_end_time_equal_to_start_time():
    assert "end_time" in schedules.schedule_errors(weekly(TUE, end_time=time(19)))


@pytest.mark.parametrize("nth", [5, 6, 0, None])
def test_fifth_tuesday_is_refused(nth):
    rule = Rule(MONTHLY_RULE, weekday=TUE, nth=nth)
    errors = schedules.rule_errors(rule)
    assert "nth" in errors
    if nth == 5:
        assert "5th weekday does not happen every month" in errors["nth"][0]
    with pytest.raises(ScheduleError):
        schedules.validate(
            Schedule(rules=(rule,), start_time=time(19), end_time=time(20)),
        )


@pytest.mark.parametrize(
    "name", ["Mars/Olympus_Mons", "", "../../etc/passwd", "america/new_york", "EST5EDT "]
)
def test_unknown_time_zone(name):
    errors = schedules.schedule_errors(weekly(TUE, time_zone=name))
    assert "Unknown time zone" in errors["time_zone"][0]
    with pytest.raises(ValueError):
        schedules.time_zone(name)


def test_cancelled_date_that_is_not_an_occurrence():
    errors = schedules.schedule_errors(weekly(TUE, cancelled=frozenset({date(2026, 12, 23)})))
    assert errors["cancelled"] == [
        "Wednesday 23 December 2026 is not a meeting date of this group, so it cannot be cancelled."
    ]


def test_cancelled_date_before_the_first_meeting():
    schedule = weekly(TUE, starts_on=date(2026, 12, 8), cancelled=frozenset({date(2026, 12, 1)}))
    assert "cancelled" in schedules.schedule_errors(schedule)


def test_rule_missing_its_fields():
    assert "weekday" in schedules.rule_errors(Rule(WEEKLY_RULE))
    assert "on" in schedules.rule_errors(Rule(DATE_RULE))
    assert "kind" in schedules.rule_errors(Rule("yearly"))


def test_no_rules():
    schedule = Schedule(rules=(), start_time=time(19), end_time=time(20))
    assert "rules" in schedules.schedule_errors(schedule)


def test_ends_on_before_starts_on():
    schedule = weekly(TUE, starts_on=date(2026, 12, 8), ends_on=date(2026, 12, 1))
    assert "ends_on" in schedules.schedule_errors(schedule)


def test_is_occurrence_ignores_cancellations():
    schedule = weekly(TUE, cancelled=frozenset({date(2026, 12, 22)}))
    assert schedules.is_occurrence(schedule, date(2026, 12, 22))
    assert not schedules.is_occurrence(schedule, date(2026, 12, 23))


def test_first_occurrence_is_in_the_zone():
    schedule = weekly(THU, starts_on=date(2026, 3, 2))
    first = schedules.first_occurrence(schedule.rules[0], schedule)
    assert first.date() == date(2026, 3, 5)
    assert (first.hour, str(first.tzinfo)) == (19, "America/New_York")


def test_describe_rule():
    assert schedules.describe_rule(Rule(WEEKLY_RULE, weekday=TUE)) == "Every Tuesday"
    assert (
        schedules.describe_rule(Rule(MONTHLY_RULE, weekday=MON, nth=LAST))
        == "The last Monday of each month"
    )
    assert (
        schedules.describe_rule(Rule(MONTHLY_RULE, weekday=THU, nth=2))
        == "The 2nd Thursday of each month"
    )


# Daylight-saving gaps and overlaps: refused, with the date and the time named ---------------


@pytest.mark.parametrize(
    ("schedule", "field", "words"),
    [
        # 02:30 does not exist on 2026-03-08 in New York (02:00 -> 03:00).
        (weekly(SUN, start_time=time(2, 30), end_time=time(3, 30)), "start_time", "skip 02:30"),
        # 01:30 happens twice on 2026-11-01 (02:00 EDT -> 01:00 EST): a 2 h 15 event otherwise.
        (weekly(SUN, start_time=time(1, 30), end_time=time(2, 45)), "start_time", "twice"),
        (weekly(SUN, start_time=time(0, 30), end_time=time(1, 30)), "end_time", "twice"),
        # The 2nd Sunday of March is New York's spring-forward day.
        (
            Schedule(
                rules=(Rule(MONTHLY_RULE, weekday=SUN, nth=2),),
                start_time=time(2, 15),
                end_time=time(3, 15),
            ),
            "start_time",
            "skip 02:15",
        ),
        # Another zone, another date: Lisbon springs forward at 01:00 on 2027-03-28.
        (
            Schedule(
                rules=(Rule(DATE_RULE, on=date(2027, 3, 28)),),
                start_time=time(1, 30),
                end_time=time(3, 0),
                time_zone="Europe/Lisbon",
            ),
            "start_time",
            "2027-03-28",
        ),
    ],
)
def test_dst_gap_or_overlap_on_a_meeting_date_is_refused(schedule, field, words):
    schedule = Schedule(**{**schedule.__dict__, "starts_on": date(2026, 1, 4)})
    errors = schedules.schedule_errors(schedule)
    assert words in " ".join(errors[field])


@pytest.mark.parametrize(
    "schedule",
    [
        weekly(MON, start_time=time(2, 30), end_time=time(3, 30)),  # changes fall on Sundays
        weekly(SUN, start_time=time(3, 0), end_time=time(4, 0)),  # 03:00 exists, once
        weekly(SUN, start_time=time(2, 30), end_time=time(3, 30), time_zone="Asia/Tokyo"),
        weekly(SUN, start_time=time(2, 30), end_time=time(3, 30), ends_on=date(2026, 3, 1)),
    ],
)
def test_dst__the_same_times_are_fine_where_no_change_meets_them(schedule):
    schedule = Schedule(**{**schedule.__dict__, "starts_on": date(2026, 1, 4)})
    assert schedules.schedule_errors(schedule) == {}
