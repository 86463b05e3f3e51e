from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: what every app needs, importing none of them (docs/architecture.md)."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        # app registry: security imports django-otp's models, which load after this module.
        from core import security  # noqa: F401  (connects the sign-in receiver)

        # app registry: the restriction index's receivers name auth's and Wagtail's models.
        from core.restriction_index import connect_receivers

        connect_receivers()

        # app registry: the fragment cache's receivers name Wagtail's models.
        from core import fragment_cache

        fragment_cache.connect_receivers()

        # app registry: serving reads Wagtail's models; it replaces Wagtail's serving check.
        from core.serving import connect_install

        connect_install()
