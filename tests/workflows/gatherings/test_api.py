"""Gatherings and proposals through the API: list in my spaces, detail, create, RSVP and respond;
the access matrix for every role by token; a hidden one answers like a missing one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import api_client  # noqa: F401 (fixture)
from tests.conftest import ANONYMOUS, ROLES, SEES, shared_setup
from tests.test_existence_pairs import _shape
from tests.workflows.gatherings.conftest import future, make_gathering
from tests.workflows.proposals.conftest import make_proposal
from workflows.gatherings.models import Gathering, Rsvp
from workflows.proposals.models import Proposal, Response

MISSING = 987654
SPACES = ("bereaved", "frontline", "common-ground")


@pytest.fixture(scope="module")
def ids(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        found = {}
        for space, who in (
            ("bereaved", "bereaved-member"),
            ("frontline", "frontline-member"),
            ("common-ground", "frontline-member"),
        ):
            [gathering] = make_gathering(who, space, title=f"Gathering in {space}", capacity=1)
            proposal = make_proposal(who, space, title=f"Proposal in {space}")
            found[space] = {"gathering": gathering.pk, "proposal": proposal.pk}
        yield found


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_matrix__lists_and_details_hold_only_my_spaces(api_client, ids, role):  # noqa: F811
    client = api_client(role, "token" if role != ANONYMOUS else "none")
    for tool in ("gatherings", "proposals"):
        listing = client.get(f"/api/v2/{tool}/")
        if role == ANONYMOUS:
            assert listing.status_code in (401, 403)
            continue
        assert listing.status_code == 200
        assert "private" in listing["Cache-Control"]
        spaces_listed = {item["space"] for item in listing.json()["items"]}
        assert spaces_listed == SEES[role]
        key = tool[:-1]
        for space in SPACES:
            detail = client.get(f"/api/v2/{tool}/{ids[space][key]}/")
            assert detail.status_code == (200 if space in SEES[role] else 404), (tool, space)
            narrowed = client.get(f"/api/v2/{tool}/?space={space}").json()
            # the fixture's one, and the demo's potluck and proposal among the bereaved
            expected = (1 + (space == "bereaved")) if space in SEES[role] else 0
            assert narrowed["meta"]["total_count"] == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("auth", ["session", "token"])
def test_existence_pairs__hidden_answers_like_missing(api_client, ids, role, auth):  # noqa: F811
    client = api_client(role, auth)
    answers = (Rsvp.objects.count(), Response.objects.count())
    for space in SPACES:
        if space in SEES[role]:
            continue
        for tool, key, action, body in (
            ("gatherings", "gathering", "rsvp/", {"answer": "yes"}),
            ("proposals", "proposal", "respond/", {"position": "agree"}),
        ):
            hidden = f"/api/v2/{tool}/{ids[space][key]}/"
            missing = f"/api/v2/{tool}/{MISSING}/"
            assert _shape(client.get(hidden), hidden) == _shape(client.get(missing), missing)
            hidden_post = client.post(hidden + action, body, content_type="application/json")
            missing_post = client.post(missing + action, body, content_type="application/json")
            assert _shape(hidden_post, hidden + action) == _shape(missing_post, missing + action)
            # Naming the space to create in: exactly as a space that does not exist.
            made = client.post(
                f"/api/v2/{tool}/", {"space": space}, content_type="application/json"
            )
            none = client.post(
                f"/api/v2/{tool}/", {"space": "nope"}, content_type="application/json"
            )
            assert made.status_code == 400
            assert made.json() == none.json()
    # nothing answered (the demo's potluck and proposal have their own answers)
    assert (Rsvp.objects.count(), Response.objects.count()) == answers


def test_gathering__create_rsvp_and_the_waiting_list(api_client):  # noqa: F811
    organiser = api_client("bereaved-member", "token")
    created = organiser.post(
        "/api/v2/gatherings/",
        {
            "space": "bereaved",
            "kind": "potluck",
            "title": "Autumn potluck",
            "date": future(12).isoformat(),
            "start_time": "17:00",
            "end_time": "20:00",
            "time_zone": "America/New_York",
            "area": "Riverside",
            "address": "12 Elm Street",
            "capacity": 1,
            "bring_list": ["Soup"],
            "also_on": [future(100).isoformat()],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["address"] == "12 Elm Street"  # the organiser
    assert data["starts_at"].endswith(("-04:00", "-05:00"))
    assert [item["what"] for item in data["bring_list"]] == ["Soup"]
    assert len(data["other_dates"]) == 1
    editor, both = api_client("bereaved-editor", "token"), api_client("member-of-both", "token")
    url = f"/api/v2/gatherings/{data['id']}/"
    assert editor.get(url).json()["address"] == ""
    first = editor.post(url + "rsvp/", {"answer": "yes"}, content_type="application/json")
    assert first.json()["my_answer"] == "yes" and first.json()["address"] == "12 Elm Street"
    second = both.post(url + "rsvp/", {"answer": "yes"}, content_type="application/json")
    assert second.json()["my_answer"] == "waiting" and second.json()["address"] == ""
    editor.post(url + "rsvp/", {"answer": "no"}, content_type="application/json")
    assert both.get(url).json()["my_answer"] == "yes"


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("date", {"date": "someday"}),
        ("start_time", {"start_time": None}),
        ("capacity", {"capacity": "ten"}),
        ("also_on", {"also_on": "2027-01-01"}),
        ("bring_list", {"bring_list": [1, 2]}),
        ("title", {"title": ""}),
        ("kind", {"kind": "party"}),
    ],
)
def test_gathering__bad_input_names_the_field(api_client, field, change):  # noqa: F811
    before = Gathering.objects.count()
    data = {"space": "bereaved", "title": "T", "date": future().isoformat(), "start_time": "10:00"}
    response = api_client("bereaved-member", "token").post(
        "/api/v2/gatherings/", {**data, **change}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert Gathering.objects.count() == before


def test_proposal__create_respond_and_outcome(api_client):  # noqa: F811
    proposer = api_client("bereaved-member", "token")
    closes = (timezone.now() + timedelta(days=2)).isoformat()
    created = proposer.post(
        "/api/v2/proposals/",
        {"space": "bereaved", "title": "Walk", "text": "A walk in May.", "closes_at": closes},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    url = created.json()["url"]
    editor = api_client("bereaved-editor", "token")
    refused = editor.post(url + "respond/", {"position": "block"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    blocked = editor.post(
        url + "respond/",
        {"position": "block", "reason": "Too soon."},
        content_type="application/json",
    )
    assert blocked.json()["my_response"]["position"] == "block"
    again = editor.post(url + "respond/", {"position": "agree"}, content_type="application/json")
    assert again.json()["counts"] == {"agree": 1, "abstain": 0, "disagree": 0, "block": 0}
    Proposal.objects.filter(pk=created.json()["id"]).update(closes_at=timezone.now())
    closed = editor.get(url).json()
    assert closed["is_open"] is False and closed["outcome"] == "agreed"
    late = editor.post(
        url + "respond/", {"position": "disagree", "reason": "x"}, content_type="application/json"
    )
    assert late.status_code == 400
    assert Response.objects.filter(proposal_id=created.json()["id"]).count() == 1


def test_proposal__bad_closing_time_names_the_field(api_client):  # noqa: F811
    response = api_client("bereaved-member", "token").post(
        "/api/v2/proposals/",
        {"space": "bereaved", "title": "T", "text": "X", "closes_at": "tomorrow"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "closes_at"


def test_schema__documents_the_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v2/gatherings/",
        "/api/v2/gatherings/{gathering_id}/",
        "/api/v2/gatherings/{gathering_id}/rsvp/",
        "/api/v2/proposals/",
        "/api/v2/proposals/{proposal_id}/",
        "/api/v2/proposals/{proposal_id}/respond/",
        "/api/v2/proposals/who-may-propose/",
        "/api/v2/gatherings/{gathering_id}/bring/",
    ):
        assert path in schema["paths"], path


def test_gathering__bring_list_through_the_api(api_client, ids):  # noqa: F811
    url = f"/api/v2/gatherings/{ids['bereaved']['gathering']}/bring/"
    editor, both = api_client("bereaved-editor", "token"), api_client("member-of-both", "token")
    added = editor.post(url, {"action": "add", "what": "Candles"}, content_type="application/json")
    assert added.status_code == 200
    candles = [i for i in added.json()["bring_list"] if i["what"] == "Candles"][0]
    claim = {"action": "claim", "item": candles["id"]}
    mine = editor.post(url, claim, content_type="application/json").json()
    assert [i["mine"] for i in mine["bring_list"] if i["id"] == candles["id"]] == [True]
    taken = both.post(url, claim, content_type="application/json")
    assert taken.status_code == 400 and taken.json()["field"] == "item"
    bad = both.post(url, {"action": "steal", "item": "x"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "action"
    hidden = api_client("frontline-member", "token").post(
        url, claim, content_type="application/json"
    )
    missing = api_client("frontline-member", "token").post(
        f"/api/v2/gatherings/{MISSING}/bring/", claim, content_type="application/json"
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_proposal__revise_and_who_may_propose_through_the_api(api_client, ids):  # noqa: F811
    url = f"/api/v2/proposals/{ids['bereaved']['proposal']}/"
    editor = api_client("bereaved-editor", "token")
    editor.post(url + "respond/", {"position": "agree"}, content_type="application/json")
    refused = editor.patch(url, {"text": "Mine now."}, content_type="application/json")
    assert refused.status_code == 403
    revised = api_client("bereaved-member", "token").patch(
        url, {"text": "Twice a year."}, content_type="application/json"
    )
    assert revised.status_code == 200
    assert revised.json()["version"] == 2 and revised.json()["text"] == "Twice a year."
    assert revised.json()["responses"][0]["older_text"] is True
    who = "/api/v2/proposals/who-may-propose/"
    body = {"space": "bereaved", "who_may_propose": "editors"}
    member = api_client("bereaved-member", "token")
    assert member.post(who, body, content_type="application/json").status_code == 403
    hidden = api_client("frontline-editor", "token").post(
        who, body, content_type="application/json"
    )
    missing = api_client("frontline-editor", "token").post(
        who, {**body, "space": "nope"}, content_type="application/json"
    )
    assert hidden.status_code == 400 and hidden.json() == missing.json()
    assert editor.post(who, body, content_type="application/json").json() == {
        "space": "bereaved",
        "who_may_propose": "editors",
    }
    closes = (timezone.now() + timedelta(days=2)).isoformat()
    proposed = member.post(
        "/api/v2/proposals/",
        {"space": "bereaved", "title": "T", "text": "X", "closes_at": closes},
        content_type="application/json",
    )
    assert proposed.status_code == 403
