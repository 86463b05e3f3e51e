"""Export and account deletion: RSVPs, bring-list claims, gatherings organised, proposals and
responses (docs/data-protection.md; docs/community-tools.md, "What an account's deletion takes").

Deleting an account: its RSVPs go and a freed place goes to the first on the waiting list; its
claims are given back; responses to open proposals go; on a closed proposal the response stays
(the outcome does not change) under "a former member", without its reason; gatherings and
proposals it made stay for the community under "a former member".
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from home.demo.community_tools import POTLUCK, PROPOSAL
from tests.account_export import account_export_data
from tests.conftest import DEMO_PASSWORD
from tests.workflows.gatherings.conftest import make_gathering
from tests.workflows.proposals.conftest import make_proposal
from workflows.gatherings.models import BringItem, Gathering, Rsvp
from workflows.gatherings.services import bring_item_claim, rsvp_set
from workflows.proposals.models import Proposal, Response
from workflows.proposals.services import respond


def _export(client) -> dict:
    return account_export_data(client)


def _setup(user):
    member = user("member-of-both")
    [gathering] = make_gathering("bereaved-member", "bereaved", capacity=1)
    [own] = make_gathering("member-of-both", "frontline", title="Frontline picnic")
    rsvp_set(user=member, gathering=gathering, answer="yes")
    rsvp_set(user=user("bereaved-editor"), gathering=gathering, answer="yes")  # waiting
    salad = gathering.bring_items.get(what="Salad")
    bring_item_claim(user=member, gathering=gathering, item_id=salad.pk)
    open_one = make_proposal("bereaved-member", "bereaved", title="Open one")
    closed_one = make_proposal("bereaved-member", "bereaved", title="Closed one")
    mine = make_proposal("member-of-both", "bereaved", title="Mine")
    respond(user=member, proposal=open_one, position="agree")
    respond(user=member, proposal=closed_one, position="block", reason="My own words.")
    Proposal.objects.filter(pk=closed_one.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    return gathering, own, open_one, closed_one, mine


def test_export__rsvps_claims_gatherings_proposals_responses(client_for, user):
    gathering, own, open_one, closed_one, mine = _setup(user)
    data = _export(client_for("member-of-both"))
    answers = {r["gathering"]: r["answer"] for r in data["gatherings"]["rsvps"]}
    assert answers == {"Spring potluck": "yes", POTLUCK["title"]: "maybe"}  # and the demo's
    assert data["gatherings"]["bring_list_claims"][0]["what"] == "Salad"
    assert [g["gathering"] for g in data["gatherings"]["organised"]] == ["Frontline picnic"]
    responded = {p["proposal"] for p in data["proposals"]["responses"]}
    assert responded == {"Open one", "Closed one", PROPOSAL["title"]}  # and the demo's
    assert [p["proposal"] for p in data["proposals"]["proposed"]] == ["Mine"]
    # Someone else's export holds none of it.
    other = _export(client_for("bereaved-editor"))
    assert other["gatherings"]["rsvps"][0]["answer"] == "waiting"
    assert other["proposals"]["responses"] == []
    assert [p["proposal"] for p in other["proposals"]["proposed"]] == [PROPOSAL["title"]]


def test_export__a_space_left_is_described_not_named(client_for, user):
    _setup(user)
    member = user("member-of-both")
    member.groups.remove(*Group.objects.filter(name__icontains="bereaved"))
    data = _export(client_for("member-of-both"))
    rsvps = data["gatherings"]["rsvps"]  # the fixture's and the demo's, both in bereaved
    assert [{**rsvp, "updated_at": None} for rsvp in rsvps] == [
        {
            "gathering": "a gathering in a space you no longer belong to",
            "answer": answer,
            "updated_at": None,
        }
        for answer in [rsvp["answer"] for rsvp in rsvps]
    ]
    assert sorted(rsvp["answer"] for rsvp in rsvps) == ["maybe", "yes"]
    response = [r for r in data["proposals"]["responses"] if r["position"] == "block"][0]
    assert response["proposal"] == "a proposal in a space you no longer belong to"
    assert response["reason"] == "My own words."  # their own words stay theirs
    assert "Spring potluck" not in json.dumps(data) and "Closed one" not in json.dumps(data)


def test_deletion__what_goes_and_what_stays_for_the_community(client_for, user):
    gathering, own, open_one, closed_one, mine = _setup(user)
    member_id = user("member-of-both").pk
    response = client_for("member-of-both").post(
        "/account/delete/", {"password": DEMO_PASSWORD, "published_pages": "keep"}
    )
    assert response.status_code in (200, 302)
    assert not Rsvp.objects.filter(user_id=member_id).exists()
    # The freed place went to the first on the waiting list.
    assert Rsvp.objects.get(gathering=gathering).answer == "yes"
    assert BringItem.objects.get(gathering=gathering, what="Salad").claimed_by is None
    # Open proposal: the response no longer counts. Closed: it stays, without name or reason.
    assert not Response.objects.filter(proposal=open_one).exists()
    kept = Response.objects.get(proposal=closed_one)
    assert (kept.user_id, kept.position, kept.reason) == (None, "block", "")
    assert Proposal.objects.get(pk=mine.pk).proposer_id is None
    assert Gathering.objects.get(pk=own.pk).organiser_id is None
    page = client_for("bereaved-member").get(f"/proposals/bereaved/{closed_one.pk}/")
    assert b"a former member" in page.content and b"My own words." not in page.content
    assert b"Blocked" in page.content
    picnic = client_for("frontline-member").get(f"/gatherings/frontline/{own.pk}/")
    assert b"a former member" in picnic.content
