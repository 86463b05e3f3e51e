"""Benchmark: queries and time of a community's gatherings with 10 and 500 gatherings.

Run with `make bench-gatherings` (or `.venv/bin/python tests/bench/gatherings.py [sizes...]`).
It builds the demo in a temporary SQLite database (never the configured one); `bereaved-member`
organises gatherings in the bereaved space through the same service as the site and the API
(`services.gathering_create`), each with a bring-list, and three members answer each (one onto
the waiting list). It prints, per size, each page's query count and its best time of three
requests: the site's list (/gatherings/bereaved/, the first 50), the API list by Bearer token at
the default page size (20) and the largest (100), one gathering's page and API detail, and the
space's calendar feed (every upcoming gathering: its queries must not grow, its time does).
The query counts must not grow with the number of gatherings.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
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

from community_pages.services import feed_token_create  # noqa: E402
from home.demo import load_demo  # noqa: E402
from workflows import spaces  # noqa: E402
from workflows.gatherings.models import Gathering  # noqa: E402
from workflows.gatherings.services import gathering_create, rsvp_set  # noqa: E402

SIZES = [int(n) for n in sys.argv[1:]] or [10, 500]


def add_gatherings(start: int, stop: int) -> None:
    users = get_user_model().objects
    organiser = users.get(username="bereaved-member")
    answering = [users.get(username=n) for n in ("bereaved-editor", "member-of-both", "staff")]
    space = spaces.space_by_slug("bereaved")
    first = date.today() + timedelta(days=2)
    with transaction.atomic():
        for n in range(start, stop):
            [gathering] = gathering_create(
                user=organiser,
                space=space,
                data={
                    "title": f"Bench potluck {n}",
                    "kind": "potluck",
                    "date": first + timedelta(days=n),
                    "start_time": clock(17, 0),
                    "end_time": clock(20, 0),
                    "time_zone": "America/New_York",
                    "area": "Riverside",
                    "address": "12 Elm Street",
                    "capacity": 2,
                    "bring_list": ["Salad", "Bread"],
                },
            )
            for person in answering:
                rsvp_set(user=person, gathering=gathering, answer="yes")


def measure(client: Client, url: str) -> tuple[int, float, int]:
    best, count, size = float("inf"), 0, 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        count, size = len(captured), len(response.content)
        best = min(best, elapsed)
    return count, best, size


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    load_demo("bench-password-not-secret-123")
    member = get_user_model().objects.get(username="bereaved-editor")
    _token, plaintext = APIToken.create_token(user=member, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    site = Client()
    site.force_login(member)
    feed = feed_token_create(user=member)
    existing = 0
    print(f"{'gatherings':>10}  {'what':<28} {'queries':>7} {'time':>9} {'bytes':>8}")
    for size in SIZES:
        add_gatherings(existing, size)
        existing = size
        one = Gathering.objects.filter(space=spaces.space_by_slug("bereaved")).first().pk
        urls = [
            ("site list (first 50)", site, "/gatherings/bereaved/"),
            ("site gathering page", site, f"/gatherings/bereaved/{one}/"),
            ("API list", api, "/api/v2/gatherings/?space=bereaved"),
            ("API list, limit=100", api, "/api/v2/gatherings/?space=bereaved&limit=100"),
            ("API detail", api, f"/api/v2/gatherings/{one}/"),
            ("calendar feed (all)", Client(), f"/feeds/bereaved/meetings.ics?token={feed}"),
        ]
        for label, client, url in urls:
            queries, seconds, length = measure(client, url)
            print(f"{size:>10}  {label:<28} {queries:>7} {seconds * 1000:>7.1f}ms {length:>8}")


if __name__ == "__main__":
    main()
