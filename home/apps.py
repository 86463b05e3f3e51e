from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home"

    def ready(self):
        # app registry: these modules import models, which load after this module.
        from home import admin_account, audit
        from home.exports import data_exports_expire_job
        from workflows.services.scheduled import register_scheduled

        audit.connect()
        admin_account.install()
        # Expired data exports go on the elections' schedule (docs/deploy.md, "Background tasks").
        register_scheduled(data_exports_expire_job)
