"""Beyond pages: account, join requests, schedule, feeds, and support-group representations."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from community_pages.models import Community, JoinRequest
from tests.conftest import ANONYMOUS, ROLES, SEES


@pytest.mark.parametrize("role", ROLES)
def test_account__lists_your_own_communities(api_client, role):
    data = api_client(role, "token").get("/api/v2/account/").json()
    assert data["username"] == role
    assert {c["slug"] for c in data["communities"]} == (
        set() if role == "staff" else SEES[role] - {"common-ground"}
    )


@pytest.mark.parametrize("auth", ["session", "token"])
def test_join_request__applicant_asks_editor_admits_and_the_pages_appear(api_client, auth):
    applicant = api_client("applicant", auth)
    assert "/frontline/" not in str(applicant.get("/api/v2/pages/", {"limit": 100}).json())
    made = applicant.post(
        "/api/v2/join-requests/",
        {"community": "frontline", "message": "Hello"},
        content_type="application/json",
    )
    assert made.status_code == HTTPStatus.CREATED
    join_request_id = made.json()["id"]
    # The other community's editor does not see it and cannot decide it (same setup).
    outsider = api_client("bereaved-editor", auth)
    assert join_request_id not in [
        r["id"] for r in outsider.get("/api/v2/join-requests/").json()["to_decide"]
    ]
    denied = outsider.post(
        f"/api/v2/join-requests/{join_request_id}/decide/",
        {"decision": "admit"},
        content_type="application/json",
    )
    assert denied.status_code == HTTPStatus.NOT_FOUND
    assert JoinRequest.objects.get(pk=join_request_id).status == JoinRequest.Status.PENDING
    editor = api_client("frontline-editor", auth)
    assert join_request_id in [
        r["id"] for r in editor.get("/api/v2/join-requests/").json()["to_decide"]
    ]
    admitted = editor.post(
        f"/api/v2/join-requests/{join_request_id}/decide/",
        {"decision": "admit"},
        content_type="application/json",
    )
    assert admitted.status_code == HTTPStatus.OK
    assert "/frontline/" in str(applicant.get("/api/v2/pages/", {"limit": 100}).json())


@pytest.mark.parametrize(
    "body",
    [{}, {"community": "nowhere"}, {"community": 3}, {"community": "frontline", "message": []}],
)
def test_join_request__bad_input_is_400_and_nothing_is_written(api_client, body):
    before = JoinRequest.objects.count()
    response = api_client("applicant", "token").post(
        "/api/v2/join-requests/", body, content_type="application/json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["message"]
    assert JoinRequest.objects.count() == before


def test_join_request__twice_is_400_and_a_member_cannot_ask(api_client):
    client = api_client("applicant", "token")
    body = {"community": "frontline"}
    assert (
        client.post("/api/v2/join-requests/", body, content_type="application/json").status_code
        == 201
    )
    again = client.post("/api/v2/join-requests/", body, content_type="application/json")
    assert again.status_code == HTTPStatus.BAD_REQUEST
    member = api_client("frontline-member", "token")
    assert (
        member.post("/api/v2/join-requests/", body, content_type="application/json").status_code
        == 400
    )


def test_join_request_decision__bad_decision_is_400(api_client, user):
    join_request = JoinRequest.objects.create(
        user=user("applicant"), community=Community.objects.get(slug="frontline")
    )
    response = api_client("frontline-editor").post(
        f"/api/v2/join-requests/{join_request.pk}/decide/",
        {"decision": "maybe"},
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_schedule__meetings_only_of_visible_groups(api_client, role):
    data = (
        api_client(role, "token" if role != ANONYMOUS else "none")
        .get("/api/v2/schedule/", {"locale": "en"})
        .json()
    )
    spaces = {item["group"]["html_url"].split("/")[3] for item in data["items"]}
    assert spaces <= SEES[role]
    assert bool(spaces) == bool(SEES[role])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-13-01"}, "start"),
        ({"end": "tomorrow"}, "end"),
        ({"start": ""}, "start"),
        ({"start": "2026-02-01", "end": "2026-01-01"}, "end"),
        ({"start": "2026-01-01", "end": "2027-01-02"}, "end"),  # 367 days
        ({"locale": "xx"}, "locale"),
        ({"locale": ""}, "locale"),
        ({"space": ""}, "space"),
        ({"spaces": "frontline"}, "spaces"),
        ({"start": ["2027-01-01", "2027-02-01"]}, "start"),
    ],
)
def test_schedule__bad_input_is_400_naming_the_parameter(api_client, params, field):
    response = api_client("member-of-both").get("/api/v2/schedule/", params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"“{field}”" in response.json()["message"]


def test_schedule__end_is_included_and_366_days_is_the_most(api_client):
    """`start` = `end` is that one day (the frontline group meets on Tuesdays)."""
    client = api_client("frontline-member", "token")
    one_day = client.get("/api/v2/schedule/", {"start": "2027-01-26", "end": "2027-01-26"}).json()
    assert one_day["start"] == one_day["end"] == "2027-01-26"
    titles = {item["group"]["title"] for item in one_day["items"]}
    assert "SMART Recovery for care providers" in titles
    assert {item["start"][:10] for item in one_day["items"]} == {"2027-01-26"}
    day_before = client.get("/api/v2/schedule/", {"start": "2027-01-25", "end": "2027-01-25"})
    assert "SMART Recovery for care providers" not in str(day_before.json()["items"])
    year = client.get("/api/v2/schedule/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert year.status_code == HTTPStatus.OK and year.json()["items"]
    longest = client.get("/api/v2/schedule/", {"start": "2026-01-01", "end": "2027-01-01"})
    assert longest.status_code == HTTPStatus.OK  # 366 days, both ends included
    default = client.get("/api/v2/schedule/", {"start": "2027-01-05"}).json()
    assert default["end"] == "2027-02-01"  # four weeks: 28 days including the first


def test_schedule__locale_filters_and_errors_speak_the_askers_language(api_client):
    client = api_client("member-of-both", "token")
    spanish = client.get("/api/v2/schedule/", {"locale": "es"})
    assert spanish.status_code == HTTPStatus.OK
    assert {item["group"]["locale"] for item in spanish.json()["items"]} <= {"es"}
    english = client.get("/api/v2/schedule/", {"locale": "xx"}).json()["message"]
    translated = client.get(
        "/api/v2/schedule/", {"locale": "xx"}, HTTP_ACCEPT_LANGUAGE="es"
    ).json()["message"]
    assert "“locale”" in translated and translated != english


def test_schedule__another_communitys_space_is_404_like_a_missing_one(api_client):
    client = api_client("frontline-member", "token")
    assert client.get("/api/v2/schedule/", {"space": "frontline"}).status_code == 200
    hidden = client.get("/api/v2/schedule/", {"space": "bereaved"})
    missing = client.get("/api/v2/schedule/", {"space": "nowhere"})
    assert hidden.status_code == missing.status_code == HTTPStatus.NOT_FOUND
    assert hidden.json() == missing.json()


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_feeds__urls_of_the_visible_spaces_only(api_client, role):
    data = api_client(role, "token" if role != ANONYMOUS else "none").get("/api/v2/feeds/").json()
    slugs = {link["json"].split("/feeds/")[1].split("/")[0] for link in data["spaces"]}
    assert slugs == SEES[role]
    assert data["public"].endswith("/feeds/public/meetings.json")


def _group(page_at):
    return page_at("/frontline/groups/").get_children().live().first().specific


def test_support_group__members_get_schedule_and_online_link(api_client, page_at):
    group = _group(page_at)
    client = api_client("frontline-member", "token")
    data = client.get(f"/api/v2/pages/{group.pk}/").json()
    assert data["schedule"]["rules"] and "next_occurrences" in data["schedule"]
    if group.is_online:
        assert data["online"]["url"] == group.online_url
    # The denied case on the same group: another community's member sees nothing of it.
    other = api_client("bereaved-member", "token").get(f"/api/v2/pages/{group.pk}/")
    assert other.status_code == HTTPStatus.NOT_FOUND
    assert group.online_url.encode() not in other.content


def test_support_group_listing__online_links_never_leak_to_a_non_member(api_client, page_at):
    urls = [
        g.specific.online_url
        for g in page_at("/frontline/groups/").get_children().live()
        if g.specific.online_url
    ]
    assert urls
    for role in (ANONYMOUS, "bereaved-member", "applicant"):
        client = api_client(role, "token" if role != ANONYMOUS else "none")
        for params in (
            {"type": "community_pages.SupportGroupPage", "fields": "*"},
            {"search": "online"},
        ):
            content = client.get("/api/v2/pages/", params).content
            assert not any(url.encode() in content for url in urls)


def test_guide_and_resource__bodies_and_links_in_the_detail(api_client):
    client = api_client("member-of-both", "token")
    guides = client.get("/api/v2/pages/", {"type": "resources.GuidePage", "fields": "body"}).json()
    assert guides["items"] and isinstance(guides["items"][0]["body"], list)
    resources = client.get(
        "/api/v2/pages/", {"type": "resources.ResourcePage", "fields": "link,document,topics"}
    ).json()
    assert resources["items"] and "topics" in resources["items"][0]
