import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.demo import PEOPLE, load_demo


class Command(BaseCommand):
    help = "Load the demo Neighborhood (idempotent). Refused with production settings."

    def handle(self, *args, **options):
        if not settings.NEIGHBORHOOD_ALLOW_DEMO:
            raise CommandError("Demo content is refused with these settings (production).")
        password = os.environ.get("DEMO_PASSWORD") or self._remembered_password()
        load_demo(password)
        self.stdout.write(self.style.SUCCESS("Demo Neighborhood loaded. Accounts:"))
        for username in PEOPLE:
            self.stdout.write(f"  {username:<18} password: {password}")

    def _remembered_password(self) -> str:
        """A generated password, kept under var/ so a second run keeps the same one."""
        path = settings.VAR_DIR / "demo-password"
        if path.exists():
            return path.read_text().strip()
        password = secrets.token_urlsafe(12)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(password + "\n")
        path.chmod(0o600)
        return password
