"""Restore a backup made by `manage.py backup` into an empty installation.

docs/deploy.md, "Backups"."""

from django.core.management.base import BaseCommand, CommandError

from home import backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty installation."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, **options):
        try:
            manifest = backup.restore(options["directory"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored the database ({manifest['database']}) and "
            f"{len(manifest['files'])} files: {options['directory']}"
        )
