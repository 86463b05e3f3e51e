"""Proposals through HTTP: propose, respond (once, changing allowed), revise, the close with its
outcome, counts and reasons, a block shown as a block, who may propose, a gathering from an
agreed outcome (docs/community-tools.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import shared_setup
from tests.workflows.proposals.conftest import make_proposal
from workflows.gatherings.models import Gathering
from workflows.models import Notification, NotificationKind
from workflows.proposals.models import Proposal, ProposalSetting, Response
from workflows.proposals.services import closed_notify


@pytest.fixture(scope="module")
def proposal(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        yield make_proposal("bereaved-member", "bereaved").pk


def _url(pk, suffix=""):
    return f"/proposals/bereaved/{pk}/{suffix}"


def _close(pk):
    Proposal.objects.filter(pk=pk).update(closes_at=timezone.now() - timedelta(minutes=1))


def test_propose__through_the_form_tells_the_space(client_for, user):
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("bereaved-editor").post(
        "/proposals/bereaved/new/",
        {"title": "Walk in May", "text": "A remembrance walk.", "closes_at": closes},
    )
    assert response.status_code == 302
    made = Proposal.objects.get(title="Walk in May")
    assert response["Location"] == _url(made.pk)
    told = Notification.objects.filter(kind=NotificationKind.PROPOSAL_NEW, subject_id=made.pk)
    assert told.filter(recipient=user("bereaved-member")).exists()
    assert not told.filter(recipient=user("bereaved-editor")).exists()
    assert not told.filter(recipient=user("frontline-member")).exists()
    assert b"Walk in May" in client_for("bereaved-member").get("/proposals/bereaved/").content


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("title", {"title": ""}),
        ("text", {"text": ""}),
        ("closes_at", {"closes_at": "2001-01-01T10:00"}),
        ("closes_at", {"closes_at": "soon"}),
    ],
)
def test_propose__bad_input_names_the_field_and_changes_nothing(client_for, field, data):
    before = Proposal.objects.count()
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    values = {"title": "T", "text": "X", "closes_at": closes, **data}
    response = client_for("bereaved-editor").post("/proposals/bereaved/new/", values)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    assert Proposal.objects.count() == before


def test_respond__once_and_change_while_open(client_for, proposal, user):
    client = client_for("bereaved-editor")
    assert client.post(_url(proposal, "respond/"), {"position": "agree"}).status_code == 302
    assert (
        client.post(
            _url(proposal, "respond/"), {"position": "disagree", "reason": "Too soon."}
        ).status_code
        == 302
    )
    rows = Response.objects.filter(proposal_id=proposal, user=user("bereaved-editor"))
    assert [(r.position, r.reason) for r in rows] == [("disagree", "Too soon.")]


@pytest.mark.parametrize("position", ["disagree", "block"])
def test_respond__disagree_and_block_need_a_reason(client_for, proposal, position):
    response = client_for("bereaved-editor").post(
        _url(proposal, "respond/"), {"position": position, "reason": "  "}
    )
    assert response.status_code == 400
    assert b"Say why you disagree or block." in response.content
    assert not Response.objects.filter(proposal_id=proposal).exists()


def test_respond__after_the_close_is_refused(client_for, proposal):
    _close(proposal)
    response = client_for("bereaved-editor").post(_url(proposal, "respond/"), {"position": "agree"})
    assert response.status_code == 400
    assert b"This proposal is closed." in response.content
    assert not Response.objects.filter(proposal_id=proposal).exists()


def test_revise__marks_responses_to_the_older_text(client_for, proposal):
    client_for("bereaved-editor").post(_url(proposal, "respond/"), {"position": "agree"})
    proposer = client_for("bereaved-member")
    response = proposer.post(
        _url(proposal, "revise/"), {"title": "A potluck in spring", "text": "Twice a year."}
    )
    assert response.status_code == 302
    page = proposer.get(_url(proposal)).content
    assert b"Twice a year." in page
    assert b"responded to an earlier version" in page
    # Only the proposer revises.
    other = client_for("bereaved-editor").post(
        _url(proposal, "revise/"), {"title": "Mine now", "text": "No."}
    )
    assert other.status_code == 400
    assert Proposal.objects.get(pk=proposal).title == "A potluck in spring"


def test_close__outcome_counts_and_reasons(client_for, proposal, user):
    client_for("bereaved-editor").post(_url(proposal, "respond/"), {"position": "agree"})
    client_for("member-of-both").post(
        _url(proposal, "respond/"), {"position": "disagree", "reason": "I work weekends."}
    )
    client_for("staff").post(_url(proposal, "respond/"), {"position": "agree"})
    _close(proposal)
    page = client_for("bereaved-member").get(_url(proposal)).content.decode()
    assert "Agreed" in page
    assert "Agree: 2" in page and "Disagree: 1" in page
    assert "I work weekends." in page
    assert "Create a gathering from this outcome" in page
    assert closed_notify()
    told = Notification.objects.filter(kind=NotificationKind.PROPOSAL_CLOSED, subject_id=proposal)
    assert set(told.values_list("recipient__username", flat=True)) == {
        "bereaved-member",
        "bereaved-editor",
        "member-of-both",
        "staff",
    }
    assert closed_notify() == []


def test_close__a_block_is_shown_as_a_block_not_outvoted(client_for, proposal):
    for role in ("bereaved-editor", "staff"):
        client_for(role).post(_url(proposal, "respond/"), {"position": "agree"})
    client_for("member-of-both").post(
        _url(proposal, "respond/"), {"position": "block", "reason": "It excludes night workers."}
    )
    _close(proposal)
    page = client_for("bereaved-member").get(_url(proposal)).content.decode()
    assert "Blocked" in page and "Agreed" not in page
    assert "A block is not outvoted" in page
    assert "It excludes night workers." in page
    assert "Create a gathering from this outcome" not in page


def test_gathering_from_an_agreed_outcome__prefilled_and_linked(client_for, proposal):
    client_for("bereaved-editor").post(_url(proposal, "respond/"), {"position": "agree"})
    _close(proposal)
    client = client_for("bereaved-member")
    form = client.get(f"/gatherings/bereaved/new/?proposal={proposal}")
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == "A potluck in spring"
    day = (timezone.now() + timedelta(days=30)).date().isoformat()
    response = client.post(
        "/gatherings/bereaved/new/",
        {
            "proposal": proposal,
            "title": "A potluck in spring",
            "kind": "potluck",
            "date": day,
            "start_time": "17:00",
            "time_zone": "America/New_York",
        },
    )
    assert response.status_code == 302
    gathering = Gathering.objects.get(proposal_id=proposal)
    assert _url(proposal).encode() in client.get(response["Location"]).content
    assert gathering.space_id == Proposal.objects.get(pk=proposal).space_id
    # A proposal of another space cannot be named.
    frontline = make_proposal("frontline-member", "frontline")
    hidden = client_for("member-of-both").get(f"/gatherings/bereaved/new/?proposal={frontline.pk}")
    assert hidden.status_code == 404


def test_who_may_propose__editors_set_it_members_are_then_refused(client_for, user):
    member = client_for("bereaved-member")
    assert b'name="who_may_propose"' not in member.get("/proposals/bereaved/").content
    assert (
        member.post("/proposals/bereaved/who/", {"who_may_propose": "editors"}).status_code == 403
    )
    assert not ProposalSetting.objects.exists()
    editor = client_for("bereaved-editor")
    assert (
        editor.post("/proposals/bereaved/who/", {"who_may_propose": "editors"}).status_code == 302
    )
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"title": "T", "text": "X", "closes_at": closes}
    refused = member.post("/proposals/bereaved/new/", data)
    assert refused.status_code == 400
    assert b"Only the editors may propose in this space." in refused.content
    assert editor.post("/proposals/bereaved/new/", data).status_code == 302
    # Staff too; the frontline editor has no say in the bereaved space.
    assert (
        client_for("staff")
        .post("/proposals/bereaved/who/", {"who_may_propose": "everyone"})
        .status_code
        == 302
    )
    assert (
        client_for("frontline-editor")
        .post("/proposals/bereaved/who/", {"who_may_propose": "editors"})
        .status_code
        == 404
    )


def test_revise__keeps_a_far_closing_time(client_for, proposal):
    far = timezone.now() + timedelta(days=89, hours=23, minutes=30)
    Proposal.objects.filter(pk=proposal).update(closes_at=far)
    response = client_for("bereaved-member").post(
        _url(proposal, "revise/"), {"title": "A potluck in spring", "text": "Changed."}
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal).version == 2
