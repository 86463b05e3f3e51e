"""Back up the database and the stored files into a new directory.

docs/deploy.md, "Backups"."""

from django.core.management.base import BaseCommand, CommandError

from home import backup


class Command(BaseCommand):
    help = "Back up the database and the stored files into a new directory."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, **options):
        try:
            manifest = backup.backup(options["directory"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backed up the database ({manifest['database']}) and "
            f"{len(manifest['files'])} files: {options['directory']}"
        )
