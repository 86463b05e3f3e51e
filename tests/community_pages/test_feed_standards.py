"""The feeds checked by references this project did not write, with the demo and edge groups.

- Meeting Guide: the specification's rules as a JSON Schema (`meeting_guide_schema.py`), and
  what its consumers would show (the 12 Step Meeting List importer's attendance rule): every
  public entry must be shown as a meeting someone can attend, never "inactive".
- iCalendar: three independent parsers (icalendar, vobject in strict mode, ics) read every
  calendar; recurring-ical-events (on icalendar) and vobject (on dateutil) expand every group
  over a year that holds both daylight-saving changes, and must give exactly the meetings of
  the schedule API.
- The editor is told why a public group is left out, and which links apps drop.

Edge groups (built once for the module, rolled back after it): a DST gap and an overlap saved
before the editor refused them, a hybrid group with its address withheld, an in-person group
with its address withheld, an unrecognised video host, a "how to join" page alone, a monthly
last weekday in Lisbon, a weekly group in Los Angeles, and one-off dates with one cancelled.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from http import HTTPStatus

import icalendar
import ics
import jsonschema
import pytest
import recurring_ical_events
import vobject
from django.contrib.messages import get_messages
from django.test import Client
from wagtail.models import Page

from community_pages.meeting_guide import FEED_CONTENT
from community_pages.models import SupportGroupPage
from community_pages.schedules import DATE_RULE, LAST, MONTHLY_RULE, WEEKLY_RULE
from community_pages.services import support_group_create
from tests.community_pages.meeting_guide_schema import FEED, attendance_option
from tests.community_pages.test_feeds import assert_meeting_guide
from tests.conftest import SPACES, shared_setup

# With the `db` mark these run among the database tests, before the transactional ones that
# empty the database (pytest-django orders tests with no database mark last), and each test's
# changes are undone before the next.
pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
# A year holding New York's 2027 changes (03-14, 11-07) and Lisbon's (03-28, 10-31); the API's
# longest window (366 days, both ends included).
WINDOW = (date(2026, 12, 1), date(2027, 11, 30))
CHANGE_DAYS = {date(2027, 3, 14), date(2027, 11, 7), date(2027, 3, 28), date(2027, 10, 31)}
Kind, Attendance = SupportGroupPage.Kind, SupportGroupPage.Attendance
BASE = {
    "kind": Kind.OTHER,
    "start_time": time(18),
    "end_time": time(19),
    "address": "5 Mill St",
    "city": "Lowell",
}
EDGES = {
    "edge-hybrid-withheld": (
        [(WEEKLY_RULE, FRI, None, None)],
        (),
        {
            "attendance": Attendance.HYBRID,
            "is_public": True,
            "address": "1 Elm St",
            "online_url": "https://zoom.us/j/5550100070",
            "public_conference_url": "https://us02web.zoom.us/j/5550100077",
            "wheelchair_accessible": True,
        },
    ),
    "edge-in-person-withheld": (
        [(WEEKLY_RULE, WED, None, None)],
        (),
        {"attendance": Attendance.IN_PERSON, "is_public": True, "address": "9 Secret Rd"},
    ),
    "edge-unrecognised-host": (
        [(WEEKLY_RULE, THU, None, None)],
        (),
        {
            "attendance": Attendance.ONLINE,
            "is_public": True,
            "online_url": "https://video.example.org/room/members",
            "public_conference_url": "https://video.example.org/room/5",
        },
    ),
    "edge-join-page-only": (
        [(WEEKLY_RULE, TUE, None, None)],
        (),
        {
            "attendance": Attendance.ONLINE,
            "is_public": True,
            "online_url": "https://meet.jit.si/edge-members",
            "public_join_url": "https://example.org/how-to-join",
        },
    ),
    "edge-lisbon-last-friday": (
        [(MONTHLY_RULE, FRI, LAST, None)],
        (),
        {"time_zone": "Europe/Lisbon", "start_time": time(19), "end_time": time(20)},
    ),
    "edge-los-angeles": (
        [(WEEKLY_RULE, SUN, None, None)],
        (),
        {
            "time_zone": "America/Los_Angeles",
            "start_time": time(3),  # just after the spring gap
            "end_time": time(4),
            "is_public": True,
            "publish_address": True,
            "address": "100 Spring St",
            "city": "Los Angeles",
            "state": "CA",
        },
    ),
    "edge-one-off-cancelled": (
        [(DATE_RULE, None, None, date(2027, 3, 14)), (DATE_RULE, None, None, date(2027, 5, 1))],
        (date(2027, 5, 1),),
        {},
    ),
    # Saved before the editor refused such times (set below, past the validation): the feeds
    # and the API follow RFC 5545 alike (docs/feeds.md).
    "edge-dst-gap": ([(WEEKLY_RULE, SUN, None, None)], (), {}),
    "edge-dst-overlap": ([(WEEKLY_RULE, SUN, None, None)], (), {}),
}
LEGACY_TIMES = {
    "edge-dst-gap": (time(2, 30), time(3, 30)),
    "edge-dst-overlap": (time(1, 15), time(1, 45)),
}


@pytest.fixture(scope="module")
def edges(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        parent = Page.objects.get(url_path="/home/common-ground/groups/").specific
        for slug, (rules, cancelled, fields) in EDGES.items():
            support_group_create(
                parent=parent,
                rules=rules,
                cancelled=cancelled,
                title=slug.replace("-", " ").capitalize(),
                slug=slug,
                starts_on=date(2026, 1, 4),
                **{**BASE, **fields},
            )
        for slug, (start, end) in LEGACY_TIMES.items():
            SupportGroupPage.objects.filter(slug=slug).update(start_time=start, end_time=end)
        yield


def _public(client):
    return {m["name"]: m for m in client.get("/feeds/public/meetings.json").json()}


# Meeting Guide --------------------------------------------------------------------------------


def test_meeting_guide__every_feed_passes_the_spec_schema(edges, client_for):
    staff = client_for("staff")
    feeds = [staff.get(f"/feeds/{space}/meetings.json").json() for space in SPACES]
    public = Client().get("/feeds/public/meetings.json").json()
    for data in [*feeds, public]:
        jsonschema.validate(data, FEED, format_checker=jsonschema.FormatChecker())
        assert_meeting_guide(data)
    # What a consumer shows: never an entry it would call inactive. In members' feeds, only the
    # group whose editor is warned that its link's host is not recognised (its link is in the
    # notes, where members find it).
    assert all(attendance_option(m) != "inactive" for m in public)
    # The OpenAPI document describes these feeds with the same schema (arrays of entries).
    paths = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for url in ("/feeds/public/meetings.json", "/feeds/{space_slug}/meetings.json"):
        documented = paths[url]["get"]["responses"]["200"]["content"]
        assert documented == json.loads(json.dumps(FEED_CONTENT))
    inactive = {m["name"] for data in feeds for m in data if attendance_option(m) == "inactive"}
    assert inactive == {"Edge unrecognised host"}
    (unrecognised,) = [m for m in feeds[2] if m["name"] == "Edge unrecognised host"]
    assert "Join online: https://video.example.org/room/members" in unrecognised["notes"]


def test_public_feed__lists_only_meetings_with_a_way_in_they_published(edges):
    public = _public(Client())
    hybrid = public["Edge hybrid withheld"]  # listed online: its address stays private
    assert hybrid["conference_url"] == "https://us02web.zoom.us/j/5550100077"
    assert hybrid["approximate"] == "yes" and "address" not in hybrid
    assert "X" not in hybrid["types"]  # wheelchair access says nothing without the room
    assert attendance_option(hybrid) == "online"
    los_angeles = public["Edge los angeles"]
    assert los_angeles["timezone"] == "America/Los_Angeles" and los_angeles["time"] == "03:00"
    assert attendance_option(los_angeles) == "in_person"
    for left_out in ("in person withheld", "unrecognised host", "join page only", "dst gap"):
        assert f"Edge {left_out}" not in public
    body = Client().get("/feeds/public/meetings.json").content.decode()
    for secret in ("9 Secret Rd", "1 Elm St", "5550100070", "video.example.org", "edge-members"):
        assert secret not in body


def test_public_feed__the_denied_twin_is_listed_once_it_publishes_a_way_in(edges):
    SupportGroupPage.objects.filter(slug="edge-join-page-only").update(
        public_conference_phone="+15085550143"
    )
    SupportGroupPage.objects.filter(slug="edge-in-person-withheld").update(publish_address=True)
    public = _public(Client())
    joined = public["Edge join page only"]
    assert joined["conference_phone"] == "+15085550143"
    assert joined["url"] == "https://example.org/how-to-join"
    assert public["Edge in person withheld"]["address"] == "9 Secret Rd"


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("edge-in-person-withheld", "needs its street address"),
        ("edge-unrecognised-host", "video.example.org, which Meeting Guide apps do not"),
        ("edge-join-page-only", "a “how to join” page alone does not count"),
        ("edge-hybrid-withheld", "The public meetings feed lists this group"),
        ("edge-lisbon-last-friday", "“listed publicly” is not ticked"),
    ],
)
def test_editor__the_panel_says_whether_and_why_not(edges, client_for, slug, words):
    group = SupportGroupPage.objects.get(slug=slug)
    response = client_for("staff").get(f"/admin/pages/{group.pk}/edit/")
    assert response.status_code == HTTPStatus.OK
    assert words in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_editor__saving_a_public_group_that_is_left_out_says_why(edges, client_for):
    from tests.community_pages.test_support_groups import (  # noqa: PLC0415 - one helper, no cycle
        WEEKLY_TUESDAY,
        _post_group,
    )

    parent = SupportGroupPage.objects.get(slug="edge-dst-gap").get_parent()
    response = _post_group(
        client_for("staff"), parent, rules=WEEKLY_TUESDAY, is_public="on", address="2 Oak St"
    )
    assert response.status_code == HTTPStatus.FOUND
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("needs its street address" in m for m in messages), messages


# iCalendar ------------------------------------------------------------------------------------


def _calendars(client_for) -> dict[str, bytes]:
    staff = client_for("staff")
    return {space: staff.get(f"/feeds/{space}/meetings.ics").content for space in SPACES}


def _meetings_only(raw: bytes) -> bytes:
    """The calendar without its gatherings (the demo's potluck), which the schedule API, a
    list of support groups' meetings, does not hold."""
    event = rb"BEGIN:VEVENT\r\n(?:(?!END:VEVENT).)*?\r\nUID:gathering-.*?END:VEVENT\r\n"
    return re.sub(event, b"", raw, flags=re.DOTALL)


def _api(client_for, space) -> dict[str, list[tuple[datetime, datetime]]]:
    data = (
        client_for("staff")
        .get("/api/v2/schedule/", {"space": space, "start": WINDOW[0], "end": WINDOW[1]})
        .json()
    )
    meetings: dict[str, list] = {}
    for item in data["items"]:
        start, end = (datetime.fromisoformat(item[k]).astimezone(UTC) for k in ("start", "end"))
        meetings.setdefault(item["group"]["title"], []).append((start, end))
    return {title: sorted(found) for title, found in meetings.items()}


def _bounds():
    return (
        datetime.combine(WINDOW[0], time.min, tzinfo=UTC) - timedelta(days=1),
        datetime.combine(WINDOW[1], time.max, tzinfo=UTC) + timedelta(days=1),
    )


def _in_window(start: datetime, zone) -> bool:
    return WINDOW[0] <= start.astimezone(zone).date() <= WINDOW[1]


def _expanded_by_recurring_ical_events(raw: bytes) -> dict[str, list]:
    calendar = icalendar.Calendar.from_ical(raw)
    found: dict[str, list] = {}
    for event in recurring_ical_events.of(calendar).between(*_bounds()):
        if _in_window(event.start, event.start.tzinfo):
            found.setdefault(str(event["SUMMARY"]), []).append(
                (event.start.astimezone(UTC), event.end.astimezone(UTC))
            )
    return {title: sorted(meetings) for title, meetings in found.items()}


def _expanded_by_vobject(raw: bytes) -> dict[str, list]:
    """vobject's rruleset gives wall-clock times; the calendar's own VTIMEZONE (read by
    vobject, through dateutil) places them in time."""
    calendar = vobject.readOne(raw.decode(), validate=True)  # strict: raises on a bad calendar
    zones = {tz.tzid.value: tz.gettzinfo() for tz in calendar.vtimezone_list}
    found: dict[str, list] = {}
    low, high = _bounds()
    for event in calendar.vevent_list:
        raw_tz = event.dtstart.value.tzinfo
        zone = zones[getattr(raw_tz, "_tzid", None) or raw_tz.zone]
        length = event.dtend.value.replace(tzinfo=None) - event.dtstart.value.replace(tzinfo=None)
        rules = event.getrruleset(addRDate=True)
        starts = rules.between(low, high, inc=True) if rules else [event.dtstart.value]
        for start in starts:
            local = start.replace(tzinfo=None)
            if WINDOW[0] <= local.date() <= WINDOW[1]:
                found.setdefault(event.summary.value, []).append(
                    (
                        local.replace(tzinfo=zone).astimezone(UTC),
                        (local + length).replace(tzinfo=zone).astimezone(UTC),
                    )
                )
    return {title: sorted(meetings) for title, meetings in found.items()}


@pytest.mark.parametrize("space", SPACES)
def test_ics__recurring_ical_events_expands_exactly_the_schedule_api(edges, client_for, space):
    raw = _meetings_only(_calendars(client_for)[space])
    expected = _api(client_for, space)
    assert expected  # every space has meetings in the window
    assert _expanded_by_recurring_ical_events(raw) == expected


@pytest.mark.parametrize("space", SPACES)
def test_ics__vobject_strict_expands_the_schedule_api(edges, client_for, space):
    """The same, but dateutil reads a skipped or repeated wall-clock time with the offset after
    the change where RFC 5545 takes the one before: only those two legacy groups, only on the
    change days, may differ (the editor refuses such times now)."""
    raw = _meetings_only(_calendars(client_for)[space])
    expected = _api(client_for, space)
    legacy = {title for title in expected if title.startswith("Edge dst")}

    def usual(meetings):
        return {
            title: [m for m in found if title not in legacy or m[0].date() not in CHANGE_DAYS]
            for title, found in meetings.items()
        }

    assert usual(_expanded_by_vobject(raw)) == usual(expected)


@pytest.mark.parametrize("space", SPACES)
def test_ics__the_ics_library_reads_every_event_as_icalendar_does(edges, client_for, space):
    raw = _calendars(client_for)[space]
    reference = sorted(
        (
            str(e["SUMMARY"]),
            e["DTSTART"].dt.astimezone(UTC),
            e["DTEND"].dt.astimezone(UTC),
        )
        for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")
    )
    parsed = sorted(
        (event.name, event.begin.datetime.astimezone(UTC), event.end.datetime.astimezone(UTC))
        for event in ics.Calendar(raw.decode()).events
    )
    assert parsed == reference and parsed


def _rdates(component) -> list[datetime]:
    values = component.get("RDATE", [])
    return [d.dt for value in (values if isinstance(values, list) else [values]) for d in value.dts]


def test_ics__edge_groups_as_rfc_5545_says(edges, client_for):
    raw = _calendars(client_for)["common-ground"]
    calendar = icalendar.Calendar.from_ical(raw)
    events = {}
    for event in calendar.walk("VEVENT"):
        events.setdefault(str(event["SUMMARY"]), []).append(event)
    (lisbon,) = events["Edge lisbon last friday"]
    assert lisbon["RRULE"]["BYDAY"] == ["-1FR"] and lisbon["DTSTART"].params["TZID"] == (
        "Europe/Lisbon"
    )
    one_off = events["Edge one off cancelled"]
    assert [e["DTSTART"].dt.date() for e in one_off] == [date(2027, 3, 14)]  # 05-01 cancelled
    # The documented rule for a time saved in a gap: the offset before it (02:30 EST = 03:30
    # EDT), the same instant in the API and in the calendar: a zero-length meeting that day.
    api = _api(client_for, "common-ground")
    change = [m for m in api["Edge dst gap"] if m[0].date() == date(2027, 3, 14)]
    assert change == [(datetime(2027, 3, 14, 7, 30, tzinfo=UTC),) * 2]
    # VTIMEZONE: spring-forward at 02:00 local, from -0500 (New York), 01:00 from +0000 (Lisbon).
    zones = {str(tz["TZID"]): tz for tz in calendar.walk("VTIMEZONE")}
    assert set(zones) == {"America/New_York", "America/Los_Angeles", "Europe/Lisbon"}
    for name, hour, offset in (("America/New_York", 2, -5), ("Europe/Lisbon", 1, 0)):
        (spring,) = [
            sub
            for sub in zones[name].walk("DAYLIGHT")
            if sub["TZOFFSETFROM"].td == timedelta(hours=offset)
        ]
        starts = [spring["DTSTART"].dt, *_rdates(spring)]
        assert starts and all(s.hour == hour and s.minute == 0 for s in starts), starts


def test_ics__vtimezone_lines_as_rfc_5545_example(edges, client_for):
    raw = _calendars(client_for)["frontline"].decode()
    unfolded = raw.replace("\r\n ", "")
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20250309T020000\r\nRDATE:20260308T020000\r\n" in unfolded
    assert "TZNAME:EDT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n" in unfolded
    assert "RDATE:20261101T020000\r\n" in unfolded  # fall back at 02:00 EDT, as the RFC's example
