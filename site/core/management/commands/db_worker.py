"""`manage.py db_worker`: django-tasks-db's worker, kept running through a database outage.

The library's worker ends with a stack trace the first time PostgreSQL cannot be reached (a
restart, a fail-over): every queued e-mail and the scheduled job then wait until someone, or the
process manager, starts it again. This one logs the outage, waits (1 s, doubling up to 30 s),
and goes on from the queue as it finds it once the database answers: the tasks are rows, so
none is lost. Same options as the library's command (this app comes first in INSTALLED_APPS, so
its command of the same name is the one `manage.py` runs). docs/deploy.md, "Background tasks".
"""

from __future__ import annotations

import time

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from core.health import DATABASE_ERRORS

logger = db_worker.logger  # the library's: the command's --verbosity sets its level

FIRST_WAIT_SECONDS = 1.0
LONGEST_WAIT_SECONDS = 30.0


class Worker(db_worker.Worker):
    def run(self) -> None:
        wait = FIRST_WAIT_SECONDS
        while self.running:
            began = time.monotonic()
            try:
                super().run()
                return  # stopped by a signal, --batch or --max-tasks
            except DATABASE_ERRORS as error:
                if time.monotonic() - began > LONGEST_WAIT_SECONDS:
                    wait = FIRST_WAIT_SECONDS  # a new outage, not the same one going on
                logger.warning(
                    "database unavailable (%s): trying again in %.0f s",
                    type(error).__name__,
                    wait,
                )
            close_old_connections()  # drop the broken connection; the next query reconnects
            time.sleep(wait)
            wait = min(wait * 2, LONGEST_WAIT_SECONDS)


class Command(db_worker.Command):
    help = db_worker.Command.help

    def handle(self, *args, **options):
        # The library's handle() builds its Worker from the module: use ours.
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
