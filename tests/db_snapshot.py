"""A copy of the whole test database, taken once and put back in a fraction of a second.

The demo takes thousands of queries to load. The session loads it once and takes a snapshot;
transactional tests (which commit, so the database is emptied after each) put the snapshot back
instead of loading the demo again. The rows come back with the same ids, so whatever a cache
remembers from the session still points at the same objects.

SQLite (in memory in the suite): SQLite's backup API copies every page of the database.
PostgreSQL: `COPY ... TO STDOUT` per table in binary, then `COPY ... FROM STDIN` after a
`TRUNCATE` of every table (Django's foreign keys are deferred, so the order does not matter),
then the sequences are moved past the restored ids.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass
class Snapshot:
    sqlite: sqlite3.Connection | None = None
    tables: dict[str, bytes] = field(default_factory=dict)


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
            sql = f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT BINARY)"
            with cursor.copy(sql) as copy:
                snapshot.tables[table] = b"".join(bytes(chunk) for chunk in copy)
    return snapshot


def restore(snapshot: Snapshot) -> None:
    """Put the database back as it was when the snapshot was taken (outside any transaction)."""
    connection.ensure_connection()
    if snapshot.sqlite is not None:
        snapshot.sqlite.backup(connection.connection)
    else:
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in snapshot.tables))
            for table, data in snapshot.tables.items():
                with cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(data)
            models = apps.get_models(include_auto_created=True)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    # What the emptied database left in memory: content types and permissions made again by
    # the flush, and cached site root paths and the like.
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
