"""The base page classes every Neighborhood page type derives from (abstract: no tables here).

The concrete page models stay in the apps whose migrations hold them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from core.admin_titles import admin_display_title
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
