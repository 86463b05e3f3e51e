"""The group finder on a group schedule (issue 15): filters by day, time of day, format, town,
kind, language and access; today / this week; tap-to-call dial-ins. Bad filters are a 400 that
names the field; the choices come only from the groups the reader may see."""

from __future__ import annotations

import re
from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.conftest import ANONYMOUS

SCHEDULE = "/frontline/groups/"
SMART = "SMART Recovery for care providers"  # hybrid, Boston, Tuesdays 19:00, accessible
CHECK_IN = "Peer check-in for outreach workers"  # online, Thursdays 12:00
DAY = re.compile(r'<h3><time datetime="(\d{4}-\d{2}-\d{2})">')


@pytest.fixture
def member(client_for):
    return client_for("frontline-member")


def _groups(response) -> set[str]:
    html = response.content.decode()
    return {title for title in (SMART, CHECK_IN) if f">{title}</a>" in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {SMART, CHECK_IN}),
        ({"attendance": "online"}, {CHECK_IN}),
        ({"attendance": "hybrid"}, {SMART}),
        ({"day": "1"}, {SMART}),  # Tuesday
        ({"day": "3", "time": "afternoon"}, {CHECK_IN}),  # Thursday, noon
        ({"time": "evening"}, {SMART}),
        ({"time": "morning"}, set()),
        ({"town": "Boston"}, {SMART}),
        ({"kind": "smart-recovery"}, {SMART}),
        ({"kind": "grief"}, set()),
        ({"language": "en"}, {SMART, CHECK_IN}),
        ({"accessible": "on"}, {SMART}),
    ],
)
def test_finder__filters_the_meetings(member, query, expected):
    response = member.get(SCHEDULE, query)
    assert response.status_code == HTTPStatus.OK
    assert _groups(response) == expected
    if not expected:
        assert "No meetings match these filters." in response.content.decode()


@pytest.mark.parametrize(("when", "days"), [("today", 1), ("week", 7), ("", 28)])
def test_finder__today_and_this_week_narrow_the_window(member, when, days):
    html = member.get(SCHEDULE, {"when": when} if when else {}).content.decode()
    today = timezone.localdate()
    shown = [date.fromisoformat(day) for day in DAY.findall(html)]
    assert all(today <= day < today + timedelta(days=days) for day in shown)
    if days == 28:
        assert len(shown) >= 4  # both groups meet weekly


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"when": "tomorrow"}, "When"),
        ({"day": "9"}, "Day"),
        ({"time": "night"}, "Time of day"),
        ({"attendance": "teleport"}, "Format"),
        ({"town": "Nowhere"}, "Town"),
        ({"town": "Quincy"}, "Town"),  # a town of the other community: unknown here too
        ({"language": "xx"}, "Language"),
    ],
)
def test_finder__bad_filter_is_a_400_naming_the_field(member, query, field):
    response = member.get(SCHEDULE, query)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert f"<li>{field}: " in html
    assert SMART not in html.split('role="alert"')[1]


def test_finder__town_choices_are_only_the_readers_groups(member):
    html = member.get(SCHEDULE).content.decode()
    assert '<option value="Boston">' in html
    assert "Quincy" not in html and "Worcester" not in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("frontline-member", HTTPStatus.OK),
        ("member-of-both", HTTPStatus.OK),
        ("staff", HTTPStatus.OK),
        ("bereaved-member", HTTPStatus.NOT_FOUND),
        ("applicant", HTTPStatus.NOT_FOUND),
        (ANONYMOUS, HTTPStatus.FOUND),
    ],
)
def test_finder__filtered_schedule_keeps_the_space_private(client_for, role, status):
    client = client_for(role)
    filtered = client.get(SCHEDULE, {"town": "Boston", "when": "week"})
    assert filtered.status_code == status
    # Denied the same way as a page that does not exist there.
    missing = client.get("/frontline/no-such-section/", {"town": "Boston"})
    if status != HTTPStatus.OK:
        assert missing.status_code == status
        assert SMART not in filtered.content.decode()


def test_schedule__dial_in_is_tap_to_call_and_zone_shown(member):
    html = member.get(SCHEDULE).content.decode()
    assert 'href="tel:+16465550100,,5550100001%23"' in html
    assert re.search(r"19:00–20:30 E[SD]T", html)


def test_group_page__adds_that_one_group_to_a_calendar(member):
    html = member.get("/frontline/groups/smart-recovery/").content.decode()
    assert 'href="/feeds/frontline/groups/smart-recovery.ics"' in html
