from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home"

    def ready(self):
        # app registry: these modules import models, which load after this module.
        from home import admin_account, audit

        audit.connect()
        admin_account.install()
