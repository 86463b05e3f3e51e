"""Three POSTs to the API's export at once, on PostgreSQL where row locks are real: exactly one
build is queued, and every answer is a 202 naming that one export (home/exports.py locks the
member's row)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult
from wagtail.models import APIToken

from home.exports import data_export_build
from home.models import DataExport
from tests.account_export import API_URL
from tests.concurrency import run_at_once

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_three_posts_at_once__one_build_queued(demo_loaded, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    member = get_user_model().objects.get(username="frontline-member")
    _token, plaintext = APIToken.create_token(user=member, name="three at once")
    session = Client()
    session.force_login(member)
    clients = [Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}") for _ in range(2)] + [session]
    outcomes = run_at_once(*[lambda client=client: client.post(API_URL) for client in clients])
    assert [o.status_code for o in outcomes] == [HTTPStatus.ACCEPTED] * 3
    export = DataExport.objects.get(user=member)
    assert export.status == DataExport.PENDING
    assert {o.json()["key"] for o in outcomes} == {str(export.key)}
    queued = DBTaskResult.objects.filter(task_path=data_export_build.module_path)
    assert queued.count() == 1
