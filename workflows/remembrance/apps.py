from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemembranceConfig(AppConfig):
    name = "workflows.remembrance"
    label = "remembrance"
    verbose_name = _("Remembrance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # app registry: the subject's functions read models, which load after this module.
        from workflows.remembrance.notifications import register
        from workflows.remembrance.services import remembrance_reminders_job
        from workflows.services.scheduled import register_scheduled

        register()
        register_scheduled(remembrance_reminders_job)
