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

        register()
