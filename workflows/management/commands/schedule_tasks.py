"""Start the scheduled job's chain on the task queue (docs/deploy.md, "Background tasks").

Run it at each deploy, after `migrate`. With the database task backend it makes sure one run of
the elections' job (`expire_editor_terms`) waits on the queue; each run queues the next. With the
immediate backend (`make run`) there is no queue: it says so, and cron runs the command instead.
"""

from django.core.management.base import BaseCommand

from workflows.tasks import SCHEDULE_MINUTES, schedule_next


class Command(BaseCommand):
    help = "Queue the next run of the elections' scheduled job, unless one is already waiting."

    def handle(self, *args, **options):
        if schedule_next(minutes=0):
            self.stdout.write(f"the elections' job runs on the queue every {SCHEDULE_MINUTES} min")
        else:
            self.stdout.write(
                "this task backend cannot defer work: schedule `manage.py expire_editor_terms`"
            )
