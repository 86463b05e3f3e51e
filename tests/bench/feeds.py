"""Benchmark: queries and time of the feeds and the group schedule, for 10, 100 and 1,000 groups.

Run with `make bench-feeds` (or `.venv/bin/python tests/bench/feeds.py [sizes...]`). It builds
the demo in a temporary SQLite database (never the configured one), adds weekly and monthly
groups to the frontline community, and prints, per size, each URL's query count and its best
time of three requests. The query counts must not grow with the number of groups.
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

from datetime import time as clock  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from community_pages.models import GroupScheduleIndexPage  # noqa: E402
from community_pages.schedules import MONTHLY_RULE, WEEKLY_RULE  # noqa: E402
from community_pages.selectors import space_by_slug  # noqa: E402
from community_pages.services import feed_token_create, support_group_create  # noqa: E402
from home.demo import load_demo  # noqa: E402

SIZES = [int(n) for n in sys.argv[1:]] or [10, 100, 1000]


def add_groups(parent, start: int, stop: int) -> None:
    with transaction.atomic():
        for n in range(start, stop):
            support_group_create(
                parent=parent,
                publish=False,  # live without a revision: fast to build, same to read
                rules=[(WEEKLY_RULE, n % 7, None, None), (MONTHLY_RULE, (n + 3) % 7, -1, None)],
                title=f"Bench group {n}",
                slug=f"bench-group-{n}",
                kind="other",
                attendance="hybrid",
                is_public=True,
                city="Boston",
                address=f"{n} Main St",
                online_url="https://zoom.us/j/1",
                start_time=clock(18, n % 60),
                end_time=clock(19, n % 60),
            )


def measure(client: Client, url: str) -> tuple[int, float]:
    best = float("inf")
    count = 0
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
    parent = GroupScheduleIndexPage.objects.child_of(space_by_slug("frontline")).get()
    member = get_user_model().objects.get(username="frontline-member")
    token = feed_token_create(user=member)
    session = Client()
    session.force_login(member)
    calendar_app = Client()
    visitor = Client()
    urls = [
        ("community JSON (session)", session, "/feeds/frontline/meetings.json"),
        ("community .ics (token)", calendar_app, f"/feeds/frontline/meetings.ics?token={token}"),
        (
            "one group .ics (token)",
            calendar_app,
            f"/feeds/frontline/groups/bench-group-0.ics?token={token}",
        ),
        ("public JSON (visitor)", visitor, "/feeds/public/meetings.json"),
        ("group schedule page", session, "/frontline/groups/"),
    ]
    existing = 0
    print(f"{'groups':>6}  {'what':<26} {'queries':>7} {'time':>9}")
    for size in SIZES:
        add_groups(parent, existing, size)
        existing = size
        for label, client, url in urls:
            queries, seconds = measure(client, url)
            print(f"{size:>6}  {label:<26} {queries:>7} {seconds * 1000:>7.1f}ms")


if __name__ == "__main__":
    main()
