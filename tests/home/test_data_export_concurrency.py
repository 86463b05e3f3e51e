"""Two requests for a member's data export at once, on PostgreSQL where row locks are real:
exactly one build is queued (home/exports.py locks the member's row)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tasks_db.models import DBTaskResult

from home.exports import data_export_build, data_export_request
from home.models import DataExport
from tests.concurrency import run_at_once

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_requests_at_once__one_build_queued(demo_loaded, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    member = get_user_model().objects.get(username="frontline-member")
    outcomes = run_at_once(*[lambda: data_export_request(user=member)] * 3)
    assert sorted(outcomes) == [False, False, True]
    assert DataExport.objects.filter(user=member, status=DataExport.PENDING).count() == 1
    queued = DBTaskResult.objects.filter(task_path=data_export_build.module_path)
    assert queued.count() == 1
