"""The base page classes every Neighborhood page type derives from (abstract: no tables here).

The concrete page models stay in the apps whose migrations hold them.
"""

from functools import cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.models import Locale, Page
from wagtail.search import index

from core.admin_titles import admin_display_title
from core.languages import active_locale, source_locale
from core.permissions import NeighborhoodPagePermissionTester


class BasePage(Page):
    """Every Neighborhood page type derives from this: it applies our permission rules."""

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return NeighborhoodPagePermissionTester(user, self)

    def get_admin_display_title(self):
        """A rename waiting for review shows only to those who may read the draft."""
        return admin_display_title(self)

    def route(self, request, path_components):
        """A page not yet translated into this page's language is served from the source
        language at this language's address: `/es/frontline/resources/new-guide/` shows the
        English guide, with a notice, in the Spanish interface (docs/languages.md, "Fallback").
        The source page is reached by the same route, so the visibility rule and each space's
        own routing decide exactly as they do for its English address."""
        if path_components:
            fallback = self.untranslated_child(path_components[0])
            if fallback is not None:
                return fallback.specific.route(request, path_components[1:])
            child = self.typed_child(path_components[0])
            if child is not None:
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def typed_child(self, slug: str) -> Page | None:
        """The child at `slug`, specific for its type, read in one query where Wagtail's
        routing reads the page and then its type's row (two per level of the address).

        When this page type takes one page type below it (a section: its resources, guides or
        groups), the child is read from that type's table. When it takes a few (the front door:
        communities, Common Ground, standard pages; a space: its three sections), the page is
        read with each type's row joined (Django's `select_related` on the reverse parent link),
        and the row of the child's own type is the page. None when this page type takes
        another kind of type, when no child is there, or when the child is of a type not
        allowed here: Wagtail's routing then answers as always."""
        accessors = _child_type_accessors(type(self))
        if not accessors:
            return None
        if len(accessors) == 1:
            [model] = accessors
            child = model.objects.child_of(self).filter(slug=slug).first()
        else:
            page = (
                Page.objects.child_of(self)
                .filter(slug=slug)
                .select_related(*accessors.values())
                .first()
            )
            model = page.specific_class if page is not None else None
            child = getattr(page, accessors[model], None) if model in accessors else None
        if child is None or child.specific_class is not model:
            return None
        child._cached_parent_obj = self  # as Wagtail's routing does
        return child

    @property
    def localized_draft(self):
        """Wagtail's, with the active locale from the request's one read of the locales
        (`core.languages`), not a query each time a page asks for its translation."""
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return self
        try:
            locale = active_locale()
        except (LookupError, Locale.DoesNotExist):
            return self
        if locale.id == self.locale_id:
            return self
        return self.get_translation_or_none(locale) or self

    def untranslated_child(self, slug: str) -> Page | None:
        """The source language's live child at `slug`, when this page is a translation with no
        live child of its own there (None otherwise)."""
        source = source_locale()
        if source is None or self.locale_id == source.pk:
            return None
        if self.get_children().live().filter(slug=slug).exists():
            return None
        original = self.get_translation_or_none(source)
        if original is None:
            return None
        return original.get_children().live().filter(slug=slug).first()


class SummaryPage(BasePage):
    """A page with a one-line summary, which listings, search and the API show.

    Subclasses extend `api_fields` and `search_fields` from these lists.
    """

    summary = models.CharField(
        max_length=300, help_text=_("One or two sentences shown in listings and search results.")
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    api_fields = [APIField("summary")]

    class Meta:
        abstract = True


@cache
def _child_type_accessors(page_type: type[Page]) -> dict[type[Page], str]:
    """{page type: its reverse parent link on Page} for the page types `page_type` takes below
    it, when every one is a table directly under Page's (all of ours are; empty otherwise:
    Wagtail's routing then reads the child as always)."""
    accessors = {}
    for model in page_type.allowed_subpage_models():
        if model._meta.get_parent_list() != [Page]:
            return {}
        accessors[model] = model._meta.get_ancestor_link(Page).remote_field.get_accessor_name()
    return accessors
