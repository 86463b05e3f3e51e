"""`make bench-load`: requests per second and latency under load, production-like.

Starts the deployment of tests/deploy/stack.py (its own PostgreSQL cluster and Redis, one
gunicorn app server with the production settings and `gunicorn.conf.py`), loads the demo and
scales it to 200 communities and about 10,000 pages (`tests/bench/api.py --build`), signs a
member in, then runs locust headless against each address for BENCH_SECONDS (default 20) at 10
and at 50 clients, and prints req/s, p50/p95/p99 (ms) and errors per address.

    .venv/bin/python tests/bench/load.py [--communities 200] [--clients 10,50] [--seconds 20]
        [--addresses search,"front door"] [--profile /search/?q=support,visitor:/]

`--addresses` loads only the named addresses (the names of `ADDRESSES`); with `--profile` too,
the profile (queries and time per request, no load) comes first, then the load.

Set BENCH_COMPARE=<git ref> to measure that commit's code too (a temporary `git worktree`, the
same steps, the same machine) and print the ratio after/before per address.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

from tests.deploy.client import HOST, Browser  # noqa: E402
from tests.deploy.stack import DEMO_PASSWORD, DEMO_SETTINGS, Stack  # noqa: E402

MEMBER = "frontline-member"
# (name, path, who): who is "visitor", "session" (the member's cookie) or "token" (Bearer).
ADDRESSES = [
    ("front door", "/", "visitor"),
    ("community page", "/frontline/", "session"),
    ("library", "/frontline/resources/", "session"),
    ("guide", "/frontline/guides/after-a-hard-shift/", "session"),
    ("schedule", "/frontline/groups/", "session"),
    ("search", "/search/?q=support", "session"),
    ("API listing", "/api/v2/pages/?limit=20", "token"),
    ("feed", "/feeds/frontline/meetings.ics", "token"),
]
TOKEN = """
from django.contrib.auth import get_user_model
from wagtail.models import APIToken
print(APIToken.create_token(user=get_user_model().objects.get(username=%r), name="bench")[1])
"""


def scale(stack: Stack, communities: int) -> None:
    env = dict(stack.env, DJANGO_SETTINGS_MODULE=DEMO_SETTINGS)
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - the API bench's builder, fixed arguments
        [
            sys.executable,
            str(stack.root / "tests" / "bench" / "api.py"),
            "--build",
            str(communities),
        ],
        env=env,
        cwd=stack.root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    pages = json.loads(done.stdout.strip().splitlines()[-1])["pages"]
    took = time.monotonic() - started
    print(f"   scaled to {communities} communities, {pages} pages in {took:.0f} s")


PROFILE = """
import cProfile, pstats, time
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
member = Client(HTTP_HOST=%r, HTTP_X_FORWARDED_PROTO="https")
member.force_login(get_user_model().objects.get(username=%r))
visitor = Client(HTTP_HOST=member.defaults["HTTP_HOST"], HTTP_X_FORWARDED_PROTO="https")
for path in %r:
    # "visitor:/path" asks as a visitor; any other path as the member.
    client = visitor if path.startswith("visitor:") else member
    path = path.removeprefix("visitor:")
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for _ in range(5):
            response = client.get(path)
        took = (time.perf_counter() - started) / 5
    print(f"{path}: {response.status_code}, {took * 1000:.0f} ms, {len(captured) // 5} queries")
    for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]:
        print(f"   {q['time']} s  {q['sql'][:400]}")
    profile = cProfile.Profile()
    profile.enable()
    client.get(path)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    # The project's own functions and templates' tags: where a fragment's cost would show.
    ours = r"/(home|site/core|community_pages|resources|workflows)/|templatetags|inclusion"
    pstats.Stats(profile).sort_stats("cumulative").print_stats(ours, 20)
"""


def profile(stack: Stack, paths: list[str]) -> None:
    code = PROFILE % (HOST, MEMBER, paths)
    print(stack.manage("shell", "-c", code, settings=DEMO_SETTINGS))


def locust(port: int, path: str, headers: dict, clients: int, seconds: int, out: Path) -> dict:
    prefix = out / f"run-{clients}"
    env = dict(os.environ, BENCH_PATH=path, BENCH_HEADERS=json.dumps(headers))
    subprocess.run(  # noqa: S603 - locust, fixed arguments
        [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "tests/bench/locustfile.py"),
         "--headless", "-u", str(clients), "-r", str(clients), "-t", f"{seconds}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
         "--loglevel", "ERROR", "--stop-timeout", "5"],
        env=env, cwd=ROOT, capture_output=True, check=False,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    with open(f"{prefix}_failures.csv", newline="") as handle:
        failures = [f"{r['Occurrences']} x {r['Error']}" for r in csv.DictReader(handle)]
    return {
        "failures": failures,
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
    }


def measure(root: Path, args) -> dict:
    stack = Stack(servers=1, root=root, workers=args.workers, threads=args.threads)
    print(f"== {root} (PostgreSQL {stack.postgres.port}, Redis {stack.redis_port})", flush=True)
    results = {}
    try:
        stack.start()
        scale(stack, args.communities)
        if args.profile:
            profile(stack, args.profile.split(","))
            if not args.addresses:
                return results
        stack.restart_servers()  # start serving from a fresh, scaled database
        port = stack.ports[0]
        member = Browser()
        member.sign_in(port, MEMBER, DEMO_PASSWORD)
        token = stack.manage("shell", "-c", TOKEN % MEMBER, settings=DEMO_SETTINGS).split()[-1]
        auth = {
            "visitor": {},
            "session": {"Cookie": f"sessionid={member.cookies['sessionid']}"},
            "token": {"Authorization": f"Bearer {token}"},
        }
        out = Path(tempfile.mkdtemp(prefix="neighborhood-locust-", dir=stack.tmp))  # removed
        for name, path, who in _chosen(args):
            headers = {"Host": HOST, "X-Forwarded-Proto": "https", **auth[who]}
            for clients in args.clients:
                result = locust(port, path, headers, clients, args.seconds, out)
                results[(name, clients)] = result
                print(
                    f"   {name:15} {clients:>3} clients: {result['rps']:7.1f} req/s  p50 "
                    f"{result['p50']:6.0f}  p95 {result['p95']:6.0f}  p99 {result['p99']:6.0f} ms"
                    f"  errors {result['errors']}/{result['requests']}",
                    flush=True,
                )
                for failure in result["failures"]:
                    print(f"      {failure}")
    finally:
        stack.stop()
    return results


def _chosen(args) -> list[tuple[str, str, str]]:
    if not args.addresses:
        return ADDRESSES
    names = [name.strip() for name in args.addresses.split(",")]
    unknown = set(names) - {name for name, _path, _who in ADDRESSES}
    if unknown:
        raise SystemExit(f"unknown addresses: {', '.join(sorted(unknown))}")
    return [address for address in ADDRESSES if address[0] in names]


def report(after: dict, before: dict | None, args) -> None:
    print(
        f"\nLoad: gunicorn (production settings, {args.workers} workers x {args.threads} threads), "
        f"PostgreSQL, Redis; {args.communities} communities; locust, {args.seconds} s per row"
    )
    head = f"{'address':15} {'clients':>7} | {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    head += f" {'errors':>6}"
    print(head + (f" | {'before req/s':>12} {'ratio':>6}" if before else ""))
    for name, _path, _who in _chosen(args):
        for clients in args.clients:
            r = after[(name, clients)]
            line = (
                f"{name:15} {clients:>7} | {r['rps']:>7.1f} {r['p50']:>6.0f} {r['p95']:>6.0f} "
                f"{r['p99']:>6.0f} {r['errors']:>6}"
            )
            if before:
                b = before[(name, clients)]
                line += f" | {b['rps']:>12.1f} {r['rps'] / max(b['rps'], 0.01):>5.1f}x"
            print(line)
    errors = sum(r["errors"] for r in after.values())
    if args.addresses and "front door" not in args.addresses:
        print(f"\nErrors: {errors} (goal: 0)")
        return
    door = {c: after[("front door", c)]["rps"] for c in args.clients}
    print("\nMember pages' throughput against the visitor's front door (goal: within 1.5x)")
    for name, _path, _who in [a for a in ADDRESSES[1:5] if a in _chosen(args)]:
        for clients in args.clients:
            ratio = door[clients] / max(after[(name, clients)]["rps"], 0.01)
            print(f"  {name:15} {clients:>3} clients: front door / page = {ratio:.2f}x")
    print(f"\nErrors: {errors} (goal: 0)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--clients", default="10,50")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 20)))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--profile", help="comma-separated paths: profile them (no load unless --addresses)"
    )
    parser.add_argument("--addresses", help="comma-separated names of ADDRESSES to load only")
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    before = None
    compare = os.environ.get("BENCH_COMPARE")
    if compare:
        tree = Path(tempfile.mkdtemp(prefix="neighborhood-before-")) / "tree"
        git = ["git", "-C", str(ROOT), "worktree"]
        subprocess.run([*git, "add", "--detach", str(tree), compare], check=True)  # noqa: S603
        try:
            before = measure(tree, args)
        finally:
            subprocess.run([*git, "remove", "--force", str(tree)], check=False)  # noqa: S603
    after = measure(ROOT, args)
    if after:
        report(after, before, args)


if __name__ == "__main__":
    main()
