"""Start the scheduled jobs' chains on the task queue (docs/deploy.md, "Background tasks").

Run it at each deploy, after `migrate`. With the database task backend it makes sure one run of
each job waits on the queue (the elections' `expire_editor_terms`; the remembrance reminders);
each run queues the next. With the immediate backend (`make run`) there is no queue: it says so,
and cron runs the commands instead.
"""

from django.core.management.base import BaseCommand

from workflows.remembrance import tasks as remembrance_tasks
from workflows.tasks import SCHEDULE_MINUTES, schedule_next


class Command(BaseCommand):
    help = "Queue the next run of each scheduled job, unless one is already waiting."

    def handle(self, *args, **options):
        if schedule_next(minutes=0):
            self.stdout.write(f"the elections' job runs on the queue every {SCHEDULE_MINUTES} min")
        else:
            self.stdout.write(
                "this task backend cannot defer work: schedule `manage.py expire_editor_terms`"
            )
        if remembrance_tasks.schedule_next(minutes=0):
            self.stdout.write(
                "the remembrance reminders run on the queue every "
                f"{remembrance_tasks.SCHEDULE_MINUTES} min"
            )
        else:
            self.stdout.write(
                "this task backend cannot defer work: schedule `manage.py remind_remembrance_dates`"
            )
