"""Who may change privacy and where pages may go (docs/privacy.md, invariant
`only-staff-change-privacy`).

Wagtail lets anyone who may publish a page also change its privacy, and anyone who may add pages
at a destination move pages there. In the Neighborhood only staff change privacy, and nobody but
staff moves or copies a page out of the community (or Common Ground) it lives in, because that
would show it to other people. Inside a space nobody but staff publishes directly: publishing is
the elected editors' review (workflows/). Adapted from `wagtail.models.pages.PagePermissionTester`.
"""

from wagtail.models import Page, PagePermissionTester

from core.access import is_staff

SPACE_DEPTH = 3  # root (1) > home (2) > community or Common Ground (3)


def space_path(page: Page) -> str | None:
    """Tree path of the community or Common Ground a page lives in, or None outside them."""
    if page.depth < SPACE_DEPTH:
        return None
    return page.path[: SPACE_DEPTH * Page.steplen]


class NeighborhoodPagePermissionTester(PagePermissionTester):
    def _is_staff(self) -> bool:
        return is_staff(self.user)

    def can_set_view_restrictions(self):
        return self._is_staff()

    def _in_space(self) -> bool:
        # A page not yet saved has no place in the tree: treat it as inside a space.
        return self.page.depth is None or self.page.depth >= SPACE_DEPTH

    def can_publish(self):
        # Inside a community or Common Ground, pages reach the web through the elected editors'
        # review (workflows/), which publishes on approval: nobody but staff publishes directly,
        # editors included, so an editor's own writing is reviewed by another editor. Editors
        # keep the publish permission for unpublishing (docs/moderation.md).
        if self._in_space() and not self._is_staff():
            return False
        return super().can_publish()

    def can_publish_subpage(self):
        # "Create and publish in one go" under a space page or one of its sections.
        if self._in_space() and not self._is_staff():
            return False
        return super().can_publish_subpage()

    def _stays_in_space(self, destination: Page) -> bool:
        here = space_path(self.page)
        return (
            here is not None and here == space_path(destination) and self.page.depth > SPACE_DEPTH
        )

    def can_delete(self, ignore_bulk=False):
        # Deleting or unpublishing a community removes or hides it for all its members, and
        # deleting one removes its groups: staff only.
        if self.page.depth <= SPACE_DEPTH and not self._is_staff():
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self):
        if self.page.depth <= SPACE_DEPTH and not self._is_staff():
            return False
        return super().can_unpublish()

    def can_move(self):
        # Community and Common Ground pages themselves are moved by staff only.
        if self.page.depth <= SPACE_DEPTH and not self._is_staff():
            return False
        return super().can_delete(ignore_bulk=True)

    def can_move_to(self, destination):
        if not super().can_move_to(destination):
            return False
        return self._is_staff() or self._stays_in_space(destination)

    def can_copy_to(self, destination, recursive=False):
        if not super().can_copy_to(destination, recursive=recursive):
            return False
        return self._is_staff() or self._stays_in_space(destination)
