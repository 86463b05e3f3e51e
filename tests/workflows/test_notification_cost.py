"""The header's unread count costs the same queries with 1 and with 20 unread notifications of
the conversations' ("reply", "topic"), remembrance's ("remembrance") and gatherings'
("gathering") subjects: their visibility checks read once per request, not once per
notification.

Each notification is about its own object (20 replies, 20 topics, 20 remembrances, 20
gatherings), as after a busy week; one of each is not visible (a hidden reply, a hidden topic of
someone else, a remembrance or a gathering in a community the reader is not in), so the batched
check still has to say no."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.workflows.gatherings.conftest import make_gathering
from workflows import spaces
from workflows.conversations.models import Reply, Topic
from workflows.gatherings.services import SUBJECT as GATHERING
from workflows.models import Notification, NotificationKind
from workflows.remembrance.models import Remembrance
from workflows.selectors.notifications import unread_count
from workflows.services.notifications import notify

READER = "bereaved-member"
PAGE = "/"  # the home page: the header's count, no list of notifications


def _user(name):
    return get_user_model().objects.get(username=name)


def _subjects(kind: str, n: int, reader) -> tuple[str, str, list[int]]:
    """n objects of `kind` the reader may see (ids), plus one they may not."""
    bereaved, frontline = spaces.space_by_slug("bereaved"), spaces.space_by_slug("frontline")
    editor = _user("bereaved-editor")
    if kind == "reply":
        topic = Topic.objects.create(space=bereaved, title="Cost", starter=editor)
        made = [Reply.objects.create(topic=topic, author=editor, body=f"r{i}") for i in range(n)]
        hidden = Reply.objects.create(
            topic=topic, author=editor, body="hidden", hidden_at=timezone.now()
        )
        return "reply", NotificationKind.REPLY_NEW, [r.pk for r in made] + [hidden.pk]
    if kind == "topic":
        made = [
            Topic.objects.create(space=bereaved, title=f"t{i}", starter=reader) for i in range(n)
        ]
        hidden = Topic.objects.create(
            space=bereaved, title="hidden", starter=editor, hidden_at=timezone.now()
        )
        return "topic", NotificationKind.REPLY_MODERATED, [t.pk for t in made] + [hidden.pk]
    if kind == "gathering":
        made = [make_gathering("bereaved-editor", "bereaved", title=f"g{i}")[0] for i in range(n)]
        [elsewhere] = make_gathering("frontline-editor", "frontline")
        Notification.objects.filter(recipient=reader).delete()  # the "new gathering" notices
        ids = [g.pk for g in made] + [elsewhere.pk]
        return GATHERING, NotificationKind.GATHERING_REMINDER, ids
    made = [
        Remembrance.objects.create(space=bereaved, author=reader, name=f"n{i}", words="w")
        for i in range(n)
    ]
    elsewhere = Remembrance.objects.create(space=frontline, author=reader, name="x", words="w")
    return "remembrance", NotificationKind.REMEMBRANCE_DATE, [m.pk for m in made] + [elsewhere.pk]


def _header_cost(client, kind: str, n: int) -> tuple[int, int]:
    """(queries of the page, unread count) after `n` visible unread notifications of `kind`."""
    reader = _user(READER)
    Notification.objects.filter(recipient=reader).delete()
    subject, notification_kind, ids = _subjects(kind, n, reader)
    for pk in ids:
        notify(reader, notification_kind, subject=(subject, pk))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    assert response.status_code == 200
    return len(queries), unread_count(_user(READER))


@pytest.mark.parametrize("kind", ["reply", "topic", "remembrance", "gathering"])
def test_unread_count__same_queries_with_1_and_20(client_for, kind):
    client = client_for(READER)
    client.get(PAGE)  # the process's first request fills caches (the site, the locales)
    one, unread_one = _header_cost(client, kind, 1)
    twenty, unread_twenty = _header_cost(client, kind, 20)
    assert (unread_one, unread_twenty) == (1, 20)  # the one not visible is not counted
    assert twenty == one, f"{kind}: {one} queries with 1 unread, {twenty} with 20"
