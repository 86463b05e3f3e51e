"""Delete members' data exports past their time, file and row.

docs/deploy.md, "Background tasks"; each export build also does this."""

from django.core.management.base import BaseCommand

from home.exports import data_exports_expire


class Command(BaseCommand):
    help = "Delete members' data exports past their time (file and row)."

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {data_exports_expire()} expired data exports")
