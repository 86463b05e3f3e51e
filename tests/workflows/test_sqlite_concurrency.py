"""On the embedded default (SQLite), two people writing at the same moment queue; no 500.

SQLite has one writer at a time. A transaction that reads first and then writes (a ballot: check
the window and the roll, then write; an approval; a join request) cannot wait for the write lock
half-way: SQLite answers "database is locked" at once. The settings make every transaction take
the lock when it begins, and wait up to 20 s for it (site/config/settings/base.py).

The test suite's own SQLite database lives in memory with a shared cache, whose table locks
behave differently, so this test opens a database file of its own with the project's settings,
and the same file with SQLite's defaults for the denied case.
"""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer")


def _read_then_write_at_once(path, options) -> list[str]:
    """Two connections each begin, read, wait for the other, then write and commit."""
    setup = DatabaseWrapper({**connection.settings_dict, "NAME": str(path), "OPTIONS": options})
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS vote (n integer)")
    setup.close()
    barrier = threading.Barrier(2, timeout=5)
    outcomes: list[str] = []

    def voter(n):
        db = DatabaseWrapper({**connection.settings_dict, "NAME": str(path), "OPTIONS": options})
        try:
            db.ensure_connection()
            db.set_autocommit(True)
            db._start_transaction_under_autocommit()  # what transaction.atomic() does on SQLite
            with db.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM vote")
                # Wait for the other one to be inside its transaction too; with IMMEDIATE it is
                # held at BEGIN until this one commits, and the barrier gives up after 1 s.
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=1)
                cursor.execute("INSERT INTO vote VALUES (%s)", [n])
            db.connection.commit()
            outcomes.append("counted")
        except Exception as error:  # noqa: BLE001 - the outcome is what the test compares
            outcomes.append(str(error))
        finally:
            db.close()

    threads = [threading.Thread(target=voter, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_project_settings__two_writers_at_once_both_succeed(tmp_path, django_db_blocker):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with django_db_blocker.unblock():
        outcomes = _read_then_write_at_once(tmp_path / "db.sqlite3", options)
    assert outcomes == ["counted", "counted"]


def test_sqlite_defaults__one_of_two_writers_fails(tmp_path, django_db_blocker):
    """The denied case on the same setup: without the settings, one of them gets an error."""
    with django_db_blocker.unblock():
        outcomes = _read_then_write_at_once(tmp_path / "db.sqlite3", {"timeout": 1})
    assert "counted" in outcomes
    assert any("locked" in outcome for outcome in outcomes), outcomes
