"""Feeds, parsed back as their standards say: Meeting Guide JSON and iCalendar (RFC 5545).

The access matrix: every role × every space × every feed × (session, personal token, nothing,
revoked token). A denied feed is a 404 like a missing one. Allowed and denied cases share the
same demo data and differ only in who asks and how.
"""

import json
import re
from datetime import date, time
from http import HTTPStatus
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from community_pages.models import FeedToken, SupportGroupPage
from community_pages.schedules import MONTHLY_RULE, WEEKLY_RULE
from community_pages.services import feed_token_create, feed_token_revoke, support_group_create
from tests.conftest import ALL_ROLES, ANONYMOUS, SEES, SPACES

# A weekly group in each space: its name must never appear in a denied answer.
GROUP = {
    "frontline": ("smart-recovery", "SMART Recovery for care providers"),
    "bereaved": ("grief-circle", "Grief circle: after a death from substance use"),
    "common-ground": ("refuge-recovery", "Refuge Recovery"),
}
FEEDS = {
    "json": "/feeds/{space}/meetings.json",
    "ics": "/feeds/{space}/meetings.ics",
    "group-ics": "/feeds/{space}/groups/{group}.ics",
}
AUTHS = ["session", "token", "none", "revoked-token"]

# Meeting Guide type codes, from the spec's data/types.json (github.com/code4recovery/spec).
SPEC_TYPE_LIST = (
    "11 12x12 A ABSI AF AL AL-AN AM AR ASL B BA BE BG BI BRK C CAN CF D DA DB DD DE DR EL EN "
    "FA FI FF FR G GR H HE HI HR HU IS ITA JA KA KOR L LGBTQ LIT LS LT M MED ML MT N NB NDG NE "
    "NL NO O OUT P POA POC POL POR PUN RUS S SEN SK SL SM SP ST SV T TC TH TL TR TUR UK W X XB "
    "XT Y"
)
SPEC_TYPES = set(SPEC_TYPE_LIST.split())
assert len(SPEC_TYPES) == 87
SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
UPDATED = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
CONFERENCE_HOSTS = ("zoom.us", "meet.google.com", "meet.jit.si", "teams.microsoft.com")


def _url(kind, space):
    return FEEDS[kind].format(space=space, group=GROUP[space][0])


def _assert_feed_headers(response):
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def _get(client_for, user, role, auth, url):
    """The feed as `role` asks for it with the given kind of credentials."""
    if auth == "session":
        return client_for(role).get(url)
    if auth == "none":
        return Client().get(url)
    token = feed_token_create(user=user(role))
    if auth == "revoked-token":
        feed_token_revoke(user=user(role))
    return Client().get(url, {"token": token})


def test_every_role_is_in_the_matrix():
    assert set(SEES) == set(ALL_ROLES)


MATRIX = [
    (role, space, kind, auth)
    for role in ALL_ROLES
    for space in SPACES
    for kind in FEEDS
    for auth in AUTHS
    if not (role == ANONYMOUS and auth in ("token", "revoked-token"))  # a visitor has no token
]


@pytest.fixture(scope="module")
def unsigned_answers(django_db_setup):
    """{URL: response} of the feeds asked with no credentials. Every role's "none" case, and the
    visitor's "session" one, is that same request (a client that never signed in): it is asked
    once for the module, and each case checks the answer as before."""
    return {}


@pytest.mark.parametrize(("role", "space", "kind", "auth"), MATRIX)
def test_feed_access_matrix(client_for, user, unsigned_answers, role, space, kind, auth):
    url = _url(kind, space)
    if auth == "none" or role == ANONYMOUS:
        if url not in unsigned_answers:
            unsigned_answers[url] = Client().get(url)
        response = unsigned_answers[url]
    else:
        response = _get(client_for, user, role, auth, url)
    allowed = space in SEES[role] and auth in ("session", "token")
    _assert_feed_headers(response)
    name = GROUP[space][1]
    if allowed:
        assert response.status_code == HTTPStatus.OK
        assert name in response.content.decode().replace("\r\n ", "")
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert name not in response.content.decode()


@pytest.mark.parametrize(
    ("holder", "space", "allowed"),
    [
        ("bereaved-member", "bereaved", True),
        ("bereaved-member", "frontline", False),
        ("frontline-member", "frontline", True),
        ("frontline-member", "bereaved", False),
    ],
)
def test_token__another_members_token_opens_only_their_communities(
    client_for, user, holder, space, allowed
):
    """A frontline member holding a bereaved member's URL sees the bereaved feed, not their own
    community's: the token speaks for its holder, and the session is not added to it."""
    token = feed_token_create(user=user(holder))
    for asker in ("frontline-member", "bereaved-member"):
        response = client_for(asker).get(_url("json", space), {"token": token})
        assert (response.status_code == HTTPStatus.OK) is allowed


def test_token__regenerating_revokes_the_old_one(user):
    old = feed_token_create(user=user("frontline-member"))
    new = feed_token_create(user=user("frontline-member"))
    url = _url("ics", "frontline")
    assert Client().get(url, {"token": old}).status_code == HTTPStatus.NOT_FOUND
    assert Client().get(url, {"token": new}).status_code == HTTPStatus.OK
    assert FeedToken.objects.filter(user=user("frontline-member"), revoked_at=None).count() == 1


def test_token__inactive_user_is_refused(user):
    member = user("frontline-member")
    token = feed_token_create(user=member)
    member.is_active = False
    member.save()
    assert Client().get(_url("json", "frontline"), {"token": token}).status_code == 404


def test_token__only_its_hash_is_stored(user):
    token = feed_token_create(user=user("frontline-member"))
    assert not FeedToken.objects.filter(token_hash=token).exists()


# Bad input: never a 500 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/feeds/nowhere/meetings.json", {}, HTTPStatus.NOT_FOUND),
        ("/feeds/nowhere/meetings.ics", {}, HTTPStatus.NOT_FOUND),
        ("/feeds/frontline/groups/no-such-group.ics", {}, HTTPStatus.NOT_FOUND),
        ("/feeds/bereaved/groups/smart-recovery.ics", {}, HTTPStatus.NOT_FOUND),  # other space
        ("/feeds/frontline/meetings.json", {"token": "short"}, HTTPStatus.NOT_FOUND),
        ("/feeds/frontline/meetings.json", {"token": "x" * 43}, HTTPStatus.NOT_FOUND),
        ("/feeds/frontline/meetings.json", {"token": "<script>'\"%00"}, HTTPStatus.NOT_FOUND),
        ("/feeds/frontline/meetings.json", {"token": ["a" * 43, "b" * 43]}, HTTPStatus.NOT_FOUND),
        ("/feeds/frontline/meetings.json", {"token": "x" * 5000}, HTTPStatus.BAD_REQUEST),
        ("/feeds/public/meetings.json", {"q": "x" * 5000}, HTTPStatus.BAD_REQUEST),
        ("/feeds/frontline/meetings.ics", {f"f{n}": n for n in range(11_000)}, 400),
    ],
)
def test_bad_input__clear_status_never_500(client_for, url, params, status):
    response = client_for("staff").get(url, params)
    assert response.status_code == status


def test_bad_input__malformed_query_string(client_for):
    response = client_for("staff").get("/feeds/frontline/meetings.json?token=%ff%fe&&=&token")
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "url",
    [
        "/feeds/frontline/meetings.json",
        "/feeds/frontline/meetings.ics",
        "/feeds/frontline/groups/smart-recovery.ics",
        "/feeds/public/meetings.json",
    ],
)
def test_bad_input__other_methods_get_405(client_for, method, url):
    response = getattr(client_for("staff"), method)(url)
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_feeds_are_outside_the_language_prefix(client_for):
    assert client_for("staff").get("/es/feeds/frontline/meetings.json").status_code == 404


# Meeting Guide JSON, checked against the spec's rules ----------------------------------------


def assert_meeting_guide(data):
    assert isinstance(data, list)
    slugs = [meeting["slug"] for meeting in data]
    assert len(slugs) == len(set(slugs)), "slug must be unique in the data set"
    for meeting in data:
        assert isinstance(meeting["name"], str) and 0 < len(meeting["name"]) <= 255
        assert isinstance(meeting["slug"], str) and SLUG.match(meeting["slug"])
        days = meeting["day"] if isinstance(meeting["day"], list) else [meeting["day"]]
        assert days and all(isinstance(d, int) and 0 <= d <= 6 for d in days)
        assert HHMM.match(meeting["time"]) and HHMM.match(meeting["end_time"])
        assert meeting["timezone"] in available_timezones()
        assert set(meeting["types"]) <= SPEC_TYPES and "ONL" not in meeting["types"]
        assert ("O" in meeting["types"]) != ("C" in meeting["types"])
        assert "<" not in meeting.get("notes", "")  # plain text, no HTML
        if "updated" in meeting:  # optional in the spec; the public feed leaves it out
            assert UPDATED.match(meeting["updated"])
        assert meeting.get("approximate", "yes") in ("yes", "no")
        assert "formatted_address" in meeting or "city" in meeting or "address" in meeting
        if "conference_url" in meeting:
            assert urlsplit(meeting["conference_url"]).hostname.endswith(CONFERENCE_HOSTS)
            assert meeting["conference_url"].startswith("https://")
        if "conference_phone" in meeting:
            assert re.match(r"^\+?\d{1,15}(?:[,*#]+\d*)*$", meeting["conference_phone"])


@pytest.mark.parametrize("space", SPACES)
def test_meeting_guide__member_feed_follows_the_spec(client_for, space):
    response = client_for("staff").get(_url("json", space))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert_meeting_guide(data)
    assert data


def test_meeting_guide__weekly_only_monthly_and_one_off_are_left_out(client_for):
    names = {m["name"] for m in client_for("staff").get(_url("json", "bereaved")).json()}
    assert names == {"SMART Family & Friends", "Grief circle: after a death from substance use"}
    frontline = {m["name"] for m in client_for("staff").get(_url("json", "frontline")).json()}
    assert "Peer check-in for outreach workers" not in frontline  # 2nd Thursday: monthly


def test_meeting_guide__two_weekly_days_are_an_array_sunday_zero(client_for):
    (smart,) = [
        m
        for m in client_for("bereaved-member").get(_url("json", "bereaved")).json()
        if m["name"] == "SMART Family & Friends"
    ]
    assert smart["day"] == [1, 4]  # Monday, Thursday
    assert (smart["time"], smart["end_time"]) == ("18:30", "20:00")
    assert smart["conference_url"] == "https://zoom.us/j/5550100002"
    assert smart["types"] == ["O", "EN", "S"]


def test_meeting_guide__members_see_address_closed_group_marked_c(client_for):
    data = client_for("bereaved-member").get(_url("json", "bereaved")).json()
    (grief,) = [m for m in data if m["slug"].endswith("grief-circle")]
    assert "C" in grief["types"] and grief["address"] == "1200 Hancock St"
    assert grief["url"].endswith("/bereaved/groups/grief-circle/")


# The public feed ------------------------------------------------------------------------------

PRIVATE_KEYS = {"conference_url_notes", "conference_phone_notes", "location_notes", "updated"}
# In the public feed only as the group published them (its `public_*` fields).
PUBLISHED_KEYS = {
    "conference_url": "public_conference_url",
    "conference_phone": "public_conference_phone",
    "url": "public_join_url",
}


@pytest.mark.parametrize("role", [ANONYMOUS, "staff", "frontline-member"])
def test_public_feed__same_for_everyone_only_public_open_groups(client_for, role):
    response = client_for(role).get("/feeds/public/meetings.json")
    assert response.status_code == HTTPStatus.OK
    _assert_feed_headers(response)
    data = response.json()
    assert_meeting_guide(data)
    assert {m["name"] for m in data} == {"Refuge Recovery", "SMART Family & Friends"}
    body = response.content.decode()
    for secret in ["zoom.us", "meet.google", "5550199", "Luis", "Ana", "Science-based", "Grief"]:
        assert secret not in body
    published = {
        value
        for group in SupportGroupPage.objects.all()
        for value in (getattr(group, name) for name in PUBLISHED_KEYS.values())
        if value
    }
    for meeting in data:
        assert not PRIVATE_KEYS & set(meeting)
        assert all(meeting[key] in published for key in PUBLISHED_KEYS if key in meeting)


def test_public_feed__slug_and_times_reveal_nothing_of_the_private_page(db, client_for):
    """The slug is opaque and stable, and there is no publication time."""
    public = client_for(ANONYMOUS).get("/feeds/public/meetings.json").json()
    members = client_for("staff").get(_url("json", "common-ground")).json()
    groups = SupportGroupPage.objects.filter(is_public=True, is_open=True).live()
    assert public and groups
    for meeting in public:
        assert "updated" not in meeting
        assert re.fullmatch(r"meeting-[0-9a-f]{24}", meeting["slug"])
        for group in groups:
            assert str(group.pk) not in meeting["slug"] and group.slug not in meeting["slug"]
    # The denied twin on the same setup: members' feeds keep the page's id, slug and time.
    (refuge,) = [m for m in members if m["name"] == "Refuge Recovery"]
    assert refuge["slug"].endswith("-refuge-recovery") and UPDATED.match(refuge["updated"])
    # Stable: the same group gets the same slug after its page is published again.
    group = SupportGroupPage.objects.get(slug="refuge-recovery", locale__language_code="en")
    before = {m["name"]: m["slug"] for m in public}["Refuge Recovery"]
    group.save_revision().publish()
    again = client_for(ANONYMOUS).get("/feeds/public/meetings.json").json()
    assert {m["name"]: m["slug"] for m in again}["Refuge Recovery"] == before


def test_public_feed__address_only_when_published(db, client):
    data = {m["name"]: m for m in client.get("/feeds/public/meetings.json").json()}
    assert data["Refuge Recovery"]["address"] == "875 Main St"  # chose to publish
    assert data["Refuge Recovery"]["approximate"] == "no"
    online = data["SMART Family & Friends"]
    assert "address" not in online and online["approximate"] == "yes"
    assert online["city"] == "Worcester"
    # Its way in is the dial-in line the group chose to publish, never the members' ones.
    assert online["conference_phone"] == "+15085550142" and "conference_url" not in online


def test_public_feed__in_person_group_without_its_address_is_left_out(db, client):
    """The spec: an in-person meeting must have a specific address; with only a town the apps
    show it as inactive. So it is left out, and nothing of its place leaks."""
    SupportGroupPage.objects.filter(slug="refuge-recovery").update(publish_address=False)
    body = client.get("/feeds/public/meetings.json").content.decode()
    assert "Refuge" not in body and "875 Main" not in body and "01610" not in body
    # The allowed twin, same setup but the address published again: listed.
    SupportGroupPage.objects.filter(slug="refuge-recovery").update(publish_address=True)
    assert "Refuge Recovery" in client.get("/feeds/public/meetings.json").content.decode()


def test_public_feed__never_a_closed_group_even_if_marked_public(db, client):
    SupportGroupPage.objects.filter(slug="grief-circle").update(is_public=True)
    body = client.get("/feeds/public/meetings.json").content.decode()
    assert "Grief circle" not in body and "Hancock" not in body


def test_public_feed__never_a_draft_or_unpublished_group(db, client):
    SupportGroupPage.objects.get(slug="refuge-recovery").unpublish()
    names = {m["name"] for m in client.get("/feeds/public/meetings.json").json()}
    assert names == {"SMART Family & Friends"}


# iCalendar, parsed back ----------------------------------------------------------------------


def _calendar(client, url) -> tuple[bytes, Calendar]:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/calendar")
    return response.content, Calendar.from_ical(response.content)


def _events(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize("space", SPACES)
@pytest.mark.parametrize("kind", ["ics", "group-ics"])
def test_ics__rfc5545_shape(client_for, space, kind):
    raw, calendar = _calendar(client_for("staff"), _url(kind, space))
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)  # CRLF only
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == "America/New_York"
        assert event["DTEND"].params["TZID"] == "America/New_York"
        assert event["UID"] and event["DTSTAMP"]


def test_ics__uids_stable_across_requests(client_for):
    first = _calendar(client_for("staff"), _url("ics", "bereaved"))[1]
    second = _calendar(client_for("member-of-both"), _url("ics", "bereaved"))[1]
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in second.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_ics__weekly_rrule_with_exdate_wall_clock(client_for):
    _, calendar = _calendar(client_for("frontline-member"), _url("group-ics", "frontline"))
    (event,) = calendar.walk("VEVENT")
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["TU"]
    exdates = [d.dt for d in event["EXDATE"].dts]
    assert [d.date() for d in exdates] == [date(2026, 12, 22), date(2026, 12, 29)]
    assert all((d.hour, str(d.tzinfo)) == (19, "America/New_York") for d in exdates)
    start = event["DTSTART"].dt
    assert (start.date(), start.time()) == (date(2026, 1, 6), time(19))  # first Tuesday
    assert "https://zoom.us/j/5550100001" in str(event["DESCRIPTION"])


def test_ics__monthly_last_weekday_and_single_dates(client_for):
    _, common = _calendar(client_for("staff"), _url("ics", "common-ground"))
    coffee = _events(common)["Neighborhood coffee hour"]
    assert coffee["RRULE"]["FREQ"] == ["MONTHLY"] and coffee["RRULE"]["BYDAY"] == ["-1MO"]
    assert coffee["DTSTART"].dt.date() == date(2026, 1, 26)  # last Monday of January 2026
    _, bereaved = _calendar(client_for("staff"), _url("ics", "bereaved"))
    potlucks = [e for e in bereaved.walk("VEVENT") if str(e["SUMMARY"]) == "Grief circle potluck"]
    assert sorted(e["DTSTART"].dt.date() for e in potlucks) == [
        date(2026, 12, 12),
        date(2027, 4, 17),
        date(2027, 8, 14),
    ]
    assert all("RRULE" not in e for e in potlucks)


def test_ics__two_weekdays_one_event(client_for):
    _, calendar = _calendar(client_for("staff"), _url("ics", "bereaved"))
    smart = _events(calendar)["SMART Family & Friends"]
    assert smart["RRULE"]["BYDAY"] == ["MO", "TH"]
    assert smart["DTSTART"].dt.date() == date(2026, 1, 5)  # a Monday


# The member page ------------------------------------------------------------------------------


def test_account_feeds__visitor_is_sent_to_sign_in(db, client):
    response = client.get("/account/feeds/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/account/login/")


def test_account_feeds__lists_own_spaces_only(client_for):
    body = client_for("frontline-member").get("/account/feeds/").content.decode()
    assert "/feeds/frontline/meetings.ics" in body and "/feeds/common-ground/meetings.ics" in body
    assert "/feeds/bereaved/" not in body


def test_account_feeds__regenerate_shows_token_once_and_it_works(client_for):
    client = client_for("bereaved-member")
    response = client.post("/account/feeds/", {"action": "regenerate"})
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    token = re.search(r"token=([A-Za-z0-9_-]+)", response.content.decode()).group(1)
    assert Client().get(_url("ics", "bereaved"), {"token": token}).status_code == 200
    assert "token=" not in client.get("/account/feeds/").content.decode()  # shown once
    client.post("/account/feeds/", {"action": "revoke"})
    assert Client().get(_url("ics", "bereaved"), {"token": token}).status_code == 404


def test_account_feeds__post_needs_csrf(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("bereaved-member"))
    response = client.post("/account/feeds/", {"action": "regenerate"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not FeedToken.objects.filter(user=user("bereaved-member")).exists()


def test_account_feeds__unknown_action_is_400(client_for):
    response = client_for("bereaved-member").post("/account/feeds/", {"action": "x"})
    assert response.status_code == HTTPStatus.BAD_REQUEST


# Performance: a constant number of queries whatever the number of groups ---------------------


def _add_groups(parent, count, start=0):
    for n in range(start, start + count):
        support_group_create(
            parent=parent,
            rules=[(WEEKLY_RULE, n % 7, None, None), (MONTHLY_RULE, (n + 1) % 7, 2, None)],
            cancelled=(),
            title=f"Load group {n}",
            slug=f"load-group-{n}",
            kind="other",
            attendance="hybrid",
            online_url="https://zoom.us/j/1",
            start_time=time(18),
            end_time=time(19),
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(captured)


def test_query_count_is_constant_in_the_number_of_groups(client_for, user, page_at):
    parent = page_at("/frontline/groups/")
    token = feed_token_create(user=user("frontline-member"))
    member = client_for("frontline-member")
    urls = [
        (member, _url("json", "frontline")),
        (member, _url("ics", "frontline")),
        (member, "/frontline/groups/"),
        (Client(), f"{_url('ics', 'frontline')}?token={token}"),
        (Client(), "/feeds/public/meetings.json"),
    ]
    _add_groups(parent, 3)
    for client, url in urls:  # warm caches (site root paths, content types)
        client.get(url)
    few = [_queries(client, url) for client, url in urls]
    _add_groups(parent, 9, start=3)  # four times as many: any query per group would show
    many = [_queries(client, url) for client, url in urls]
    assert few == many, (few, many)


def test_ics__last_date_becomes_until_in_utc(client_for):
    SupportGroupPage.objects.filter(slug="smart-recovery").update(ends_on=date(2027, 6, 29))
    _, calendar = _calendar(client_for("staff"), _url("group-ics", "frontline"))
    (event,) = calendar.walk("VEVENT")
    (until,) = event["RRULE"]["UNTIL"]
    assert until.utcoffset().total_seconds() == 0  # RFC 5545: UTC with a zoned DTSTART
    assert until.date() == date(2027, 6, 29) or until.date() == date(2027, 6, 30)
