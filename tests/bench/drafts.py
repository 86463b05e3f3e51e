"""Benchmark: queries and time of GET /api/v2/drafts/ and /api/v2/reviews/, 10 and 1,000 drafts.

Run with `make bench-drafts` (or `.venv/bin/python tests/bench/drafts.py [sizes...]`). It builds
the demo in a temporary SQLite database (never the configured one); `frontline-member` writes
guides through the same service as the API (`services.drafts`) and sends each for review. It
prints, per size, each listing's query count and its best time of three requests, by Bearer
token, at the default page size (20) and the largest (100). The query counts must not grow with
the number of drafts.
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
from wagtail.models import APIToken, Page  # noqa: E402

from home.demo import load_demo  # noqa: E402
from workflows.services.drafts import draft_create, draft_submit  # noqa: E402

SIZES = [int(n) for n in sys.argv[1:]] or [10, 1000]


def add_drafts(author, parent_id: int, start: int, stop: int) -> None:
    with transaction.atomic():
        for n in range(start, stop):
            page = draft_create(
                user=author,
                page_type="resources.GuidePage",
                parent_id=parent_id,
                data={
                    "title": f"Bench guide {n}",
                    "summary": "A guide written for the benchmark.",
                    "body": [
                        {"type": "paragraph", "value": f"<p>Guide {n}.</p>"},
                        {"type": "steps", "value": [{"title": "One step", "text": ""}]},
                    ],
                },
            )
            draft_submit(user=author, page=page)


def measure(client: Client, url: str) -> tuple[int, float, int]:
    best, count, items = float("inf"), 0, 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        count, items = len(captured), len(response.json()["items"])
        best = min(best, elapsed)
    return count, best, items


def token_client(username: str) -> Client:
    user = get_user_model().objects.get(username=username)
    _token, plaintext = APIToken.create_token(user=user, name="bench")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    load_demo("bench-password-not-secret-123")
    author = get_user_model().objects.get(username="frontline-member")
    guides = Page.objects.get(url_path="/home/frontline/guides/")
    writer, editor = token_client("frontline-member"), token_client("frontline-editor")
    urls = [
        ("drafts (author)", writer, "/api/v2/drafts/"),
        ("drafts, limit=100", writer, "/api/v2/drafts/?limit=100"),
        ("reviews (editor)", editor, "/api/v2/reviews/"),
        ("reviews, limit=100", editor, "/api/v2/reviews/?limit=100"),
    ]
    existing = 0
    print(f"{'drafts':>6}  {'what':<20} {'items':>5} {'queries':>7} {'time':>9}")
    for size in SIZES:
        add_drafts(author, guides.pk, existing, size)
        existing = size
        for label, client, url in urls:
            queries, seconds, items = measure(client, url)
            print(f"{size:>6}  {label:<20} {items:>5} {queries:>7} {seconds * 1000:>7.1f}ms")


if __name__ == "__main__":
    main()
