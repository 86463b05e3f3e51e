"""The one visibility rule: which pages, collections, documents and images a user may see.

Every path a byte can leave by asks this module: page serving (`wagtail_hooks.py`), the
document and image views, section listings, the API, search and feeds. Nobody else
re-derives access.

The rule is Wagtail's own view restrictions (`PageViewRestriction`, `CollectionViewRestriction`),
read in a constant number of queries whatever the number of restrictions, communities or pages:

1. one query reads every restriction with its groups (a LEFT JOIN, one row per group);
2. one query reads the user's group ids (cached on the user object for the request).

The first is read at most once per request, and with a shared cache (Redis) once per change for
every app server: `core/restriction_index.py`.

A restriction the user does not pass becomes a *denied path prefix*; a page or collection is
visible when its tree path starts with none of them. Querysets are filtered with one
`substr(path, 1, n) IN (...)` per distinct prefix length (there is one length per tree depth
that carries a restriction), so the SQL does not grow a clause per restriction.

Decisions, written down (see docs/privacy.md):

- Staff means `is_superuser`; staff see everything.
- `GROUPS` restrictions admit members of any listed group; `LOGIN` admits any signed-in person;
  `PASSWORD` restrictions admit nobody but staff (they are switched off in the admin, because a
  shared password would bypass membership).
- Inactive users are visitors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.functions import Substr
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)

# `restrictions_cached` is re-exported: the API and page serving wrap a request in it.
from core.restriction_index import restrictions, restrictions_cached  # noqa: F401

_GROUP_IDS_ATTR = "_neighborhood_group_ids"


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def user_group_ids(user) -> frozenset[int]:
    """The ids of the user's groups, read once per user object."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, _GROUP_IDS_ATTR, None)
    if cached is None:
        cached = frozenset(user.groups.values_list("id", flat=True))
        setattr(user, _GROUP_IDS_ATTR, cached)
    return cached


def forget_user_groups(user) -> None:
    """Call after changing a user's groups within the same request."""
    if hasattr(user, _GROUP_IDS_ATTR):
        delattr(user, _GROUP_IDS_ATTR)


def _passes(user, kind: str, groups: set[int]) -> bool:
    if kind == BaseViewRestriction.LOGIN:
        return bool(user and user.is_authenticated and user.is_active)
    if kind == BaseViewRestriction.GROUPS:
        return bool(groups & user_group_ids(user))
    return False  # PASSWORD and anything unknown: staff only


def _outermost(paths: set[str]) -> list[str]:
    # A prefix inside another one adds nothing. Sorted, the paths under a prefix follow it
    # directly, so one pass against the last one kept finds them (comparing every pair cost
    # 50 ms a call with 200 communities' restrictions, several calls a request).
    kept: list[str] = []
    for path in sorted(paths):
        if not (kept and path.startswith(kept[-1])):
            kept.append(path)
    return kept


def _denied_prefixes(user, model) -> list[str]:
    if is_staff(user):
        return []
    return _outermost(
        {
            path
            for path, kind, groups in restrictions(model).values()
            if not _passes(user, kind, groups)
        }
    )


def denied_page_paths(user) -> list[str]:
    """Tree paths of the restricted subtrees this user may not see."""
    return _denied_prefixes(user, PageViewRestriction)


def denied_collection_paths(user) -> list[str]:
    return _denied_prefixes(user, CollectionViewRestriction)


def _exclude_prefixes(queryset: QuerySet, field: str, prefixes: Iterable[str]) -> QuerySet:
    by_length: dict[int, list[str]] = defaultdict(list)
    for prefix in prefixes:
        by_length[len(prefix)].append(prefix)
    for length, group in sorted(by_length.items()):
        alias = f"_neighborhood_prefix_{length}"
        queryset = queryset.alias(**{alias: Substr(field, 1, length)}).exclude(
            **{f"{alias}__in": group}
        )
    return queryset


def _starts_with_any(path: str, prefixes: Iterable[str]) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


# Pages ---------------------------------------------------------------------------------------


def user_can_view_page(user, page: Page) -> bool:
    """May this user read this page? (Privacy only: whether it is live is the caller's concern.)"""
    return not _starts_with_any(page.path, denied_page_paths(user))


def visible_pages(user, queryset: QuerySet | None = None, *, live: bool = True) -> QuerySet:
    """The pages this user may read, optionally narrowing a given page queryset.

    `live=False` keeps drafts: for admin screens, where Wagtail's own permissions decide who may
    see a draft, and this rule only removes what lies in a space the user may not see.
    """
    queryset = Page.objects.all() if queryset is None else queryset
    if live:
        queryset = queryset.live()
    return _exclude_prefixes(queryset, "path", denied_page_paths(user))


def public_pages(queryset: QuerySet) -> QuerySet:
    """Wagtail's `queryset.public()` (the pages under no view restriction at all, whoever
    asks), from the restriction index instead of a query of its own."""
    restricted = {path for path, _kind, _groups in restrictions(PageViewRestriction).values()}
    return _exclude_prefixes(queryset, "path", _outermost(restricted))


def visible_pages_searchable(user, queryset: QuerySet, *, live: bool = True) -> QuerySet:
    """`visible_pages` for a queryset that will be searched afterwards.

    Search backends accept only plain field lookups, so the privacy filter becomes a
    `pk IN (subquery)` over the same rule.
    """
    if live:
        queryset = queryset.live()
    if not denied_page_paths(user):
        return queryset
    return queryset.filter(pk__in=visible_pages(user, live=False).values("pk"))


# Collections, documents and images -----------------------------------------------------------


def user_can_view_collection(user, collection: Collection) -> bool:
    return not _starts_with_any(collection.path, denied_collection_paths(user))


def visible_collections(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Collection.objects.all() if queryset is None else queryset
    return _exclude_prefixes(queryset, "path", denied_collection_paths(user))


def user_can_view_file(user, obj) -> bool:
    """A document or image: visible when its collection is."""
    return user_can_view_collection(user, obj.collection)


def visible_files(user, queryset: QuerySet) -> QuerySet:
    """Narrow a document or image queryset to what the user may see."""
    return _exclude_prefixes(queryset, "collection__path", denied_collection_paths(user))
