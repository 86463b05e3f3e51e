"""Send today's remembrance reminders (each to its author, who asked; once a year). For cron
when the task backend cannot defer; the queue runs `workflows.remembrance.tasks` otherwise."""

from django.core.management.base import BaseCommand

from workflows.remembrance.services import remembrance_dates_remind


class Command(BaseCommand):
    help = "Remind authors of the remembrance dates they asked for (today's, once a year)."

    def handle(self, *args, **options):
        self.stdout.write(f"{remembrance_dates_remind()} reminder(s) sent")
