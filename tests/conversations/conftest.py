"""Conversations fixtures: one topic per space with replies, answers, a hidden reply and a
guide's conversation, built once per module (`shared_setup`) and read by many tests."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from wagtail.models import Page

from tests.conftest import shared_setup
from workflows import spaces
from workflows.conversations import services

# Who writes in each space in the fixture (a member of it).
WRITER = {
    "frontline": "frontline-member",
    "bereaved": "bereaved-member",
    "common-ground": "member-of-both",
}


def _user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def build_conversations() -> dict:
    """{space: {"topic", "reply", "answer", "hidden", "page_topic"?}} as ids."""
    made = {}
    for slug, writer in WRITER.items():
        space = spaces.space_by_slug(slug)
        author = _user(writer)
        topic = services.topic_create(
            user=author, space=space, title=f"Talk in {slug}", body=f"Opening in {slug}"
        )
        other = _user("member-of-both" if writer != "member-of-both" else "bereaved-member")
        reply = services.reply_create(user=other, topic=topic, body=f"A reply in {slug}")
        answer = services.reply_create(
            user=author, topic=topic, body=f"An answer in {slug}", parent=reply
        )
        hidden = services.reply_create(user=other, topic=topic, body=f"Unkind words in {slug}")
        moderator = _user("staff")
        services.reply_hide(user=moderator, reply=hidden, reason="Not kind")
        made[slug] = {
            "topic": topic.pk,
            "reply": reply.pk,
            "answer": answer.pk,
            "hidden": hidden.pk,
        }
        cache.clear()
    guide = Page.objects.get(url_path="/home/bereaved/guides/").get_children().live().first()
    page_topic = services.topic_for_page(guide)
    services.reply_create(user=_user("bereaved-member"), topic=page_topic, body="About the guide")
    made["bereaved"]["page_topic"] = page_topic.pk
    made["bereaved"]["guide"] = guide.pk
    cache.clear()
    return made


@pytest.fixture(scope="module")
def convs(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        yield build_conversations()
