from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "workflows.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        # app registry: the registrations name models, which load after this module.
        from workflows.proposals.registrations import register

        register()
