"""A member's conversations in their export, and what account deletion does with them
(docs/community-tools.md, "Conversations"): replies erased, a "deleted" mark only where others
answered; topics they started stay with no one named; their reports go."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest

from community_pages.models import Community
from home.demo.community_tools import TOPICS as DEMO_TOPICS
from tests.account_export import account_export_data, api_export_data
from tests.conftest import DEMO_PASSWORD
from workflows.conversations.models import Reply, Report, Topic
from workflows.conversations.selectors import HIDDEN_CONVERSATION

pytestmark = pytest.mark.django_db


def test_export__their_topics_replies_and_reports(convs, client_for):
    client = client_for("member-of-both")
    Report.objects.create(
        reply_id=convs["bereaved"]["answer"], reporter_id=_id("member-of-both"), reason="Too sharp"
    )
    data = account_export_data(client)["conversations"]
    bodies = {r["body"] for r in data["replies"]}
    assert {"A reply in bereaved", "A reply in frontline", "Opening in common-ground"} <= bodies
    assert "Unkind words in bereaved" in bodies  # their own hidden reply, with the reason
    hidden = next(r for r in data["replies"] if r["body"] == "Unkind words in bereaved")
    assert hidden["hidden_by_a_moderator"] and hidden["hidden_reason"] == "Not kind"
    demo_topic = DEMO_TOPICS["common-ground"][1]  # the demo's, started by member-of-both
    assert {t["title"] for t in data["topics_started"]} == {"Talk in common-ground", demo_topic}
    assert data["reports_made"][0]["reason"] == "Too sharp"
    assert "An answer in bereaved" not in bodies  # someone else's words
    assert api_export_data(client_for("member-of-both"))["conversations"]["replies"]


def _id(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name).pk


def test_export__a_space_they_left_is_named_without_its_conversation(convs, client_for, user):
    member = user("member-of-both")
    member.groups.remove(Community.objects.get(slug="frontline").members_group)
    data = account_export_data(client_for("member-of-both"))["conversations"]
    frontline = next(r for r in data["replies"] if r["body"] == "A reply in frontline")
    assert frontline["conversation"] == HIDDEN_CONVERSATION  # their words stay, not the title
    assert "Talk in frontline" not in json.dumps(data)


def test_account_deletion__replies_erased__topics_stay_unnamed(convs, client_for):
    ids = convs["bereaved"]
    reporter = _id("member-of-both")
    Report.objects.create(reply_id=ids["answer"], reporter_id=reporter)
    client = client_for("member-of-both")
    done = client.post("/account/delete/", {"password": DEMO_PASSWORD, "published_pages": "keep"})
    assert done.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    # Their reply that bereaved-member answered: a mark without words or name.
    tomb = Reply.objects.get(pk=ids["reply"])
    assert tomb.is_deleted and tomb.body == "" and tomb.author is None
    assert not Reply.objects.filter(pk=ids["hidden"]).exists()  # no one answered: gone
    assert (
        not Reply.objects.filter(body__contains="in frontline", author__isnull=True)
        .exclude(deleted_at__isnull=False)
        .exists()
    )
    cg = Topic.objects.get(pk=convs["common-ground"]["topic"])
    assert cg.starter is None and cg.title == "Talk in common-ground"
    assert not Report.objects.filter(reporter_id=reporter).exists()
    page = client_for("bereaved-member").get(f"/conversations/bereaved/{ids['topic']}/")
    assert b"A reply in bereaved" not in page.content and b"This reply was deleted." in page.content
    assert b"An answer in bereaved" in page.content  # the others' words stay
