"""The session's test database, built once and reused by every xdist worker and every later run.

Building it (migrations, then the demo) costs tens of seconds of CPU. The first process to need
it builds it and keeps a copy under `var/test-db/<key>/`; every other process, then and in later
runs, copies that instead:

- SQLite (in memory in the suite): the copy is an SQLite file, read into the in-memory test
  database with SQLite's backup API.
- PostgreSQL: the copy is a template database `<test database>_tpl_<key>`; each worker's test
  database is made with `CREATE DATABASE ... TEMPLATE` (then dropped as usual at the end).
- Both: the demo's uploaded files (documents, images) are kept beside it and copied into the
  session's MEDIA_ROOT.

The key is a hash of everything the built database depends on: every Python source, catalog and
JSON file of the project outside tests/ (migrations, models, services, signals, the demo, the
settings), this file and tests/conftest.py, the installed distributions and Python, the settings'
values, the database, and the current UTC hour (the demo's elections are dated from "now", so a
copy never serves for more than about an hour). Any change gives a new key, hence a fresh build;
a stale copy is never read. The key is computed once per run (by xdist's controller), so all
workers agree on it. One process builds at a time (a file lock; an advisory lock on PostgreSQL);
the others wait and then copy. A copy is published by renaming a finished directory (SQLite) or
by creating the template in one statement (PostgreSQL), so a half-built copy is never seen.
`NEIGHBORHOOD_TEST_DB_CACHE=0` turns the cache off (the database is then built as before).

On SQLite the migrated database, before the demo, is kept too, under `var/test-db/schema-<key>/`
with a key of its own (`schema_key`): the migrations, the models, the settings, the installed
distributions and Python, without the hour or the rest of the code. Most changes (a view, a
template, a service, the demo) touch none of these, so a new build copies the migrated database
and loads only the demo, instead of running every migration again (about two thirds of a build).
The copy then gets the post-migrate signal, as `migrate` ends with: content types and
permissions of the models as they are now.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import setup_databases
from django.utils.functional import LazyObject, Promise

FORMAT = b"session-db-1"
SOURCES = {".py", ".po", ".mo", ".json"}
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__", "tests", "docs", "static"}
KEY_FILES = ("tests/conftest.py", "tests/session_db.py", "tests/db_snapshot.py")
VOLATILE_SETTINGS = {"MEDIA_ROOT", "DATABASES"}  # MEDIA_ROOT: a fresh temporary directory
ADDRESS = re.compile(r" at 0x[0-9a-f]+")
STALE_AFTER = 15 * 60  # seconds: another key's copy older than this is deleted
SCHEMA_FORMAT = b"session-db-schema-1"
# What a migrated, empty database depends on, inside the project: migrations, and the models
# whose content types and permissions the post-migrate signal makes.
SCHEMA_PARTS = {"migrations", "models"}
SCHEMA_FILES = {"models.py", "apps.py"}


def enabled() -> bool:
    return os.environ.get("NEIGHBORHOOD_TEST_DB_CACHE", "1") != "0" and connection.vendor in {
        "sqlite",
        "postgresql",
    }


def cache_key() -> str:
    """What the built database depends on, as a short hash (see the module's docstring)."""
    digest = hashlib.sha256(FORMAT)
    digest.update(time.strftime("%Y-%m-%dT%H", time.gmtime()).encode())
    return _hash(digest, lambda path: True)


def schema_key() -> str:
    """What the migrated database, before the demo, depends on (see the module's docstring)."""
    return _hash(
        hashlib.sha256(SCHEMA_FORMAT),
        lambda path: path.name in SCHEMA_FILES or bool(SCHEMA_PARTS & set(path.parts)),
    )


def _hash(digest, wanted: Callable[[Path], bool]) -> str:
    """The digest, updated with Python, the distributions, the project's files that are
    `wanted` (relative paths), the settings and the database; as a short hash."""
    base = Path(settings.BASE_DIR)
    digest.update(sys.version.encode())
    distributions = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(distributions).encode())
    files = [base / name for name in KEY_FILES]
    for root, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        files += [Path(root, n) for n in sorted(names) if Path(n).suffix in SOURCES]
    for path in files:
        if not wanted(path.relative_to(base)):
            continue
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        with contextlib.suppress(FileNotFoundError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in sorted(n for n in dir(settings) if n.isupper() and n not in VOLATILE_SETTINGS):
        value = getattr(settings, name)
        if isinstance(value, LazyObject | Promise):  # its repr changes once it is evaluated
            value = str(value)
        value = ADDRESS.sub("", repr(value))  # "<function f at 0x7f...>"
        digest.update(f"{name}={value}\n".encode())
    db = settings.DATABASES["default"]
    digest.update(repr((db["ENGINE"], db["NAME"], db.get("HOST"), db.get("PORT"))).encode())
    return digest.hexdigest()[:16]


def setup(key: str, build: Callable[[], None], verbosity: int = 0) -> list:
    """Make the test database, holding what `build` makes; return the config for teardown."""
    if set(settings.DATABASES) != {"default"} or not enabled():
        return _build_here(build, verbosity)
    cache = Path(settings.VAR_DIR) / "test-db"
    cache.mkdir(parents=True, exist_ok=True)
    entry = cache / key
    if connection.vendor == "sqlite":
        with _file_lock(cache / ".lock"):
            if not (entry / "db.sqlite3").exists():
                schema = cache / f"schema-{schema_key()}"
                config = _build_here(build, verbosity, schema)
                _publish_sqlite(entry)
                _forget_stale(cache, key, schema.name)
                return config
            return _copy_sqlite(entry)
    base = _template_base()
    template = f"{base}_tpl_{key}"
    with _advisory_lock(base):
        if not (entry / "media").is_dir() or not _database_exists(template):
            config = _build_here(build, verbosity)
            _publish_postgresql(entry, base, template)
            _forget_stale(cache, key)
            return config
        return _copy_postgresql(entry, template)


def _build_here(build: Callable[[], None], verbosity: int, schema: Path | None = None) -> list:
    """Migrate (or, on SQLite, copy the migrated database kept in `schema`), then build."""
    if schema is not None and (schema / "db.sqlite3").exists():
        config = _copy_sqlite(schema)
        emit_post_migrate_signal(verbosity, False, "default")
        schema.touch()  # in use: not stale
    else:
        config = setup_databases(
            verbosity=verbosity, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
        if schema is not None:
            _publish_sqlite(schema)
    build()
    return config


def _use_test_database() -> list:
    """Point the connection at the test database's name, as Django's create_test_db does."""
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES["default"]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    connection.ensure_connection()
    return [(connection, old_name, True)]


def _copy_media(source: Path, target: Path) -> None:
    shutil.copytree(source, target, dirs_exist_ok=True)


# SQLite


def _publish_sqlite(entry: Path) -> None:
    """A copy of the test database (and of the media it uploaded, if any) as `entry`."""
    partial = entry.with_name(f"{entry.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    copy = sqlite3.connect(partial / "db.sqlite3")
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    if Path(settings.MEDIA_ROOT).is_dir():
        _copy_media(Path(settings.MEDIA_ROOT), partial / "media")
    shutil.rmtree(entry, ignore_errors=True)
    partial.rename(entry)


def _copy_sqlite(entry: Path) -> list:
    config = _use_test_database()
    source = sqlite3.connect(f"file:{entry / 'db.sqlite3'}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    if (entry / "media").is_dir():
        _copy_media(entry / "media", Path(settings.MEDIA_ROOT))
    return config


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _forget_stale(cache: Path, key: str, schema: str | None = None) -> None:
    """Delete other keys' copies not used for a while; the kept schemas only when a build
    used one (a PostgreSQL build leaves SQLite's)."""
    now = time.time()
    for other in cache.iterdir():
        if other.name.startswith(".") or other.name in (key, schema):
            continue
        if schema is None and other.name.startswith("schema-"):
            continue
        with contextlib.suppress(OSError):
            if now - other.stat().st_mtime > STALE_AFTER:
                shutil.rmtree(other, ignore_errors=True)


# PostgreSQL


def _template_base() -> str:
    """The test database's name without xdist's worker suffix: what the templates start with."""
    name = connection.creation._get_test_db_name()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return name.removesuffix(f"_{worker}") if worker else name


@contextlib.contextmanager
def _advisory_lock(base: str) -> Iterator[None]:
    """Held on its own connection to the server's maintenance database while building/copying;
    the lock goes with that connection."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [base])
        yield


def _database_exists(name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _publish_postgresql(entry: Path, base: str, template: str) -> None:
    quote = connection.ops.quote_name
    source = connection.settings_dict["NAME"]
    connection.close()  # a template must have no other session while it is copied
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")
        cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(source)}")
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            [base.replace("_", "\\_") + "\\_tpl\\_%", template],
        )
        for (stale,) in cursor.fetchall():
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")
    partial = entry.with_name(f"{entry.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    _copy_media(Path(settings.MEDIA_ROOT), partial / "media")
    shutil.rmtree(entry, ignore_errors=True)
    partial.rename(entry)
    connection.ensure_connection()


def _copy_postgresql(entry: Path, template: str) -> list:
    quote = connection.ops.quote_name
    test_name = connection.creation._get_test_db_name()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
        cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
    config = _use_test_database()
    _copy_media(entry / "media", Path(settings.MEDIA_ROOT))
    return config
