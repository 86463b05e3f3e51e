"""Background work on Django's Tasks interface (docs/deploy.md, "Background tasks").

Both task backends on the suite's database (SQLite, and PostgreSQL in CI's second pass): the
immediate one (`make run`) sends e-mail inside the request; the database one only stores a row,
and the worker (`manage.py db_worker`) sends it. The elections' job runs on the queue and keeps
exactly one next run waiting.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django_tasks_db.management.commands import db_worker as library
from django_tasks_db.models import DBTaskResult

from core.management.commands import db_worker as ours
from workflows.tasks import editor_terms_expire_task, waiting_runs

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued_mail(settings):
    """The production wiring: every e-mail goes through the task (pytest swaps in locmem)."""
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def use(tasks):
        settings.TASKS = tasks  # the backport reads it again (its setting_changed receiver)

    return use


def _reset_password(email: str) -> None:
    Client().post("/account/password-reset/", {"email": email})


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user(
        "tasks-person", "tasks-person@example.org", "a-long-password-for-tasks"
    )


def test_immediate_backend__mail_is_sent_inside_the_request(db, queued_mail, person):
    queued_mail(IMMEDIATE)
    _reset_password(person.email)
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert not DBTaskResult.objects.exists()


# The worker manages its own connections and transactions, as in production. `demo_loaded`: they
# start from the demo and leave it behind (put back in place of a flush, tests/conftest.py).
@pytest.mark.django_db(transaction=True)
def test_database_backend__the_request_queues_mail__the_worker_sends_it(
    demo_loaded, queued_mail, person
):
    queued_mail(DATABASE)
    email = person.email
    _reset_password(email)
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY" and queued.task_path == "core.mail.send_email"

    _work()

    assert [m.to for m in mail.outbox] == [[email]]
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_database_backend__terms_job__keeps_one_next_run_waiting(demo_loaded, queued_mail):
    queued_mail(DATABASE)
    call_command("schedule_tasks", verbosity=0)
    call_command("schedule_tasks", verbosity=0)
    assert waiting_runs() == 1
    first = DBTaskResult.objects.get()

    _work()  # the first run is due at once; it runs and queues the next, 15 minutes on

    first.refresh_from_db()
    assert first.status == "SUCCESSFUL"
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.task_path == editor_terms_expire_task.module_path
    assert (waiting.run_after - first.finished_at).total_seconds() > 14 * 60
    _work()  # not due yet: nothing runs
    assert waiting_runs() == 1


def test_immediate_backend__schedule_tasks_says_to_use_the_command(db, queued_mail, capsys):
    queued_mail(IMMEDIATE)
    call_command("schedule_tasks")
    assert "expire_editor_terms" in capsys.readouterr().out
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_worker__a_database_outage__it_waits_and_then_runs_the_queue(
    demo_loaded, queued_mail, person, monkeypatch
):
    """PostgreSQL restarting under the worker: the library's worker would end with a stack
    trace; ours (core/management/commands/db_worker.py) waits and goes on."""
    queued_mail(DATABASE)
    _reset_password(person.email)
    real = library.exclusive_transaction
    failures = iter([OperationalError("connection refused")] * 2)
    waits: list[float] = []

    def outage(using):
        error = next(failures, None)
        if error is not None:
            raise error
        return real(using)

    monkeypatch.setattr(library, "exclusive_transaction", outage)
    monkeypatch.setattr(ours.time, "sleep", waits.append)

    _work()

    assert [m.to for m in mail.outbox] == [[person.email]]
    assert waits == [1.0, 2.0]  # then the database answered
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert library.Worker is not ours.Worker  # the library's module is left as it was
