"""Shared fixtures. The test database holds the demo Neighborhood, loaded once per session.

It is built once and then copied by every xdist worker and every later run, until anything it
depends on changes (tests/session_db.py).

Tests that use `db` run inside a transaction that is rolled back, so each one starts from the
demo. Transactional tests (`transactional_db`, `live_server`) commit; pytest-django runs them
last. They put the demo back with `demo_loaded`, from a snapshot taken right after the session
loaded it (tests/db_snapshot.py), and after such a test the snapshot is put back again in place
of the flush that would empty the database (other transactional tests are flushed as usual).

Setup that several tests only read (a community deleted, a draft submitted) can be made once
for a module or class with `shared_setup`: it stays for those tests and is rolled back after
them, while each test still rolls back its own changes on top of it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client, TransactionTestCase
from django.test.utils import teardown_databases
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from home.demo import PEOPLE, load_demo
from tests import db_snapshot, session_db

DEMO_PASSWORD = "correct-horse-battery-staple-42"
ROLES = list(PEOPLE)  # staff, frontline-member, ..., applicant
ANONYMOUS = "visitor"
ALL_ROLES = [ANONYMOUS, *ROLES]
SPACES = ["frontline", "bereaved", "common-ground"]
# The access matrix's answer key: which private spaces each demo role may read (docs/privacy.md,
# invariants `visitors-see-public-only` and `members-see-own-spaces`).
SEES = {
    ANONYMOUS: set(),
    "staff": {"frontline", "bereaved", "common-ground"},
    "frontline-member": {"frontline", "common-ground"},
    "frontline-editor": {"frontline", "common-ground"},
    "bereaved-member": {"bereaved", "common-ground"},
    "bereaved-editor": {"bereaved", "common-ground"},
    "member-of-both": {"frontline", "bereaved", "common-ground"},
    "applicant": set(),
}


_DEMO: dict[str, Any] = {}  # "snapshot", and "restore_after" while a test needs it


_SESSION_DB_KEY = pytest.StashKey[str]()


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # xdist's controller, or a run without xdist
        config.stash[_SESSION_DB_KEY] = session_db.cache_key()


def pytest_terminal_summary(terminalreporter):
    """axe-core's line per page from the browser crawl (tests/axe.py), also under xdist (the
    report sections travel with the workers' reports)."""
    lines = [
        content
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call"
        for name, content in getattr(report, "sections", [])
        if name == "Captured axe call" and content
    ]
    if lines:
        terminalreporter.section("axe-core, per page (serious+critical at 1280 | 390 px)")
        terminalreporter.write_line("\n".join(lines))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """xdist: every worker uses the controller's key, so they share one built database."""
    node.workerinput["session_db_key"] = node.config.stash[_SESSION_DB_KEY]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language. Django's LocaleMiddleware activates a request's
    language in the thread and never puts it back, so a test that sent a request in Portuguese
    once left the next test on that worker reading its messages in Portuguese (a CI run failed on
    it)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """The test database with the demo loaded: built once, then copied (tests/session_db.py)."""
    config = request.config
    key = getattr(config, "workerinput", {}).get("session_db_key") or config.stash[_SESSION_DB_KEY]
    verbosity = config.option.verbose
    with django_db_blocker.unblock():
        db_config = session_db.setup(key, lambda: load_demo(DEMO_PASSWORD), verbosity)
        _DEMO["snapshot"] = db_snapshot.take()
    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = _restore_instead_of_flush(flush)
    yield
    TransactionTestCase._fixture_teardown = flush
    with django_db_blocker.unblock():
        teardown_databases(db_config, verbosity=verbosity)


def _restore_instead_of_flush(flush):
    """A transactional test that used `demo_loaded` ends with the demo put back, not with an
    empty database (the flush makes content types and permissions again, only for the next
    test's restore to replace them): the same state for the next test, at a fraction of the cost."""

    def teardown(test_case):
        if _DEMO.pop("restore_after", False):
            db_snapshot.restore(_DEMO["snapshot"])
        else:
            flush(test_case)

    return teardown


@pytest.fixture
def demo_loaded(transactional_db):
    """For transactional tests: the demo, put back into the database as the session loaded it
    (and put back again when the test ends, in place of the flush)."""
    db_snapshot.restore(_DEMO["snapshot"])
    _DEMO["restore_after"] = True


@contextlib.contextmanager
def shared_setup(django_db_blocker) -> Iterator[None]:
    """For a module- or class-scoped fixture: what it builds inside this block is seen by each
    of its tests and rolled back after the last one. Each test's own `db` transaction is a
    savepoint inside this one, so a test's changes are still undone before the next test.

        @pytest.fixture(scope="module")
        def deleted(django_db_setup, django_db_blocker):
            with shared_setup(django_db_blocker):
                ...build...
                yield ids  # plain values: each test loads its own objects
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # like TestCase's own: durable blocks inside still work
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def _chromium():
    """One Chromium for every browser test of the process (starting one costs seconds of CPU);
    tests use it through `browser`. Skips (or fails under CI) without Chromium."""
    from tests.test_browser import _recording_browser  # noqa: PLC0415 (selenium is optional)

    driver = _recording_browser()
    yield driver
    driver.quit()


@pytest.fixture
def browser(_chromium, live_server):
    """The process's Chromium, as a new one would be: no cookies, cache, storage or logs left by
    the test before, its window at the size it starts with (tests/test_browser.py)."""
    from tests.test_browser import _as_new  # noqa: PLC0415

    return _as_new(_chromium, live_server.url)


@pytest.fixture
def server(live_server):
    """The live server, for a test whose browser sends two requests at once (a double click).
    On SQLite the suite's database is in memory, one connection shared by the server's threads,
    so two requests at once would share one transaction (the second then failed on the first's
    broken one): here they take turns, as a file database's writers do (`transaction_mode:
    IMMEDIATE`). On PostgreSQL each request has its own connection, and the row locks decide."""
    httpd = live_server.thread.httpd
    application = httpd.get_app()
    if connection.vendor != "sqlite":
        yield live_server
        return
    turn = threading.Lock()

    def one_at_a_time(environ, start_response):
        with turn:
            return application(environ, start_response)

    # Only for this test: the server is the session's, and the browser tests after it load a
    # page's scripts, styles and images at once (the crawl took twice as long in turns).
    httpd.set_app(one_at_a_time)
    try:
        yield live_server
    finally:
        httpd.set_app(application)


@pytest.fixture
def user(db):
    def get(username: str):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_for(db):
    """A test client signed in as a demo role (or anonymous for "visitor")."""

    def make(role: str) -> Client:
        client = Client()
        if role != ANONYMOUS:
            client.force_login(get_user_model().objects.get(username=role))
        return client

    return make


@pytest.fixture
def page_at(db):
    """The live page at a URL path such as "/frontline/resources/"."""

    def get(url_path: str) -> Page:
        return Page.objects.get(url_path=f"/home{url_path}").specific

    return get


@pytest.fixture
def demo_files(db):
    """{(kind, space slug or "public"): file URL} for every demo document and image."""
    files = {}
    for document in get_document_model().objects.all():
        files[("document", document.file.name.split("/")[-1].split("-welcome")[0])] = document.url
    for image in get_image_model().objects.all():
        space = image.file.name.split("/")[-1].split("-gathering")[0]
        files[("image", space)] = image.serve_url
        files[("rendition", space)] = image.get_rendition("fill-80x80").url
    return files
