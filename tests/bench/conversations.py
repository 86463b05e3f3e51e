"""Benchmark: queries and time of a conversation with 10 and 1,000 replies.

Run with `make bench-conversations` (or `.venv/bin/python tests/bench/conversations.py
[sizes...]`). It builds the demo in a temporary SQLite database (never the configured one);
members of the bereaved community write a topic's replies (three of four top-level, one of
four answering one), stored directly so that the rate limits do not slow the set-up. It prints,
per size, the query count and best time of three requests for the API's topic detail (by
Bearer token, default page of 20 and the largest of 100), the site's topic page and the API's
topic list. The query counts must not grow with the number of replies.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
VAR_DIR = tempfile.mkdtemp(prefix="neighborhood-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["NEIGHBORHOOD_VAR_DIR"] = VAR_DIR
os.environ["DATABASE_URL"] = f"sqlite:///{VAR_DIR}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from wagtail.models import APIToken  # noqa: E402

from home.demo import load_demo  # noqa: E402
from workflows import spaces  # noqa: E402
from workflows.conversations.models import Reply  # noqa: E402
from workflows.conversations.services import topic_create  # noqa: E402

SIZES = [int(n) for n in sys.argv[1:]] or [10, 1000]


def add_replies(topic, authors, start: int, stop: int) -> None:
    with transaction.atomic():
        parent = None
        for n in range(start, stop):
            author = authors[n % len(authors)]
            if n % 4 == 3 and parent is not None:
                Reply.objects.create(topic=topic, author=author, body=f"Answer {n}", parent=parent)
            else:
                parent = Reply.objects.create(topic=topic, author=author, body=f"Reply {n}")


def measure(client: Client, url: str) -> tuple[int, float]:
    best, count = float("inf"), 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        count = len(captured)
        best = min(best, elapsed)
    return count, best


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    load_demo("bench-password-not-secret-123")
    users = get_user_model().objects
    authors = [users.get(username=name) for name in ("bereaved-member", "bereaved-editor")]
    reader = users.get(username="member-of-both")
    topic = topic_create(
        user=authors[0], space=spaces.space_by_slug("bereaved"), title="Bench", body="Opening"
    )
    _token, plaintext = APIToken.create_token(user=reader, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    site = Client()
    site.force_login(reader)
    urls = [
        ("API topic, limit=20", api, f"/api/v2/conversations/{topic.pk}/"),
        ("API topic, limit=100", api, f"/api/v2/conversations/{topic.pk}/?limit=100"),
        ("API topic, last page", api, f"/api/v2/conversations/{topic.pk}/?offset=100000"),
        ("site topic page", site, f"/conversations/bereaved/{topic.pk}/"),
        ("site topic, page 2", site, f"/conversations/bereaved/{topic.pk}/?page=2"),
        ("API topic list", api, "/api/v2/conversations/?space=bereaved"),
    ]
    existing = 1  # the opening reply
    print(f"{'replies':>7}  {'what':<22} {'queries':>7} {'time':>9}")
    for size in SIZES:
        add_replies(topic, authors, existing, size)
        existing = size
        for label, client, url in urls:
            queries, seconds = measure(client, url)
            print(f"{size:>7}  {label:<22} {queries:>7} {seconds * 1000:>7.1f}ms")


if __name__ == "__main__":
    main()
