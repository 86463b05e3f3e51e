"""The spaces the community tools live in (conversations, proposals, gatherings, remembrance).

A tool's object belongs to one **space**: a community or Common Ground. It stores the space's
page in the default language (`space` → `wagtailcore.Page`, the `CommunityPage` or
`CommonGroundPage` that translations are made from), so that one conversation, proposal or
gathering is shared by the readers of every language. Who is in the space is the one rule's
answer for that page (`core.visibility.user_can_view_page`): its members, and staff, and for
Common Ground the members of every community. Nothing here re-derives access.

Who may moderate in a space (hide a reply, close a proposal early): the community's elected
editors (`core.access.is_editor`), and staff; in Common Ground, the editors of any community
(as for reviews: `core.access.editor_space_paths`), and staff.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Page

from community_pages.models import CommonGroundPage, Community, CommunityPage
from community_pages.privacy import inside_space_denied
from community_pages.selectors import source_spaces
from core.access import editor_space_paths, is_editor, is_staff, members_of
from core.languages import locale_for_language, page_language
from core.permissions import SPACE_DEPTH, space_path
from core.visibility import user_can_view_page, visible_pages


def source_space(page: Page) -> Page | None:
    """The space (in the default language) that `page` is, or lies in; None outside spaces.

    At most one query: the space's row when `page` lies below it (its type is known from its
    content type, its language from the request's locales), and one more for a translation's
    source."""
    if page.depth < SPACE_DEPTH:
        return None
    if page.depth == SPACE_DEPTH:
        ancestor = page if type(page) is Page else page.page_ptr
    else:
        ancestor = Page.objects.filter(path=space_path(page)).first()
    if ancestor is None or not issubclass(
        ancestor.specific_class or Page, CommunityPage | CommonGroundPage
    ):
        return None
    if page_language(ancestor) == settings.LANGUAGE_CODE:
        return ancestor
    return Page.objects.filter(
        translation_key=ancestor.translation_key,
        locale=locale_for_language(settings.LANGUAGE_CODE),
    ).first()


def spaces() -> QuerySet:
    """Every live space page in the default language (communities and Common Ground)."""
    return source_spaces()


def spaces_of(user) -> QuerySet:
    """The spaces `user` is in (may see), in the default language."""
    return visible_pages(user, spaces())


def space_by_slug(slug: str) -> Page | None:
    """A live space by its slug (the default language's), or None."""
    return spaces().filter(slug=slug).first()


def space_of(user, slug) -> Page | None:
    """The space named `slug` if `user` is in it; None for a missing one or one they are not
    in (the API answers both alike)."""
    space = space_by_slug(slug) if isinstance(slug, str) and slug else None
    return space if space is not None and in_space(user, space) else None


def space_or_denied(request, slug) -> tuple[Page | None, HttpResponse | None]:
    """For a site view inside a space: (space, None) when the person is in it; (None, the
    space's sign-in answer) for a visitor; a 404 for a signed-in person who is not in it, or
    for a space that does not exist, alike."""
    if not request.user.is_authenticated:
        return None, inside_space_denied(request)
    space = space_of(request.user, slug)
    if space is None:
        raise Http404
    return space, None


def in_space(user, space: Page) -> bool:
    """Is `user` in `space`: may they see it (the rule)?"""
    return space is not None and space.live and user_can_view_page(user, space)


def space_community(space: Page) -> Community | None:
    """The community a space is, or None for Common Ground."""
    return Community.objects.filter(translation_key=space.translation_key).first()


def is_common_ground(space: Page) -> bool:
    return space.specific_class is CommonGroundPage


def may_moderate(user, space: Page) -> bool:
    """May `user` moderate in `space` (hide a reply, close a proposal): its elected editors and
    staff; in Common Ground, the editors of any community and staff."""
    if not in_space(user, space):
        return False
    if is_staff(user):
        return True
    community = space_community(space)
    if community is not None:
        return is_editor(user, community)
    return space.path in editor_space_paths(user)


def people_in(space: Page) -> QuerySet:
    """The active members of a community space (for Common Ground: of every community)."""
    community = space_community(space)
    if community is not None:
        return members_of(community)
    groups = Community.objects.values("members_group_id")

    return get_user_model().objects.filter(is_active=True, groups__in=groups).distinct()


def space_local_page(space: Page, language: str | None = None) -> Page:
    """The space's page in `language` (the active one by default), or the space itself."""

    code = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if code == settings.LANGUAGE_CODE:
        return space
    return (
        Page.objects.live()
        .filter(translation_key=space.translation_key, locale__language_code=code)
        .first()
        or space
    )
