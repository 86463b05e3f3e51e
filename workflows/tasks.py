"""Background tasks of the elections (docs/deploy.md, "Background tasks").

`editor_terms_expire_task` is the scheduled job (`manage.py expire_editor_terms`) as a task that
puts its own next run on the queue, `SCHEDULE_MINUTES` later, when the task backend can defer
(the database backend and its worker); `manage.py schedule_tasks` starts the chain (run it at
each deploy, like `migrate`: it adds a run only when none is waiting). The job is idempotent,
so an extra run does no harm.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from workflows.services.scheduled import editor_terms_expire

SCHEDULE_MINUTES = 15


@task()
def editor_terms_expire_task() -> list[str]:
    try:
        return editor_terms_expire()
    finally:
        schedule_next()


def schedule_next(*, minutes: int = SCHEDULE_MINUTES) -> bool:
    """Queue the next run unless one is already waiting. False when the backend cannot defer."""
    if not default_task_backend.supports_defer:
        return False
    if waiting_runs():
        return True
    run_after = timezone.now() + timedelta(minutes=minutes)
    editor_terms_expire_task.using(run_after=run_after).enqueue()
    return True


def waiting_runs() -> int:
    # app registry: django_tasks_db's models load with the apps, after this module is imported.
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=editor_terms_expire_task.module_path, status="READY"
    ).count()
