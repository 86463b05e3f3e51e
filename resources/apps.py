from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"

    def ready(self):
        # app registry: these modules import models, which load after this module.
        from community_pages.models import section_view_register
        from resources.views import resource_library_serve

        # The library page (a community_pages model) lists resources, which this app owns.
        section_view_register("community_pages.ResourceLibraryIndexPage", resource_library_serve)
