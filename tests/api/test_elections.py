"""Elections through the API: the services' rules, reached by session or token; an election of
another community answers 404; bad input answers 400 and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from community_pages.models import Community
from workflows.models import BallotReceipt, Election, Nomination

JSON = "application/json"


def _election(slug: str = "frontline", phase: str = "nominating") -> Election:
    now = timezone.now()
    start = {"nominating": now - timedelta(days=1), "voting": now - timedelta(days=3)}[phase]
    day = timedelta(days=2)
    return Election.objects.create(
        community=Community.objects.get(slug=slug),
        seats=1,
        nominations_open=start,
        nominations_close=start + day,
        voting_open=start + day,
        voting_close=start + 2 * day,
        term_days=365,
        status=Election.Status.OPEN,
    )


def _uid(username: str) -> int:
    return get_user_model().objects.get(username=username).pk


@pytest.mark.parametrize("auth", ["session", "token"])
def test_elections__nominate_accept_vote_close_results(api_client, auth):
    election = _election()
    base = f"/api/v2/elections/{election.pk}/"
    member = api_client("frontline-member", auth)
    assert election.pk in [e["id"] for e in member.get("/api/v2/elections/").json()]
    made = member.post(
        base + "nominations/", {"nominee": _uid("member-of-both")}, content_type=JSON
    )
    assert made.status_code == HTTPStatus.CREATED
    assert made.json()["status"] == Nomination.Status.PENDING
    nominee = api_client("member-of-both", auth)
    accepted = nominee.post(
        base + f"nominations/{made.json()['id']}/respond/",
        {"accept": True, "statement": "I will listen."},
        content_type=JSON,
    )
    assert accepted.status_code == HTTPStatus.OK
    assert member.get(base).json()["candidates"][0]["statement"] == "I will listen."
    # Voting: move the windows on, as time would.
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(
        nominations_close=now - timedelta(hours=2),
        voting_open=now - timedelta(hours=1),
    )
    voted = member.post(base + "vote/", {"candidates": [made.json()["id"]]}, content_type=JSON)
    assert voted.status_code == HTTPStatus.NO_CONTENT
    twice = member.post(base + "vote/", {"candidates": [made.json()["id"]]}, content_type=JSON)
    assert twice.status_code == HTTPStatus.BAD_REQUEST and twice.json()["message"]
    assert member.get(base + "results/").status_code == HTTPStatus.NOT_FOUND
    assert member.post(base + "close/").status_code == HTTPStatus.FORBIDDEN
    assert api_client("staff", auth).post(base + "close/").status_code == HTTPStatus.OK
    results = member.get(base + "results/").json()
    assert results["turnout"] == 1 and results["candidates"][0]["elected"]


@pytest.mark.parametrize("role", ["bereaved-member", "applicant", "bereaved-editor"])
def test_elections__another_communitys_election_is_404(api_client, role):
    election = _election()
    client = api_client(role, "token")
    assert election.pk not in [e["id"] for e in client.get("/api/v2/elections/").json()]
    for method, rest, body in [
        ("get", "", None),
        ("get", "results/", None),
        ("post", "nominations/", {"nominee": _uid(role)}),
        ("post", "vote/", {"candidates": []}),
    ]:
        url = f"/api/v2/elections/{election.pk}/{rest}"
        response = getattr(client, method)(url, body, content_type=JSON)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
    assert not Nomination.objects.filter(election=election).exists()
    # The allowed case on the same election.
    allowed = api_client("frontline-member", "token").get(f"/api/v2/elections/{election.pk}/")
    assert allowed.status_code == HTTPStatus.OK


def test_elections__visitor_gets_401(api_client):
    assert api_client("visitor").get("/api/v2/elections/").status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.parametrize(
    ("rest", "body"),
    [
        ("nominations/", {}),
        ("nominations/", {"nominee": "x"}),
        ("nominations/", {"nominee": 999_999}),
        ("vote/", {"candidates": "1"}),
        ("vote/", {"candidates": [True]}),
    ],
)
def test_elections__bad_input_is_400_and_changes_nothing(api_client, rest, body):
    election = _election("frontline", "voting" if rest == "vote/" else "nominating")
    response = api_client("frontline-member", "token").post(
        f"/api/v2/elections/{election.pk}/{rest}", body, content_type=JSON
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["message"]
    assert not Nomination.objects.filter(election=election).exists()
    assert not BallotReceipt.objects.filter(election=election).exists()


def test_elections__a_non_member_cannot_be_nominated(api_client):
    election = _election()
    response = api_client("frontline-member", "token").post(
        f"/api/v2/elections/{election.pk}/nominations/",
        {"nominee": _uid("bereaved-member")},
        content_type=JSON,
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Nomination.objects.filter(election=election).exists()


def test_elections__staff_create_members_cannot(api_client):
    now = timezone.now()
    body = {
        "community": "bereaved",  # frontline's demo election is under way
        "seats": 2,
        "nominations_open": (now + timedelta(days=1)).isoformat(),
        "nominations_close": (now + timedelta(days=2)).isoformat(),
        "voting_open": (now + timedelta(days=2)).isoformat(),
        "voting_close": (now + timedelta(days=3)).isoformat(),
        "term_days": 365,
    }
    before = Election.objects.count()
    denied = api_client("frontline-editor", "token").post(
        "/api/v2/elections/", body, content_type=JSON
    )
    assert denied.status_code == HTTPStatus.FORBIDDEN
    bad = api_client("staff", "token").post(
        "/api/v2/elections/", {**body, "seats": 0}, content_type=JSON
    )
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert Election.objects.count() == before
    made = api_client("staff", "token").post("/api/v2/elections/", body, content_type=JSON)
    assert made.status_code == HTTPStatus.CREATED
    assert Election.objects.count() == before + 1


@pytest.mark.parametrize("role", ["frontline-member", "frontline-editor", "applicant"])
@pytest.mark.parametrize(
    "payload",
    [
        {"community": "bereaved"},  # a community that exists
        {"community": "no-such-community"},  # one that does not
        {"community": "bereaved", "voting_open": "not a date"},
        {},
    ],
)
def test_elections__non_staff_create_is_refused_before_the_payload_is_read(
    api_client, role, payload
):
    """The same 403 whatever is sent, so the payload's checks (which
    community slugs exist, which fields are wrong) are not an oracle."""
    before = Election.objects.count()
    response = api_client(role, "token").post("/api/v2/elections/", payload, content_type=JSON)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {"message": "You do not have permission to perform this action."}
    assert Election.objects.count() == before
    # The allowed twin on the same payload: staff get the payload's own error.
    staff = api_client("staff", "token").post("/api/v2/elections/", payload, content_type=JSON)
    assert staff.status_code == HTTPStatus.BAD_REQUEST


def test_elections__a_second_election_while_one_is_under_way__is_400(api_client):
    now = timezone.now()
    body = {
        "community": "frontline",  # the demo's election there is open for voting
        "seats": 1,
        "nominations_open": (now + timedelta(days=1)).isoformat(),
        "nominations_close": (now + timedelta(days=2)).isoformat(),
        "voting_open": (now + timedelta(days=2)).isoformat(),
        "voting_close": (now + timedelta(days=3)).isoformat(),
        "term_days": 365,
    }
    before = Election.objects.count()
    refused = api_client("staff", "token").post("/api/v2/elections/", body, content_type=JSON)
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "already has an election under way" in refused.json()["message"]
    assert Election.objects.count() == before
    # The same request for a community with no election under way is made.
    made = api_client("staff", "token").post(
        "/api/v2/elections/", {**body, "community": "bereaved"}, content_type=JSON
    )
    assert made.status_code == HTTPStatus.CREATED
