"""Benchmark: queries per request of the member-facing pages, before and after the restriction
index is read once per request (core/per_request.py), on the demo and on the demo scaled up.

Run with `make bench-pages` (or `.venv/bin/python tests/bench/pages.py [R ...]`). On the local
PostgreSQL (`BENCH_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/) it creates
`<prefix>_r<R>` (`BENCH_DB_PREFIX`, default `nbh_bench_pages`): migrated, the demo, then R
communities with about 10,000 pages between them, as `tests/bench/api.py` builds them, and
prints for each page and caller the number of queries and of reads of the restriction index,
without and with the per-request read, and the member's count against the visitor's front door.
The databases are dropped at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from tests.bench import api as api_bench  # noqa: E402 (the path above comes first)

SERVER = api_bench.SERVER
PREFIX = os.environ.get("BENCH_DB_PREFIX", "nbh_bench_pages")
MIDDLEWARE = "core.per_request.RestrictionsOncePerRequestMiddleware"
# (caller, path): the visitor's public pages, then a member's pages inside their community.
PAGES = [
    ("visitor", "/"),
    ("visitor", "/about/"),
    ("visitor", "/search/?q=grief"),
    ("member", "/"),
    ("member", "/frontline/"),
    ("member", "/frontline/resources/"),
    ("member", "/frontline/resources/welcome-pack/"),
    ("member", "/frontline/guides/"),
    ("member", "/frontline/guides/after-a-hard-shift/"),
    ("member", "/frontline/groups/"),
    ("member", "/search/?q=grief"),
    ("member", "/feeds/frontline/meetings.ics"),
]


def _count(client, path: str) -> tuple[int, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm: translations, templates, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    index = sum("viewrestriction" in q["sql"] for q in captured.captured_queries)
    return len(captured), index, response.status_code


def measure() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from wagtail.models import PageViewRestriction

    setup_test_environment()
    member_user = get_user_model().objects.get(username=api_bench.MEMBER)

    def clients() -> dict:
        # New clients each time: a client loads the middleware once, at its first request, so
        # one reused across override_settings measured the same chain twice.
        member = Client()
        member.force_login(member_user)
        return {"visitor": Client(), "member": member}

    without = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    rows = []
    for who, path in PAGES:
        with override_settings(MIDDLEWARE=without):
            before = _count(clients()[who], path)
        after = _count(clients()[who], path)
        assert before[2] == after[2] == 200, (who, path, before, after)
        rows.append({"who": who, "path": path, "before": before[:2], "after": after[:2]})
    print(json.dumps({"restrictions": PageViewRestriction.objects.count(), "rows": rows}))


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [2, 200]
    base = f"{PREFIX}_base"
    api_bench._psql(f"DROP DATABASE IF EXISTS {base}")
    api_bench._psql(f"CREATE DATABASE {base}")
    print(f"Building {base} (migrate + demo)...", flush=True)
    api_bench._child("--build-base", database=base)
    results = []
    try:
        for size in sizes:
            database = f"{PREFIX}_r{size}"
            api_bench._psql(f"DROP DATABASE IF EXISTS {database}")
            api_bench._psql(f"CREATE DATABASE {database} TEMPLATE {base}")
            try:
                if size > 2:
                    api_bench._child("--build", str(size), database=database)
                done = subprocess.run(  # noqa: S603 - this script, fixed arguments
                    [sys.executable, __file__, "--measure"],
                    env=api_bench._env(database),
                    cwd=ROOT,
                    check=False,
                    capture_output=True,
                    text=True,
                )
                if done.returncode:
                    raise RuntimeError(f"measuring R={size} failed:\n{done.stderr[-3000:]}")
                results.append((size, json.loads(done.stdout.strip().splitlines()[-1])))
            finally:
                api_bench._psql(f"DROP DATABASE IF EXISTS {database}")
    finally:
        api_bench._psql(f"DROP DATABASE IF EXISTS {base}")
    report(results)


def report(results) -> None:
    print("\nQueries per request (index = reads of the restriction index), PostgreSQL")
    print(
        f"{'R':>4} {'who':8} {'path':40} | {'before':>6} {'index':>5} | {'after':>5} "
        f"{'index':>5} | {'vs front door':>13}"
    )
    for size, result in results:
        door = next(r for r in result["rows"] if r["who"] == "visitor" and r["path"] == "/")
        for row in result["rows"]:
            (bq, bi), (aq, ai) = row["before"], row["after"]
            ratio = aq / door["after"][0]
            print(
                f"{size:>4} {row['who']:8} {row['path']:40} | {bq:>6} {bi:>5} | {aq:>5} "
                f"{ai:>5} | {ratio:>12.2f}x"
            )
        print(f"     ({result['restrictions']} page view restrictions)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure()
    else:
        main()
