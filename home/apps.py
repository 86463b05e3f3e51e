from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home"

    def ready(self):
        from home import admin_account, audit, security  # noqa: F401

        audit.connect()
        admin_account.install()
