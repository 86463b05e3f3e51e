"""The remembrance reminders as a scheduled task (docs/deploy.md, "Background tasks"): once a
day, each author who asked is reminded on their chosen date (`services.remembrance_dates_remind`,
exactly once a year). Like the elections' job it queues its own next run when the backend can
defer; `manage.py schedule_tasks` starts the chain. Nobody but the author is ever told."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from workflows.remembrance.services import remembrance_dates_remind

SCHEDULE_MINUTES = 60  # hourly: a day's reminders go out early in the day, once


@task()
def remembrance_dates_task() -> int:
    try:
        return remembrance_dates_remind()
    finally:
        schedule_next()


def schedule_next(*, minutes: int = SCHEDULE_MINUTES) -> bool:
    """Queue the next run unless one is already waiting. False when the backend cannot defer."""
    if not default_task_backend.supports_defer:
        return False
    if waiting_runs():
        return True
    run_after = timezone.now() + timedelta(minutes=minutes)
    remembrance_dates_task.using(run_after=run_after).enqueue()
    return True


def waiting_runs() -> int:
    # app registry: django_tasks_db's models load with the apps, after this module is imported.
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=remembrance_dates_task.module_path, status="READY"
    ).count()
