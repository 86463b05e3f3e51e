"""The deployment test: a production-like Neighborhood on one machine, end to end.

Run by `.ci/run` (and `make test-deploy`): `.venv/bin/python tests/deploy/e2e.py`. It starts,
as docs/deploy.md describes, its own PostgreSQL cluster, Redis, the S3-compatible server and the
task worker when installed, and two gunicorn app servers (A and B) with the production settings
on different ports (tests/deploy/stack.py), then checks what a load balancer in front of them
would need:

1. both are ready (`/readyz`), static files have long-lived hashed names;
2. a file uploaded through A (the admin, as an editor) is read through B by a member, and
   refused (the one 404) to a member of another community and to a visitor;
3. a membership admitted on A takes effect on B at the next request;
4. two members vote through A and B; a second ballot is refused;
5. PostgreSQL is stopped under load: pages answer 503 with Retry-After, the API a JSON 503,
   `/healthz` stays 200, `/readyz` 503; never a 500. PostgreSQL is started again: full service
   with nothing done by hand, and nothing written before the outage is lost (the file, the
   membership, both ballots, counted once the election closes).

Prints each step; exits non-zero at the first failure, with the servers' logs.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2])]

from tests.deploy.client import (  # noqa: E402 (the path above comes first)
    Browser,
    bearer,
    get,
    post_json,
)
from tests.deploy.stack import DEMO_PASSWORD, DEMO_SETTINGS, Stack  # noqa: E402

ROLES = ["staff", "frontline-member", "frontline-editor", "bereaved-member", "member-of-both",
         "applicant"]  # fmt: skip
FILE = b"%PDF-1.4\n% deployment test: a private file for the Frontline community\n"


_CLOCK = {"started": time.monotonic(), "step": None}
TIMINGS: list[tuple[str, float]] = []


def step(text: str | None) -> None:
    """Ends the step under way (its time is kept for the summary) and starts the next."""
    now = time.monotonic()
    if _CLOCK["step"] is not None:
        name, began = _CLOCK["step"]
        TIMINGS.append((name, now - began))
        print(f"   ({now - began:.1f} s)", flush=True)
    _CLOCK["step"] = (text, now) if text else None
    if text:
        print(f"-- {text}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


SETUP = """
import json
from django.contrib.auth import get_user_model
from wagtail.models import APIToken, Page
from community_pages.models import Community
tokens = {}
for name in %r:
    user = get_user_model().objects.get(username=name)
    tokens[name] = APIToken.create_token(user=user, name="deploy test")[1]
frontline = Community.objects.get(slug="frontline")
page = Page.objects.get(url_path="/home/frontline/", locale__language_code="en")
collection = frontline.collection
print(json.dumps({"tokens": tokens, "page": page.pk, "collection": collection.pk}))
"""


TASKS = """
import json
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.values_list("task_path", "status", "run_after")
now = timezone.now()
print(json.dumps([
    # deferred: to run later (run_after is the largest date for a task that may run at once)
    [path.rsplit(".", 1)[-1], status, now < after and after.year < 9000]
    for path, status, after in rows
]))
"""


def tasks(stack: Stack) -> Counter:
    """The task queue's rows: (task, status, deferred) -> how many."""
    out = stack.manage("shell", "-c", TASKS)
    return Counter(tuple(row) for row in json.loads(out.strip().splitlines()[-1]))


def worker_done(stack: Stack, seconds: float = 60) -> Counter:
    """Waits until the worker has run every task that is due; fails on a failed task."""
    deadline = time.monotonic() + seconds
    while True:
        found = tasks(stack)
        due = sum(
            n
            for (_task, status, later), n in found.items()
            if status in ("READY", "RUNNING") and not later
        )
        check(not any(status == "FAILED" for _t, status, _l in found), f"a task failed: {found}")
        if not due:
            return found
        check(time.monotonic() < deadline, f"the worker left tasks waiting: {found}")
        time.sleep(1)


def reset_password(stack: Stack, port: int, username: str) -> None:
    """A password reset e-mail: queued by the app server, sent by the worker."""
    visitor = Browser()
    visitor.get(port, "/account/password-reset/")
    answer = visitor.post(port, "/account/password-reset/", {"email": f"{username}@example.org"})
    check(answer.status == 302, f"password reset on {port}: {answer.status}")


def worker_runs(stack: Stack) -> None:
    step("the worker runs the scheduled job and the e-mail queued by a server")
    check(stack.worker_alive(), "the worker is running")
    reset_password(stack, stack.ports[1], "frontline-member")
    found = worker_done(stack)
    check(found[("send_email", "SUCCESSFUL", False)] >= 1, f"the e-mail was sent: {found}")
    check(found[("editor_terms_expire_task", "SUCCESSFUL", False)] == 1, f"the job ran: {found}")
    check(found[("editor_terms_expire_task", "READY", True)] == 1, f"the next run: {found}")


def setup(stack: Stack) -> dict:
    out = stack.manage("shell", "-c", SETUP % (ROLES,), settings=DEMO_SETTINGS)
    return json.loads(out.strip().splitlines()[-1])


def ready_and_static(stack: Stack) -> None:
    step("both servers ready; static files hashed and long-lived")
    for port in stack.ports:
        answer = get(port, "/readyz")
        check(answer.status == 200, f"/readyz on {port}: {answer.status} {answer.body!r}")
        check(answer.json()["status"] == "ok", "readyz says ok")
    manifest = (Path(stack.env["STATIC_ROOT"]) / "staticfiles.json").read_text()
    hashed = next(iter(json.loads(manifest)["paths"].values()))
    answer = get(stack.ports[1], f"/static/{hashed}")
    check(answer.status == 200, f"static {hashed}: {answer.status}")
    cache = answer.headers.get("cache-control", "")
    check("immutable" in cache and "max-age=315360000" in cache, f"static cache: {cache}")


def file_through_both(stack: Stack, ids: dict) -> tuple[int, str]:
    a, b = stack.ports
    step("an editor uploads a private file through A; a member reads it through B")
    editor = Browser()
    editor.sign_in(a, "frontline-editor", DEMO_PASSWORD)
    editor.get(a, "/admin/documents/add/")
    answer = editor.post(
        a,
        "/admin/documents/add/",
        {"title": "Deployment test handout", "collection": str(ids["collection"]), "tags": ""},
        files={"file": ("deploy-handout.pdf", FILE, "application/pdf")},
    )
    check(answer.status == 302, f"upload through A: {answer.status} {answer.body[:300]!r}")
    tokens = ids["tokens"]
    listing = get(
        b, "/api/v2/documents/?search=Deployment", headers=bearer(tokens["frontline-member"])
    )
    check(listing.status == 200, f"documents listing on B: {listing.status}")
    items = [d for d in listing.json()["items"] if d["title"] == "Deployment test handout"]
    check(len(items) == 1, f"the member finds the file on B: {listing.json()}")
    url = items[0]["meta"]["download_url"]
    path = url.split(".test", 1)[-1] if url.startswith("http") else url
    member = get(b, path, headers=bearer(tokens["frontline-member"]))
    check(member.status == 200 and member.body == FILE, f"member reads on B: {member.status}")
    check("private" in member.headers.get("cache-control", ""), "the file is private")
    for who in ("bereaved-member", "applicant"):
        refused = get(b, path, headers=bearer(tokens[who]))
        check(refused.status == 404, f"{who} on B: {refused.status}")
    check(get(a, path).status == 404, "a visitor gets the one 404")
    return items[0]["id"], path


def membership_across(stack: Stack, ids: dict) -> None:
    a, b = stack.ports
    tokens = ids["tokens"]
    detail = f"/api/v2/pages/{ids['page']}/"
    step("a membership admitted on A takes effect on B at once")
    check(get(b, detail, headers=bearer(tokens["applicant"])).status == 404, "before: hidden")
    asked = post_json(a, "/api/v2/join-requests/", {"community": "frontline"}, tokens["applicant"])
    check(asked.status == 201, f"join request on A: {asked.status} {asked.body!r}")
    decided = post_json(
        a,
        f"/api/v2/join-requests/{asked.json()['id']}/decide/",
        {"decision": "admit"},
        tokens["frontline-editor"],
    )
    check(decided.status == 200, f"admit on A: {decided.status} {decided.body!r}")
    after = get(b, detail, headers=bearer(tokens["applicant"]))
    check(after.status == 200, f"after, on B: {after.status}")


def open_election(port: int, token: str) -> dict:
    elections = get(port, "/api/v2/elections/", headers=bearer(token)).json()
    election = next(e for e in elections if e["phase"] == "voting")
    return get(port, f"/api/v2/elections/{election['id']}/", headers=bearer(token)).json()


def votes_through_both(stack: Stack, ids: dict) -> int:
    a, b = stack.ports
    tokens = ids["tokens"]
    step("two members vote, one through A and one through B; a second ballot is refused")
    election = open_election(a, tokens["frontline-member"])
    candidates = [c["id"] for c in election["candidates"]]
    path = f"/api/v2/elections/{election['id']}/vote/"
    for port, voter in ((a, "frontline-member"), (b, "member-of-both")):
        answer = post_json(port, path, {"candidates": candidates[:1]}, tokens[voter])
        check(answer.status == 204, f"{voter} votes: {answer.status} {answer.body!r}")
    again = post_json(b, path, {"candidates": candidates[:1]}, tokens["frontline-member"])
    check(again.status == 400, f"a second ballot: {again.status} {again.body!r}")
    return election["id"]


def outage(stack: Stack, ids: dict) -> None:
    tokens = ids["tokens"]
    step("PostgreSQL stopped under load: 503s, never a 500; started again: full service")
    member = Browser()
    member.sign_in(stack.ports[1], "frontline-member", DEMO_PASSWORD)
    session = {"Cookie": f"sessionid={member.cookies['sessionid']}"}
    targets = [
        ("page", "/", {}),
        ("member's page", "/frontline/", session),
        ("member page", "/api/v2/pages/?limit=5", bearer(tokens["frontline-member"])),
        ("api", "/api/v2/pages/?limit=5", {}),
    ]
    seen: Counter = Counter()
    problems: list[str] = []
    phase = {"name": "before"}
    stop = threading.Event()

    def load(port: int) -> None:
        while not stop.is_set():
            for kind, path, headers in targets:
                try:
                    answer = get(port, path, headers=headers, timeout=30)
                except OSError as error:
                    problems.append(f"{phase['name']} {kind}: {error!r}")
                    continue
                seen[(phase["name"], answer.status)] += 1
                if answer.status == 503:
                    if "retry-after" not in answer.headers:
                        problems.append(f"503 without Retry-After on {path}")
                    if path.startswith("/api/") and b'"message"' not in answer.body:
                        problems.append(f"API 503 not JSON: {answer.body[:100]!r}")
                elif answer.status != 200:
                    problems.append(f"{phase['name']} {kind} {path}: {answer.status}")

    threads = [threading.Thread(target=load, args=(port,)) for port in stack.ports for _ in (1, 2)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    phase["name"] = "outage"
    stack.postgres.stop()
    time.sleep(3)
    health = [get(port, "/healthz").status for port in stack.ports]
    ready = [get(port, "/readyz") for port in stack.ports]
    outage_page = get(stack.ports[0], "/frontline/", headers=session)
    outage_api = get(stack.ports[1], "/api/v2/pages/", headers=bearer(tokens["frontline-member"]))
    stack.postgres.start()
    phase["name"] = "recovering"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
        get(port, "/readyz").status != 200 for port in stack.ports
    ):
        time.sleep(0.2)
    phase["name"] = "after"
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join()
    print(f"   answers by phase and status: {dict(sorted(seen.items()))}")
    check(health == [200, 200], f"/healthz during the outage: {health}")
    check(all(r.status == 503 and "retry-after" in r.headers for r in ready), "readyz 503")
    check(outage_page.status == 503, f"a page during the outage: {outage_page.status}")
    check(b"Traceback" not in outage_page.body, "no stack on the 503 page")
    check(len(outage_page.body) < 4000, f"a short page: {len(outage_page.body)} bytes")
    check(outage_page.headers.get("retry-after") == "10", "the page's Retry-After")
    check(
        outage_api.status == 503 and set(outage_api.json()) == {"message"},
        f"the API's JSON 503: {outage_api.status} {outage_api.body[:200]!r}",
    )
    check(seen[("outage", 503)] > 0, "503s were seen during the outage")
    check(seen[("after", 200)] > 0 and seen[("after", 503)] == 0, "full service after")
    check(not problems, "problems: " + "; ".join(problems[:10]))


def nothing_lost(stack: Stack, ids: dict, file_path: str, election_id: int) -> None:
    a, b = stack.ports
    tokens = ids["tokens"]
    step("after the restart nothing is lost: the file, the membership, both ballots")
    member = get(a, file_path, headers=bearer(tokens["frontline-member"]))
    check(member.status == 200 and member.body == FILE, "the file is still there")
    applicant = get(a, f"/api/v2/pages/{ids['page']}/", headers=bearer(tokens["applicant"]))
    check(applicant.status == 200, "the membership is still there")
    closed = post_json(b, f"/api/v2/elections/{election_id}/close/", {}, tokens["staff"])
    check(closed.status == 200, f"close: {closed.status} {closed.body!r}")
    results = get(a, f"/api/v2/elections/{election_id}/results/", headers=bearer(tokens["staff"]))
    check(results.status == 200, f"results: {results.status} {results.body!r}")
    check(results.json()["turnout"] == 2, f"both ballots counted: {results.json()}")
    check(stack.worker_alive(), "the worker outlived the outage")
    before = tasks(stack)[("send_email", "SUCCESSFUL", False)]
    reset_password(stack, a, "member-of-both")
    after = worker_done(stack)
    check(after[("send_email", "SUCCESSFUL", False)] > before, f"the worker still sends: {after}")
    # The production settings log every 500 with its stack (the outage's 503s are logged as
    # "Service Unavailable"): none in either server's log.
    for process in stack.processes:
        if process.name.startswith("gunicorn-"):
            log = process.log.read_text(errors="replace")
            check("Internal Server Error" not in log, f"a 500 in {process.name}'s log")


def main() -> int:
    started = time.monotonic()
    stack = Stack(servers=2)
    print(
        f"Deployment test in {stack.tmp}: PostgreSQL {stack.postgres.port}, Redis "
        f"{stack.redis_port}, servers {stack.ports}, S3 {'yes' if stack.has_s3 else 'no'}, "
        f"worker {'yes' if stack.has_worker else 'no'}",
        flush=True,
    )
    # A CI runner stops a job with SIGTERM (or SIGHUP): end as on an error, so `finally` stops
    # every process and removes the temporary directory.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupted)
    try:
        step("start the deployment (docs/deploy.md)")
        stack.start()
        ids = setup(stack)
        ready_and_static(stack)
        worker_runs(stack)
        _file_id, file_path = file_through_both(stack, ids)
        membership_across(stack, ids)
        election_id = votes_through_both(stack, ids)
        outage(stack, ids)
        nothing_lost(stack, ids, file_path, election_id)
        step(None)
    except BaseException:
        print(stack.logs(), file=sys.stderr)
        raise
    finally:
        stack.stop()
    print("\nTimings (s):")
    for name, took in [*stack.timings, *TIMINGS]:
        print(f"  {took:6.1f}  {name}")
    print(f"Deployment test passed in {time.monotonic() - started:.0f} s.")
    return 0


def _interrupted(signum, _frame):
    raise SystemExit(f"stopped by signal {signum}")


if __name__ == "__main__":
    sys.exit(main())
