from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "workflows.gatherings"
    label = "gatherings"
    verbose_name = _("Gatherings")

    def ready(self):
        # app registry: the registrations name models, which load after this module.
        from workflows.gatherings.registrations import register

        register()
