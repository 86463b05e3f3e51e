"""Benchmark: this API against stock Wagtail API v2, on the same synthetic Neighborhood.

Run with `make bench` (or `.venv/bin/python tests/bench/api.py [R ...]`). On the local
PostgreSQL (`BENCH_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/) it creates
`nb_bench` (migrated, with the demo), then for each R (2, 20, 200) a copy `nb_bench_r<R>` with
R communities holding about 10,000 pages between them (bulk-inserted tree rows), and prints, for
ours (/api/v2/) and stock v2 (/api/stock/, tests/api/stock_urls.py), for a visitor and for a
member (frontline-member, by session: stock honours nothing else): queries per request and
median latency of a listing, a detail and a search; then requests per second under load
(gunicorn, 2 workers, on loopback; 4 client threads). The databases are dropped at the end.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
BASE_DB = "nb_bench"
TOTAL_PAGES = 10_000
REPEAT = 15
STOCK_REPEAT = 5  # stock v2 takes seconds per request at R = 200
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "4"))
THREADS = 4
PORT = int(os.environ.get("BENCH_PORT", "8765"))
MEMBER = "frontline-member"
# One directory for the uploaded files of every child process: the demo's images written while
# building must be found while measuring (a missing original made its page answer 500).
VAR_DIR = os.environ.get("NEIGHBORHOOD_VAR_DIR") or ""
if not VAR_DIR:  # this process makes it (its children are given it): removed when it ends
    VAR_DIR = tempfile.mkdtemp(prefix="neighborhood-bench-")
    atexit.register(shutil.rmtree, VAR_DIR, True)


def _env(database: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.bench.api_settings",
        DATABASE_URL=SERVER.rstrip("/") + "/" + database,
        NEIGHBORHOOD_VAR_DIR=VAR_DIR,
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    )
    return env


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _child(*args: str, database: str) -> str:
    done = subprocess.run(  # noqa: S603 - this script, run again with fixed arguments
        [sys.executable, __file__, *args],
        env=_env(database),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


# In the child process: build and measure -----------------------------------------------------


def _setup_django():
    import django

    django.setup()


def build_base() -> None:
    _setup_django()
    from django.core.management import call_command

    from home.demo import load_demo

    call_command("migrate", verbosity=0, interactive=False)
    load_demo("bench-password-not-secret-42")


def _base36(number: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(width):
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out


def build(communities: int) -> None:
    """R communities in all (the demo's two plus R-2 provisioned), ~10,000 pages among them."""
    _setup_django()
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from community_pages.models import CommunityPage, ResourceLibraryIndexPage
    from community_pages.services import space_create
    from home.models import HomePage

    home = HomePage.objects.get(depth=2, locale__language_code="en")
    with transaction.atomic():
        for n in range(communities - 2):
            space_create(
                parent=home, page_class=CommunityPage, title=f"Bench {n}", slug=f"bench-{n}"
            )
    libraries = [
        library
        for library in ResourceLibraryIndexPage.objects.filter(
            locale__language_code="en", depth=4
        ).order_by("path")
        if CommunityPage.objects.filter(path=library.path[:12]).exists()
    ]
    assert len(libraries) == communities, (len(libraries), communities)
    per_library = TOTAL_PAGES // communities
    content_type = ContentType.objects.get_for_model(Page)
    locale = Locale.objects.get(language_code="en")
    now = timezone.now()
    rows = []
    for library in libraries:
        start = library.numchild
        for n in range(per_library):
            slug = f"bench-resource-{n}"
            rows.append(
                Page(
                    path=library.path + _base36(start + n + 1, Page.steplen),
                    depth=library.depth + 1,
                    numchild=0,
                    title=f"Bench resource {n} of {library.get_parent().title}",
                    draft_title=f"Bench resource {n}",
                    slug=slug,
                    content_type=content_type,
                    live=True,
                    has_unpublished_changes=False,
                    url_path=f"{library.url_path}{slug}/",
                    first_published_at=now,
                    last_published_at=now,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                )
            )
        Page.objects.filter(pk=library.pk).update(numchild=start + per_library)
    with transaction.atomic():
        Page.objects.bulk_create(rows, batch_size=2000)
    print(json.dumps({"pages": Page.objects.count()}))


def _median_ms(client, url: str, repeat: int) -> tuple[int, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    queries = 0
    for _ in range(repeat):
        connection.queries_log.clear()  # the log is capped (9,000): a full one counts nothing
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return queries, statistics.median(times) * 1000, response.status_code


def measure() -> None:
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from wagtail.models import Page, PageViewRestriction

    setup_test_environment()
    member = Client()
    member.force_login(get_user_model().objects.get(username=MEMBER))
    clients = {"visitor": Client(), "member": member}
    detail = Page.objects.filter(slug="bench-resource-7", url_path__contains="/frontline/").first()
    public = Page.objects.get(url_path="/home/about/")
    results = {"restrictions": PageViewRestriction.objects.count(), "rows": []}
    for who, client in clients.items():
        page = detail if who == "member" else public
        for kind, path in (
            ("list", "pages/?limit=20"),
            ("detail", f"pages/{page.pk}/"),
            ("search", "pages/?search=resource&limit=20"),
        ):
            row = {"who": who, "kind": kind}
            for api, prefix, repeat in (
                ("ours", "/api/v2/", REPEAT),
                ("stock", "/api/stock/", STOCK_REPEAT),
            ):
                queries, ms, status = _median_ms(client, prefix + path, repeat)
                assert status == 200, (api, who, kind, status)
                row[api] = {"queries": queries, "ms": ms, "status": status}
            results["rows"].append(row)
    session = member.cookies["sessionid"].value
    results["session"] = session
    print(json.dumps(results))


# In the parent process: orchestrate and print --------------------------------------------------


def _load(url: str, cookie: str | None) -> float:
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    stop = time.monotonic() + LOAD_SECONDS
    counts = [0] * THREADS
    errors = []

    def worker(i: int) -> None:
        while time.monotonic() < stop:
            try:
                request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
                counts[i] += 1
            except Exception as error:  # noqa: BLE001 - counted, reported below
                errors.append(error)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"  ({len(errors)} errors, e.g. {errors[0]!r})")
    return sum(counts) / (time.monotonic() - started)


def _serve(database: str):
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=_env(database),
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v2/pages/?limit=1", timeout=2)
            return server
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [2, 20, 200]
    started = time.monotonic()
    _psql(f"DROP DATABASE IF EXISTS {BASE_DB}")
    _psql(f"CREATE DATABASE {BASE_DB}")
    print(f"Building the base database {BASE_DB} (migrate + demo)...", flush=True)
    _child("--build-base", database=BASE_DB)
    table = []
    try:
        for size in sizes:
            database = f"{BASE_DB}_r{size}"
            _psql(f"DROP DATABASE IF EXISTS {database}")
            _psql(f"CREATE DATABASE {database} TEMPLATE {BASE_DB}")
            try:
                built = json.loads(_child("--build", str(size), database=database))
                result = json.loads(_child("--measure", database=database))
                print(
                    f"R={size}: {built['pages']} pages, {result['restrictions']} view restrictions",
                    flush=True,
                )
                server = _serve(database)
                try:
                    base = f"http://127.0.0.1:{PORT}"
                    rps = {
                        (api, who): _load(
                            f"{base}{prefix}pages/?limit=20",
                            result["session"] if who == "member" else None,
                        )
                        for api, prefix in (("ours", "/api/v2/"), ("stock", "/api/stock/"))
                        for who in ("visitor", "member")
                    }
                finally:
                    server.terminate()
                    server.wait()
                table.append((size, result, rps))
            finally:
                _psql(f"DROP DATABASE IF EXISTS {database}")
    finally:
        _psql(f"DROP DATABASE IF EXISTS {BASE_DB}")
    report(table)
    print(f"\nTotal bench time: {time.monotonic() - started:.0f} s")


def report(table) -> None:
    print("\nQueries per request and median latency (ms), in-process, PostgreSQL")
    print(
        f"{'R':>4} {'who':8} {'request':7} | {'ours q':>6} {'ours ms':>8} | {'stock q':>7} "
        f"{'stock ms':>9} | {'speed-up':>8}"
    )
    for size, result, _rps in table:
        for row in result["rows"]:
            ours, stock = row["ours"], row["stock"]
            print(
                f"{size:>4} {row['who']:8} {row['kind']:7} | {ours['queries']:>6} "
                f"{ours['ms']:>8.1f} | {stock['queries']:>7} {stock['ms']:>9.1f} | "
                f"{stock['ms'] / ours['ms']:>7.1f}x"
            )
    print(f"\nRequests per second, listing (gunicorn, 2 workers, {THREADS} client threads)")
    print(
        f"{'R':>4} | {'ours visitor':>12} {'ours member':>12} | {'stock visitor':>13} "
        f"{'stock member':>12}"
    )
    for size, _result, rps in table:
        print(
            f"{size:>4} | {rps['ours', 'visitor']:>12.1f} {rps['ours', 'member']:>12.1f} | "
            f"{rps['stock', 'visitor']:>13.1f} {rps['stock', 'member']:>12.1f}"
        )
    print("\nGoals")
    ours_q = [row["ours"]["queries"] for _s, result, _r in table for row in result["rows"]]
    goal_q = max(ours_q) <= 10
    print(
        f"  at most 10 queries per request: max {max(ours_q)} -> {'met' if goal_q else 'NOT met'}"
    )
    by_size = {
        size: {(r["who"], r["kind"]): r["ours"]["queries"] for r in result["rows"]}
        for size, result, _r in table
    }
    flat = len({tuple(sorted(v.items())) for v in by_size.values()}) == 1
    print(f"  query counts flat in R: {'met' if flat else 'NOT met'} {by_size if not flat else ''}")
    last_size, last, _rps = table[-1]
    rows = {(r["who"], r["kind"]): r for r in last["rows"]}
    member_list = rows["member", "list"]
    speedup = member_list["stock"]["ms"] / member_list["ours"]["ms"]
    print(
        f"  member listing at R={last_size} at least 20x faster than stock: {speedup:.1f}x -> "
        f"{'met' if speedup >= 20 else 'NOT met'}"
    )
    ratio = member_list["ours"]["ms"] / rows["visitor", "list"]["ours"]["ms"]
    print(
        f"  member listing within 1.2x of a visitor's (R={last_size}): {ratio:.3f}x -> "
        f"{'met' if ratio <= 1.2 else 'NOT met'}"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build-base"]:
        build_base()
    elif sys.argv[1:2] == ["--build"]:
        build(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--measure"]:
        measure()
    else:
        main()
