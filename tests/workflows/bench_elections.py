"""Benchmark: the cost of a secret ballot (every vote rewrites all ballots) and of the election
page, for communities of 20, 200 and 1,000 voters.

Run with `.venv/bin/python tests/workflows/bench_elections.py [sizes...]`. It builds the demo in
a temporary SQLite database (never the configured one) unless BENCH_DATABASE_URL names another
(e.g. `postgres://postgres@127.0.0.1:5432/nb_bench`, created and dropped by the script's test
runner), adds members who vote, and prints per size: the time of the last ballot, the queries it
made, and the election page's queries and time.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
VAR_DIR = tempfile.mkdtemp(prefix="neighborhood-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["NEIGHBORHOOD_VAR_DIR"] = VAR_DIR
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{VAR_DIR}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from community_pages.models import Community  # noqa: E402
from community_pages.services import membership_add  # noqa: E402
from home.demo import load_demo  # noqa: E402
from workflows.models import Election, Nomination  # noqa: E402
from workflows.services.elections import ballot_cast  # noqa: E402

SIZES = [int(n) for n in sys.argv[1:]] or [20, 200, 1000]


def bench(size: int) -> None:
    User = get_user_model()
    community = Community.objects.get(slug="bereaved")
    now = timezone.now()
    election = Election.objects.create(
        community=community,
        seats=3,
        nominations_open=now - timedelta(days=3),
        nominations_close=now - timedelta(days=2),
        voting_open=now - timedelta(days=1),
        voting_close=now + timedelta(days=1),
        term_days=365,
        status=Election.Status.OPEN,
    )
    voters = []
    for n in range(size):
        voter = User.objects.create_user(f"bench-{size}-{n}", f"bench-{size}-{n}@example.org")
        membership_add(user=voter, community=community)
        voters.append(voter)
    candidates = [
        Nomination.objects.create(
            election=election, nominee=voter, status=Nomination.Status.ACCEPTED
        ).pk
        for voter in voters[:5]
    ]
    for n, voter in enumerate(voters[:-1]):
        ballot_cast(election=election, voter=voter, candidate_ids=candidates[n % 5 : n % 5 + 2])
    connection.queries_log.clear()  # CaptureQueriesContext counts within its bounded log
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        ballot_cast(election=election, voter=voters[-1], candidate_ids=candidates[:3])
        vote_ms = (time.perf_counter() - start) * 1000
    client = Client()
    client.force_login(voters[0])
    url = f"/bereaved/elections/{election.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as page_queries:
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        page_ms = (time.perf_counter() - start) * 1000
    print(
        f"{size:>5} voters | last ballot {vote_ms:6.1f} ms, {len(queries):>2} queries "
        f"| election page {page_ms:6.1f} ms, {len(page_queries):>2} queries"
    )


def main() -> None:
    setup_test_environment()
    from django.test.utils import get_runner

    runner = get_runner(django.conf.settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        load_demo("bench-password-not-secret-42")
        print(f"database: {connection.vendor}")
        for size in SIZES:
            bench(size)
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
