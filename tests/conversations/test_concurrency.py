"""Conversations under concurrency, on PostgreSQL where row locks are real: a member's two
reports of one reply at once make one report; two moderators hiding one reply at once hide it
once and tell its author once; two first replies on a guide at once make one conversation."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from wagtail.models import Page

from tests.concurrency import run_at_once
from workflows import spaces
from workflows.conversations import services
from workflows.conversations.models import Reply, Report, Topic
from workflows.models import Notification, NotificationKind

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _user(name):
    return get_user_model().objects.get(username=name)


def _reply() -> Reply:
    topic = services.topic_create(
        user=_user("bereaved-member"),
        space=spaces.space_by_slug("bereaved"),
        title="At once",
        body="Opening",
    )
    return services.reply_create(user=_user("member-of-both"), topic=topic, body="Sharp words")


def test_two_reports_at_once__one_report(demo_loaded):
    reply = _reply()
    reporter = _user("bereaved-member")

    def report():
        services.report_create(user=reporter, reply=reply, reason="x")
        return "reported"

    outcomes = run_at_once(report, report, catch=ValidationError)
    assert sorted(map(str, outcomes)).count("reported") == 1
    assert Report.objects.filter(reply=reply).count() == 1


def test_two_moderators_hide_at_once__hidden_once__author_told_once(demo_loaded):
    reply = _reply()

    def hide(name):
        return lambda: services.reply_hide(user=_user(name), reply=reply, reason=name) and "hid"

    outcomes = run_at_once(hide("bereaved-editor"), hide("staff"), catch=ValidationError)
    assert [o for o in outcomes if o == "hid"] == ["hid"]
    assert Reply.objects.get(pk=reply.pk).is_hidden
    told = Notification.objects.filter(
        recipient__username="member-of-both", kind=NotificationKind.REPLY_MODERATED
    )
    assert told.count() == 1


def test_two_first_replies_on_a_guide_at_once__one_conversation(demo_loaded):
    guide = Page.objects.get(url_path="/home/bereaved/guides/").get_children().live().first()

    def reply(name):
        def run():
            topic = services.topic_for_page(guide)
            services.reply_create(user=_user(name), topic=topic, body=name)
            return topic.pk

        return run

    outcomes = run_at_once(
        reply("bereaved-member"), reply("bereaved-editor"), catch=ValidationError
    )
    assert outcomes[0] == outcomes[1]
    assert Topic.objects.filter(page=guide).count() == 1
    assert Reply.objects.filter(topic_id=outcomes[0]).count() == 2
