"""The scheduled job for elections (docs/elections.md, "Scheduling"): run it every few minutes.

Idempotent: a second run right after the first changes nothing and prints "nothing to do".
"""

from django.core.management.base import BaseCommand

from workflows.services.scheduled import editor_terms_expire


class Command(BaseCommand):
    help = (
        "Make every community's editors exactly the members with a current term; take the roll "
        "of elections whose nominations closed; close elections whose voting ended. Staff are "
        "e-mailed when a community is left without editors."
    )

    def handle(self, *args, **options):
        done = editor_terms_expire()
        for line in done:
            self.stdout.write(line)
        if not done:
            self.stdout.write("nothing to do")
