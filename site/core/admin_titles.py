"""The title the Wagtail admin shows for a page, for the person looking (docs/privacy.md,
"Admin screens").

Wagtail shows a page's `draft_title` everywhere in the admin: the explorer, its search, the
admin API's `admin_display_title`, choosers. For a live page with changes waiting for review
that is unpublished text, which only those who may see the draft should read: its owner, whoever
saved one of its revisions (its co-authors), the editors who review its space, and staff.
Everyone else reads the published title.

`AdminPagePrivacyMiddleware` names the person for the length of each admin request
(`admin_viewer`); `BasePage.get_admin_display_title` asks `admin_display_title`. Outside an
admin request nobody is named and Wagtail's own behaviour applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Revision

from core.access import editor_space_paths
from core.visibility import is_staff

_viewer: ContextVar = ContextVar("_neighborhood_admin_viewer", default=None)
_DRAFT_READER_ATTR = "_neighborhood_draft_reader"


@contextmanager
def admin_viewer(user) -> Iterator[None]:
    """Within this block, admin titles are drawn for `user` (one admin request)."""
    token = _viewer.set(user)
    try:
        yield
    finally:
        _viewer.reset(token)


def draft_reader(user) -> tuple[frozenset[int], tuple[str, ...]]:
    """What, beside owning it, lets `user` read a draft: (ids of the pages they saved a revision
    of, paths of the spaces they review). Read once per user object (one request)."""
    cached = getattr(user, _DRAFT_READER_ATTR, None)
    if cached is None:
        page_type = ContentType.objects.get_for_model(Page)
        ids = Revision.objects.filter(user=user, base_content_type=page_type).values_list(
            "object_id", flat=True
        )
        cached = (
            frozenset(int(pk) for pk in ids.distinct() if str(pk).isdigit()),
            tuple(editor_space_paths(user)),
        )
        setattr(user, _DRAFT_READER_ATTR, cached)
    return cached


def may_read_draft(user, page) -> bool:
    """May `user` read the unpublished text of `page` in the admin?"""
    if is_staff(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if page.owner_id == user.pk:
        return True
    authored, reviewed = draft_reader(user)
    return page.pk in authored or page.path.startswith(reviewed)


def admin_display_title(page) -> str:
    """The draft title for whoever may read the draft; the published title for anyone else."""
    title = page.draft_title or page.title
    viewer = _viewer.get()
    if viewer is None or not page.live or title == page.title:
        return title
    return title if may_read_draft(viewer, page) else page.title
