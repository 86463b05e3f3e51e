"""A copy of the whole test database, taken once and put back in a fraction of a second.

The demo takes thousands of queries to load. The session loads it once and takes a snapshot;
transactional tests (which commit) put the snapshot back instead of loading the demo again, and
a test that used `demo_loaded` puts it back again in place of the usual flush at its end (the
flush empties every table and makes the content types and permissions again, which the next
test's restore would throw away). The rows come back with the same ids, so whatever a cache
remembers from the session still points at the same objects.

SQLite (in memory in the suite): SQLite's backup API copies every page of the database.
PostgreSQL: `COPY ... TO STDOUT` per table in binary. Each table gets a statement trigger that
notes its name in `nbh_test_dirty_tables` when it is written to (any connection, any thread;
rolled back with the transaction that wrote), so a restore empties and copies back only the
tables written since the last one (with triggers and foreign keys off while it does:
`session_replication_role`), then moves their sequences past the restored ids. Without the
rights to do that (not a superuser) every table is truncated and copied back, as before.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection, transaction

DIRTY = "nbh_test_dirty_tables"  # written out in the SQL below
_TRACKING = """
CREATE UNLOGGED TABLE IF NOT EXISTS nbh_test_dirty_tables (name text NOT NULL);
CREATE OR REPLACE FUNCTION nbh_test_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- no unique index, so two transactions writing one table never wait for each other
    INSERT INTO nbh_test_dirty_tables (name) VALUES (TG_TABLE_NAME);
    RETURN NULL;
END $$;
"""


@dataclass
class Snapshot:
    sqlite: sqlite3.Connection | None = None
    tables: dict[str, bytes] = field(default_factory=dict)
    tracked: bool = False  # PostgreSQL: written tables are noted, a restore copies only those


def take() -> Snapshot:
    """The database as it is now (call it outside any transaction)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return Snapshot(sqlite=copy)
    if connection.vendor != "postgresql":
        raise NotImplementedError(connection.vendor)
    snapshot = Snapshot()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == DIRTY:
                continue
            sql = f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT BINARY)"
            with cursor.copy(sql) as copy:
                snapshot.tables[table] = b"".join(bytes(chunk) for chunk in copy)
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            _track(cursor, snapshot)
    return snapshot


def _track(cursor, snapshot: Snapshot) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic():
        cursor.execute(_TRACKING)
        for table in snapshot.tables:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER nbh_test_dirty AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {quote(table)} FOR EACH STATEMENT "
                "EXECUTE FUNCTION nbh_test_mark_dirty()"
            )
        cursor.execute("DELETE FROM nbh_test_dirty_tables")
    snapshot.tracked = True


def restore(snapshot: Snapshot) -> None:
    """Put the database back as it was when the snapshot was taken (outside any transaction)."""
    connection.ensure_connection()
    if snapshot.sqlite is not None:
        snapshot.sqlite.backup(connection.connection)
    else:
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            if snapshot.tracked:
                cursor.execute("SELECT DISTINCT name FROM nbh_test_dirty_tables")
                tables = sorted({name for (name,) in cursor.fetchall()} & set(snapshot.tables))
                if tables:
                    # Triggers off: no foreign key checks or cascades, no tables noted again.
                    cursor.execute("SET LOCAL session_replication_role = replica")
                    for table in tables:
                        cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (a table's name)
                cursor.execute("DELETE FROM nbh_test_dirty_tables")
            else:
                tables = list(snapshot.tables)
                cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in tables))
            for table in tables:
                with cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(snapshot.tables[table])
            written = set(tables)
            models = [
                model
                for model in apps.get_models(include_auto_created=True)
                if model._meta.db_table in written
            ]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if snapshot.tracked and tables:
                cursor.execute("SET LOCAL session_replication_role = origin")
    # What the emptied database left in memory: content types and permissions made again by
    # the flush, and cached site root paths and the like.
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
