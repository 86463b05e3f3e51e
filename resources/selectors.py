"""Reads for the resource library and guides. Access questions go to `core/visibility.py` and
`core/access.py`."""

from __future__ import annotations

from wagtail.models import Collection, Page

from community_pages.models import CommonGround
from community_pages.selectors import community_for_page, is_common_ground_page
from core.permissions import space_path


def space_collection(page: Page) -> Collection | None:
    """The collection of the community or Common Ground a page lives in (None outside them)."""
    community = community_for_page(page)
    if community is not None:
        return community.collection
    if is_common_ground_page(page):
        record = CommonGround.objects.select_related("collection").first()
        return record.collection if record else None
    return None


def collection_allowed_for(page: Page, collection: Collection) -> bool:
    """May a file in this collection be attached to (or shown on) this page?

    Yes if it is the public root collection, or lies in the page's own space collection: then
    everyone who may read the page may open the file, and nobody else learns of it.
    """
    if collection.is_root():
        return True
    own = space_collection(page)
    return own is not None and collection.path.startswith(own.path)


def page_may_link_to(page: Page, target: Page) -> bool:
    """May `page` list `target` as related? Same space, or Common Ground from a community."""
    here, there = space_path(page), space_path(target)
    if there is None or there == here:
        return True
    return here is not None and is_common_ground_page(target)
