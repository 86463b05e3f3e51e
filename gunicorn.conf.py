"""gunicorn settings: `gunicorn -c gunicorn.conf.py` from the repository root (docs/deploy.md).

Every value can be changed by an environment variable (the README's table); the defaults are
chosen for the Neighborhood as it is: a Django app whose requests mostly wait on PostgreSQL and
Redis, served behind a reverse proxy (nginx) that buffers slow clients.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
wsgi_app = "config.wsgi:application"

# Worker class: threads. A request spends much of its time waiting on the database and the
# cache; a thread releases the GIL while it waits, so one process serves several requests at
# once at the memory cost of one. The plain `sync` worker serves one request per process (with
# two of them, throughput stayed flat from 10 to 50 clients and p50 rose 4-8x). Async workers
# (gevent) would need every library to cooperate; gthread needs nothing of the code.
worker_class = "gthread"
# Processes: one per core (the Python code itself runs one thread at a time per process), at
# least two so that one can be replaced while the other serves. Threads per process: 4.
# Each thread may hold a database connection (DATABASE_CONN_MAX_AGE): a server holds up to
# workers x threads connections; keep PostgreSQL's max_connections above the sum over servers.
workers = _int("WEB_CONCURRENCY", max(2, os.cpu_count() or 1))
threads = _int("GUNICORN_THREADS", 4)

# A worker that does not report to the master for this long is killed and replaced. With
# threads the master hears from the worker's main loop, so this catches a stuck process, not a
# slow request; 30 s is well above any page (the slowest, search, takes well under a second).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a restart or a scale-down, requests in flight get this long to finish before the worker
# is killed: long enough for any request, short enough for a deploy.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Keep a connection from the reverse proxy open between requests for this long. Set it above
# nginx's `keepalive_timeout` for the upstream, so the proxy closes first and never reuses a
# connection gunicorn is closing.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Each worker is replaced after this many requests, so slow memory growth (a library's cache, a
# fragmented heap) never builds up; the jitter spreads the restarts so workers do not all
# restart at the same moment. With preload_app a replacement is a fork: it takes milliseconds.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Load Django, Wagtail and the URL map once in the master, then fork: workers start at once
# (a killed worker's replacement used to spend ~10 s importing while the others took its load)
# and share the loaded code's memory. Consequence: new code needs a full restart (a new master),
# not `kill -HUP`. No database connection is opened while loading; post_fork closes any anyway.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes"}

# The worker heartbeat file lives in memory, not on a disk that may stall (containers).
if Path("/dev/shm").is_dir():  # noqa: S108 (a fixed system path, not a temp file we create)
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Trust X-Forwarded-Proto/-For only from the reverse proxy (its address; `*` only when the app
# servers are reachable from the proxy alone). Django reads the client address itself from
# X-Forwarded-For with TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# No access log by default: it would keep every visitor's address and every path they read,
# which docs/data-protection.md says the Neighborhood does not keep. Errors go to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_fork(server, worker):
    """A forked worker must not share a database connection the master may have opened."""
    if not preload_app:
        return  # nothing was loaded in the master
    # Imported here: Django is configured only once the master has loaded the app.
    from django.db import connections

    connections.close_all()
