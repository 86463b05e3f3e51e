from django.apps import AppConfig


class CommunityPagesConfig(AppConfig):
    name = "community_pages"
    verbose_name = "Communities"

    def ready(self):
        # app registry: these modules import models, which load after this module.
        from community_pages import signal_handlers, translation_privacy  # noqa: F401

        translation_privacy.connect()
