"""Backups that restore (docs/deploy.md, "Backups"): `manage.py backup`, then `manage.py restore`
into an empty installation (no rows, no files), finds every member, page, file, ballot (still
sealed, and countable) and API token as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import APIToken, CollectionViewRestriction, Page, PageViewRestriction

from core.api.authentication import bearer_user
from core.restriction_index import read_from_database
from home.backup import _stored_files
from home.exports import data_export_request
from home.models import EXPORTS_FOLDER, DataExport
from resources.models import PrivateRendition
from workflows import ballots
from workflows.models import Ballot


def _digest(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _state() -> dict:
    users = get_user_model().objects.prefetch_related("groups").order_by("username")
    return {
        "members": [
            (u.username, u.email, u.password, u.is_active, sorted(g.name for g in u.groups.all()))
            for u in users
        ],
        "pages": sorted(
            Page.objects.values_list("id", "url_path", "title", "live", "content_type__model")
        ),
        "restrictions": [
            read_from_database(PageViewRestriction),
            read_from_database(CollectionViewRestriction),
        ],
        "files": sorted(
            (obj.file.name, _digest(obj.file.name))
            for model in (get_document_model(), get_image_model(), PrivateRendition)
            for obj in model.objects.all()
        ),
        "ballots": sorted(Ballot.objects.values_list("election_id", "sealed")),
        # Countable: each ballot opens with this installation's SECRET_KEY.
        "counts": sorted(
            (ballot.election_id, tuple(ballots.unseal(ballot.election_id, ballot.sealed)))
            for ballot in Ballot.objects.all()
        ),
        "tokens": sorted(APIToken.objects.values_list("user__username", "name", "key_hash")),
    }


@pytest.mark.django_db(transaction=True)
def test_backup__restores_into_an_empty_installation__everything_found(demo_loaded, tmp_path):
    _token, plaintext = APIToken.create_token(
        user=get_user_model().objects.get(username="frontline-member"), name="backed up"
    )
    # A member's data export: temporary personal data, left out of the backup (rows and file).
    data_export_request(user=get_user_model().objects.get(username="member-of-both"))
    export_file = DataExport.objects.get().file.name
    assert export_file.startswith(f"{EXPORTS_FOLDER}/") and default_storage.exists(export_file)
    before = _state()
    assert before["ballots"] and before["files"] and before["tokens"]
    call_command("backup", str(tmp_path / "backup"))
    _nothing_of_the_export_in(tmp_path / "backup")

    # An empty installation: no rows, no files.
    call_command("flush", interactive=False, verbosity=0)
    for name in [*_stored_files(), export_file]:
        default_storage.delete(name)
    assert not Page.objects.exists() and not list(_stored_files())

    call_command("restore", str(tmp_path / "backup"))

    assert _state() == before
    assert not DataExport.objects.exists() and not default_storage.exists(export_file)
    user, _token = bearer_user(f"Bearer {plaintext}")
    assert user.username == "frontline-member"
    with pytest.raises(CommandError, match="already has accounts"):
        call_command("restore", str(tmp_path / "backup"))


def _nothing_of_the_export_in(backup):
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["files"]
    assert not [name for name in manifest["files"] if name.startswith(EXPORTS_FOLDER)]
    assert not (backup / "files" / EXPORTS_FOLDER).exists()
    with gzip.open(backup / "database.json.gz", "rt") as rows:
        models = {row["model"] for row in json.load(rows)}
    assert "home.dataexport" not in models and "wagtailcore.page" in models


@pytest.mark.django_db
def test_backup__refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))
