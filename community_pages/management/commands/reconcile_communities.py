from django.core.management.base import BaseCommand

from community_pages.provisioning import reconcile_all


class Command(BaseCommand):
    help = (
        "Repair every community's groups, privacy, permissions and collection, and Common "
        "Ground's, and report what was repaired."
    )

    def handle(self, *args, **options):
        repairs = reconcile_all()
        for repair in repairs:
            self.stdout.write(f"repaired: {repair}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(repairs)} repair(s)." if repairs else "Nothing to repair.")
        )
