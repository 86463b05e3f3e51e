"""Editor panels of the support-group page.

`PublicListingPanel` tells the group's editor, on the page itself, whether the public meetings
feed lists the group and, when not, why; and which video-call links Meeting Guide apps will
drop. It asks `public_listing.py`, the function the feed itself uses, about the page as last
saved, its latest revision (an unsaved change shows after saving).
"""

from __future__ import annotations

from wagtail.admin.panels import Panel

from community_pages.public_listing import public_listing
from community_pages.schedules import WEEKLY_RULE


def listing_of(page):
    """The public feed's decision for a saved (or new) support-group page."""
    # The rows as the editor sees them: the latest revision's (modelcluster keeps them in memory).
    meets_weekly = any(rule.kind == WEEKLY_RULE for rule in page.schedule_rules.all())
    return public_listing(page, meets_weekly=meets_weekly)


class PublicListingPanel(Panel):
    """Listed in the public feed or not, and why; warnings about unrecognised links."""

    @property
    def clean_name(self):
        return super().clean_name or "public-listing"

    class BoundPanel(Panel.BoundPanel):
        template_name = "community_pages/admin/public_listing_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["listing"] = listing_of(self.instance)
            context["is_public"] = self.instance.is_public
            return context
