"""Backups that restore (docs/deploy.md, "Backups"): `manage.py backup DIR`, `restore DIR`.

A backup is a directory:

- `types.json.gz` then `database.json.gz`: every row, by Django's `dumpdata`, primary keys kept
  (content types and permissions too, first, so every reference means what it meant).
  Portable: they restore into SQLite or PostgreSQL, whichever the backup came from. Left out,
  because they are rebuilt or only transient: sessions (everyone signs in again), sign-in
  throttling records, the search index (rebuilt by the restore) and the task queue's rows. Also
  left out: members' data exports (rows and files, home/exports.py), temporary copies of personal
  data that expire after days and must not outlive that in a backup; a member asks again.
- `files/`: every stored file (documents, image originals and renditions), read and written
  through the storage, so the local disk and an S3 bucket back up and restore alike; not the
  exports' folder (`EXPORTS_FOLDER`).
- `manifest.json`: when, from which database, and each file's size and SHA-256.

Sealed ballots are in the database encrypted under `SECRET_KEY`: a backup restores into an
installation with the same `SECRET_KEY` (or that key among `SECRET_KEY_FALLBACKS`); keep the key
as safely as the backup, and never in it. API tokens are stored hashed; they work again as they
were.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import signals
from django.utils import timezone

from core.fragment_cache import content_changed
from core.restriction_index import index_changed
from home.models import EXPORTS_FOLDER

# Content types and permissions first: loading other rows may look a content type up.
TYPES_FILE = "types.json.gz"
TYPES = ["contenttypes", "auth.permission"]
DATABASE_FILE = "database.json.gz"
FILES_DIR = "files"
MANIFEST = "manifest.json"
EXCLUDED = [
    "sessions",
    "axes",
    "wagtailsearch",
    "django_tasks_database",
    "home.DataExport",
]
_MUTED = (
    signals.pre_save,
    signals.post_save,
    signals.pre_delete,
    signals.post_delete,
    signals.m2m_changed,
)


class BackupError(Exception):
    pass


def _stored_files(directory: str = "") -> Iterator[str]:
    """Every stored file, except the members' data exports (see the module's docstring)."""
    if directory == EXPORTS_FOLDER:
        return
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for folder in folders:
        yield from _stored_files(f"{directory}/{folder}" if directory else folder)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def backup(target: Path) -> dict:
    """Write a backup of the database and the files into `target` (new or empty)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory.")
    (target / FILES_DIR).mkdir(parents=True, exist_ok=True)
    call_command("dumpdata", *TYPES, output=str(target / TYPES_FILE), verbosity=0)
    call_command(
        "dumpdata",
        exclude=EXCLUDED + TYPES,
        output=str(target / DATABASE_FILE),
        verbosity=0,
    )
    files = {}
    for name in sorted(_stored_files()):
        destination = target / FILES_DIR / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, destination.open("wb") as out:
            for chunk in iter(lambda source=source: source.read(1024 * 1024), b""):
                out.write(chunk)
        with destination.open("rb") as written:
            files[name] = {"size": destination.stat().st_size, "sha256": _sha256(written)}
    manifest = {
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


@contextlib.contextmanager
def _signals_muted() -> Iterator[None]:
    """Rows are put back as they were: no receiver may add to them (audit entries, provisioning,
    notifications) while they load."""
    saved = [(signal, signal.receivers[:]) for signal in _MUTED]
    try:
        for signal, _receivers in saved:
            signal.receivers = []
            signal.sender_receivers_cache.clear()
        yield
    finally:
        for signal, receivers in saved:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


def restore(source: Path) -> dict:
    """Restore a backup into an empty installation (migrated, with no accounts yet)."""
    source = Path(source)
    manifest = json.loads((source / MANIFEST).read_text())
    for name, expected in manifest["files"].items():
        with (source / FILES_DIR / name).open("rb") as handle:
            if _sha256(handle) != expected["sha256"]:
                raise BackupError(f"the backup's file {name} is damaged (its SHA-256 differs)")
    if get_user_model().objects.exists():
        raise BackupError("This installation already has accounts: restore into an empty one.")

    with transaction.atomic():
        # Every row `migrate` put there (Wagtail's first page, site, collection and groups,
        # content types, permissions) goes; the backup has them all, with their keys.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        ContentType.objects.clear_cache()
        with _signals_muted():
            call_command("loaddata", str(source / TYPES_FILE), verbosity=0)
            ContentType.objects.clear_cache()
            call_command("loaddata", str(source / DATABASE_FILE), verbosity=0)
    for name in manifest["files"]:
        if default_storage.exists(name):
            default_storage.delete(name)
        with (source / FILES_DIR / name).open("rb") as handle:
            saved_as = default_storage.save(name, File(handle))
        if saved_as != name:
            raise BackupError(f"the file {name} was stored as {saved_as}")
    call_command("update_index", verbosity=0)
    index_changed()  # every server reads the restored restrictions
    content_changed()  # and renders the restored pages' fragments afresh
    return manifest
