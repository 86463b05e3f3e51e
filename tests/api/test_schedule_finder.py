"""`/api/v2/schedule/` with the group finder's filters (issue 15): the same names, values and
answers as the site's finder (`tests/community_pages/test_group_finder.py`), a 400 naming the
filter for a bad value, and nothing about groups the asker may not see."""

from __future__ import annotations

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

SMART = "SMART Recovery for care providers"  # hybrid, Boston, Tuesdays 19:00, accessible
CHECK_IN = "Peer check-in for outreach workers"  # online, Thursdays 12:00
FRONTLINE = {"space": "frontline"}


def _answer(client, query: dict) -> dict:
    response = client.get("/api/v2/schedule/", {**FRONTLINE, **query})
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()


def _groups(answer: dict) -> set[str]:
    return {item["group"]["title"] for item in answer["items"]}


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
        ({"accessible": "true"}, {SMART}),
        ({"accessible": "false"}, {SMART, CHECK_IN}),
    ],
)
def test_filters__the_same_meetings_as_the_sites_finder(api_client, client_for, query, expected):
    answer = _answer(api_client("frontline-member"), query)
    assert _groups(answer) == expected
    # The site's finder, asked the same, lists the same meetings (one <li> per meeting).
    site_query = {**query, "accessible": "on"} if query.get("accessible") == "true" else query
    site_query = {k: v for k, v in site_query.items() if (k, v) != ("accessible", "false")}
    html = client_for("frontline-member").get("/frontline/groups/", site_query).content.decode()
    for title in (SMART, CHECK_IN):
        listed = sum(1 for item in answer["items"] if item["group"]["title"] == title)
        assert html.count(f">{title}</a>") == listed


def test_filters__day_and_time_are_the_groups_own(api_client):
    for item in _answer(api_client("frontline-member"), {"day": "1", "time": "evening"})["items"]:
        start = date.fromisoformat(item["start"][:10])
        assert start.weekday() == 1 and int(item["start"][11:13]) >= 17


@pytest.mark.parametrize(("when", "days"), [("today", 1), ("week", 7)])
def test_when__today_and_this_week(api_client, when, days):
    answer = _answer(api_client("frontline-member"), {"when": when})
    today = timezone.localdate()
    assert answer["start"] == today.isoformat()
    assert answer["end"] == (today + timedelta(days=days - 1)).isoformat()
    assert all(
        today <= date.fromisoformat(item["start"][:10]) < today + timedelta(days=days)
        for item in answer["items"]
    )


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"when": "tomorrow"}, "When"),
        ({"when": "week", "start": "2027-01-01"}, "when"),
        ({"day": "9"}, "Day"),
        ({"day": "monday"}, "Day"),
        ({"time": "night"}, "Time of day"),
        ({"attendance": "teleport"}, "Format"),
        ({"kind": "x"}, "Kind of group"),
        ({"town": "Nowhere"}, "Town"),
        ({"language": "xx"}, "Language"),
        ({"accessible": "maybe"}, "accessible"),
        ({"town": ["Boston", "Boston"]}, "town"),
    ],
)
def test_bad_filter__a_400_naming_it_and_nothing_listed(api_client, query, named):
    response = api_client("frontline-member").get("/api/v2/schedule/", {**FRONTLINE, **query})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert set(body) == {"message"} and named in body["message"]


def test_bad_filter__in_the_askers_language(api_client):
    response = api_client("frontline-member").get(
        "/api/v2/schedule/", {"time": "night"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Momento del día" in response.json()["message"]


def test_town__of_a_group_you_may_not_see_answers_like_one_that_does_not_exist(api_client):
    """Quincy is a bereaved group's town: for a frontline member it does not exist."""
    member = api_client("frontline-member")
    hidden = member.get("/api/v2/schedule/", {"town": "Quincy"})
    missing = member.get("/api/v2/schedule/", {"town": "Atlantis"})
    assert hidden.status_code == missing.status_code == HTTPStatus.BAD_REQUEST
    assert hidden.json()["message"].replace("Quincy", "X") == missing.json()["message"].replace(
        "Atlantis", "X"
    )
    # The allowed case: its members find it.
    allowed = api_client("bereaved-member").get("/api/v2/schedule/", {"town": "Quincy"})
    assert allowed.status_code == HTTPStatus.OK and allowed.json()["items"]


def test_filters__never_list_another_communitys_groups(api_client):
    answer = api_client("bereaved-member").get("/api/v2/schedule/", {"when": "week"}).json()
    assert not {SMART, CHECK_IN} & _groups(answer)
