from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Moderation and elections")

    def ready(self):
        # app registry: signal_handlers imports models, which load after this module.
        from workflows.signal_handlers import register_signal_handlers

        register_signal_handlers()
