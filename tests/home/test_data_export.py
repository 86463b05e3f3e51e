"""The member's data export as a background task (home/exports.py): asked for on the account
page, built into private storage, downloaded by its owner only, gone after its time, on the next
request or with the account.

Each allowed case has its refused twin on the same data; someone else's export answers exactly
like a missing one.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.exports import data_export_build, data_exports_expire
from home.models import DataExport
from home.selectors import member_data_export
from home.services import member_delete
from tests.conftest import ALL_ROLES, ANONYMOUS
from tests.test_existence_pairs import _shape

pytestmark = pytest.mark.django_db

OWNER = "frontline-member"


def _ask(client) -> DataExport:
    response = client.post("/account/export/")
    assert response.status_code == HTTPStatus.FOUND
    return DataExport.objects.get(user=response.wsgi_request.user)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_export__ready_right_after_the_request_and_the_account_page_links_it(client_for, user):
    client = client_for(OWNER)
    before = client.get("/account/")
    assert b"/account/export/" in before.content and b"Prepare a copy" in before.content
    export = _ask(client)
    assert export.status == DataExport.READY
    assert export.expires_at > timezone.now() + timedelta(days=6)
    link = f"/account/export/{export.key}/"
    assert link.encode() in client.get("/account/").content
    assert OWNER not in export.file.name and default_storage.exists(export.file.name)
    response = client.get(link)
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    data = json.loads(_body(response))
    expected = json.loads(json.dumps(member_data_export(user(OWNER)), default=str))
    data.pop("exported_at"), expected.pop("exported_at")
    assert data == expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_export_download__access_matrix(client_for, role):
    export = _ask(client_for(OWNER))
    link = f"/account/export/{export.key}/"
    missing = f"/account/export/{uuid.uuid4()}/"
    client = client_for(role)
    if role == ANONYMOUS:
        for url in (link, missing, "/account/export/"):
            response = client.get(url)
            assert response.status_code == HTTPStatus.FOUND, url
            assert response.url.startswith("/account/login/"), url
        return
    response = client.get(link)
    if role == OWNER:
        assert response.status_code == HTTPStatus.OK
        assert json.loads(_body(response))["profile"]["username"] == OWNER
    else:
        # Someone else's export answers exactly like one that never existed.
        other, absent = response, client.get(missing)
        assert other.status_code == absent.status_code == HTTPStatus.NOT_FOUND
        assert _shape(other, link) == _shape(absent, missing)
        assert link.encode() not in client.get("/account/").content
    assert client.get(missing).status_code == HTTPStatus.NOT_FOUND


def test_export__second_request_while_pending_queues_nothing(client_for, user):
    # As under the database backend before the worker ran: a row waiting to be built.
    waiting = DataExport.objects.create(user=user(OWNER))
    client = client_for(OWNER)
    response = client.post("/account/export/", follow=True)
    assert b"already being prepared" in response.content
    assert b"being prepared. Reload" in response.content
    (export,) = DataExport.objects.filter(user=user(OWNER))
    assert (export.pk, export.key, export.status) == (waiting.pk, waiting.key, "pending")
    assert client.get(f"/account/export/{waiting.key}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/account/export/", {"x": 1}).status_code == HTTPStatus.OK
    assert client.put("/account/export/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_export__the_next_request_replaces_and_deletes_the_previous_file(client_for):
    client = client_for(OWNER)
    first = _ask(client)
    second = _ask(client)
    assert first.key != second.key
    assert not default_storage.exists(first.file.name)
    assert default_storage.exists(second.file.name)
    assert client.get(f"/account/export/{first.key}/").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/account/export/{second.key}/").status_code == HTTPStatus.OK


def test_export__expires_after_its_days_then_is_deleted(client_for):
    client = client_for(OWNER)
    export = _ask(client)
    link = f"/account/export/{export.key}/"
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(1))
    assert client.get(link).status_code == HTTPStatus.NOT_FOUND
    assert link.encode() not in client.get("/account/").content
    # Every build sweeps away what has expired, file and row.
    fresh = _ask(client_for("bereaved-member"))
    assert not default_storage.exists(export.file.name)
    assert list(DataExport.objects.all()) == [fresh]
    assert data_exports_expire() == 0
    DataExport.objects.filter(pk=fresh.pk).update(expires_at=timezone.now())
    out = StringIO()
    call_command("expire_data_exports", stdout=out)
    assert out.getvalue() == "deleted 1 expired data exports\n"
    assert not default_storage.exists(fresh.file.name) and not DataExport.objects.exists()


def _expired_and_kept(client_for) -> tuple[DataExport, DataExport]:
    expired, kept = _ask(client_for(OWNER)), _ask(client_for("bereaved-member"))
    DataExport.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    assert default_storage.exists(expired.file.name)
    return expired, kept


def _only_kept_left(expired: DataExport, kept: DataExport) -> None:
    assert not default_storage.exists(expired.file.name)
    assert list(DataExport.objects.all()) == [kept] and default_storage.exists(kept.file.name)


def test_export__the_scheduled_job_deletes_expired_ones(client_for):
    """The elections' scheduled job (its cron line with the immediate backend) sweeps them too:
    no cron line of their own."""
    expired, kept = _expired_and_kept(client_for)
    out = StringIO()
    call_command("expire_editor_terms", stdout=out)
    assert "deleted 1 expired data exports" in out.getvalue().splitlines()
    _only_kept_left(expired, kept)
    out = StringIO()
    call_command("expire_editor_terms", stdout=out)  # nothing left to do: says nothing of it
    assert "expired data exports" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_export__the_queued_scheduled_run_deletes_expired_ones(demo_loaded, client_for, settings):
    """With the database backend: `schedule_tasks` queues the job, the worker runs it."""
    expired, kept = _expired_and_kept(client_for)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("schedule_tasks", verbosity=0)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    _only_kept_left(expired, kept)


def test_export__deleted_with_the_account(client_for, user):
    export = _ask(client_for(OWNER))
    kept = _ask(client_for("bereaved-member"))
    member_delete(user=user(OWNER), keep_published=True)
    assert not default_storage.exists(export.file.name)
    assert list(DataExport.objects.all()) == [kept]
    assert default_storage.exists(kept.file.name)


def test_export__a_build_lost_for_an_hour_can_be_asked_for_again(client_for, user):
    waiting = DataExport.objects.create(user=user(OWNER))
    DataExport.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - timedelta(minutes=59)
    )
    assert _ask(client_for(OWNER)).key == waiting.key  # still waiting: nothing queued
    DataExport.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - timedelta(minutes=61)
    )
    export = _ask(client_for(OWNER))
    assert export.key != waiting.key and export.status == DataExport.READY


def test_export__database_backend_page_says_being_prepared_until_the_worker_built_it(
    client_for, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(OWNER)
    export = _ask(client)
    queued = DBTaskResult.objects.filter(task_path=data_export_build.module_path)
    assert export.status == DataExport.PENDING and queued.count() == 1
    page = client.get("/account/")
    assert (
        b"being prepared. Reload" in page.content and str(export.key).encode() not in page.content
    )
    assert client.get(f"/account/export/{export.key}/").status_code == HTTPStatus.NOT_FOUND
    assert _ask(client).key == export.key and queued.count() == 1  # not queued twice
    data_export_build.call(*queued.get().args_kwargs["args"])  # what the worker does
    response = client.get(f"/account/export/{export.key}/")
    assert json.loads(_body(response))["profile"]["username"] == OWNER
