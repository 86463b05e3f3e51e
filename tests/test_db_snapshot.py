"""After a transactional test the database is the demo again, row for row: what `demo_loaded`
and the restore that replaces the flush put back (tests/db_snapshot.py), whatever was written,
by whichever connection, and after a flush."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from tests import db_snapshot
from tests.conftest import _DEMO

pytestmark = pytest.mark.django_db(transaction=True)


def _rows() -> dict[str, list]:
    """Every table's rows, in a stable order."""
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t != db_snapshot.DIRTY]
        found = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found[table] = sorted(map(repr, cursor.fetchall()))
    return found


def _restored_equals(before: dict[str, list]) -> list[str]:
    db_snapshot.restore(_DEMO["snapshot"])
    after = _rows()
    return [table for table in before if before[table] != after.get(table)]


def test_restore__writes_of_every_kind__the_demo_again(demo_loaded):
    before = _rows()
    users = get_user_model().objects
    users.filter(username="frontline-member").update(first_name="Changed")
    users.create_user("newcomer", "newcomer@example.org", "x")
    Group.objects.filter(name__icontains="bereaved").first().user_set.clear()
    page = Page.objects.get(url_path="/home/frontline/resources/").specific
    page.title = "Renamed"
    page.save_revision().publish()
    assert _rows() != before
    assert _restored_equals(before) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one connection per thread")
def test_restore__a_write_by_another_connection__the_demo_again(demo_loaded):
    before = _rows()

    def write():
        try:
            get_user_model().objects.filter(username="applicant").update(last_name="Other")
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert _rows() != before
    assert _restored_equals(before) == []


def test_restore__after_a_flush__the_demo_again(demo_loaded):
    before = _rows()
    call_command("flush", interactive=False, verbosity=0)
    assert not get_user_model().objects.exists()
    assert _restored_equals(before) == []
