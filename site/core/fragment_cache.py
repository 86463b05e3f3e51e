"""Rendered fragments shared by every reader the visibility rule treats alike.

Some parts of a page are the same for everyone who may see the same pages: a space's latest
resources and guides and its next meetings, in one language, on one site, on one day. They are
rendered once and kept in the cache `settings.NEIGHBORHOOD_FRAGMENT_CACHE` names (docs/deploy.md,
"Cache"): Redis, shared by every app server, when `REDIS_URL` is set; the in-process cache under
`make run` (one process); none otherwise (several processes with their own in-process caches
could not all hear of a change), and then every fragment is rendered on each request.

The key is Django's template fragment key (`make_template_fragment_key`, what `{% cache %}`
uses) over the caller's parts and the reader's *visibility class*: a digest of the restricted
subtrees the rule denies them (`core.visibility.denied_page_paths`). `visible_pages` decides
from those paths and nothing else, so two readers with the same class are shown exactly the same
pages, and readers the rule treats differently (a member of another community, of both, staff,
a visitor) never share an entry. A new restriction or membership changes the class at once.

Entries live under a *generation* (the cache's `version`), as the restriction index does
(`core/restriction_index.py`): any change to a page (saved, published, unpublished, moved,
deleted), a view restriction, a group, a membership, a locale or a site makes a new generation
when its transaction commits, so the next request on every server renders afresh; a server that
rendered from the old rows just before cannot store them where anyone will read them. Each entry
also ends after `ENTRY_SECONDS`, a backstop for a generation that could not be written. A
transaction that changed something renders afresh until it ends (its changes are not committed,
so they must not reach the cache). If the cache is unreachable, the fragment is rendered.

Only what is the same for the whole class goes in: what belongs to one reader (their drafts,
the elections they may see) stays outside the fragment, read for them on each request.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Locale, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.restriction_index import Generation, connect_index_signals
from core.visibility import denied_page_paths

logger = logging.getLogger(__name__)

GENERATION_KEY = "fragments:generation"
# A backstop only: a change makes a new generation at once.
ENTRY_SECONDS = 300


def visibility_class(user) -> str:
    """What the visibility rule's answer for this user depends on, as a short digest: the
    restricted subtrees it denies them (staff: none)."""
    denied = "\n".join(denied_page_paths(user))
    return hashlib.sha256(denied.encode()).hexdigest()[:32]


def shared_fragment(
    name: str, parts: Iterable[object], user, render: Callable[[], str]
) -> SafeString:
    """`render()` (safe HTML), read from the cache when a reader of the same visibility class
    already had it rendered for the same `parts` (the space, the language, the site, the day:
    everything else the fragment depends on)."""
    cache = _cache()
    if cache is None or _GENERATION.changed_in_this_transaction():
        return mark_safe(render())  # noqa: S308 - rendered by a template, escaped there
    key = make_template_fragment_key(name, [*parts, visibility_class(user)])
    try:
        generation = _GENERATION.current(cache)
        found = cache.get(key, version=generation)
    except Exception:  # the cache is down: render
        logger.warning("fragment cache unreachable, rendering", exc_info=True)
        return mark_safe(render())  # noqa: S308 - as above
    if found is None:
        found = render()
        try:
            cache.set(key, str(found), ENTRY_SECONDS, version=generation)
        except Exception:
            logger.warning("fragment cache unreachable, not stored", exc_info=True)
    return mark_safe(found)  # noqa: S308 - as above: this template's own output


def _cache():
    alias = getattr(settings, "NEIGHBORHOOD_FRAGMENT_CACHE", None)
    return caches[alias] if alias else None


_GENERATION = Generation(GENERATION_KEY, lambda: _cache())


def _new_generation() -> None:
    try:
        _GENERATION.renew()
    except Exception:
        logger.warning("fragment cache unreachable, no new generation", exc_info=True)


def content_changed(**kwargs) -> None:
    """A page, restriction, group, membership, locale or site changed."""
    if _cache() is None:  # no fragment is kept: nothing to renew
        return
    _GENERATION.changed(_new_generation)


def _page_row_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        content_changed()


def connect_receivers() -> None:
    """Called by `CoreConfig.ready`."""
    # What changes the restriction index (restrictions, groups, memberships, tree paths).
    connect_index_signals(content_changed, "nbh-fragments")
    # Any page row written or deleted (a draft saved too: more new generations than needed,
    # never fewer), and Wagtail's own signals, sent once a publish has written the page's
    # child rows (a support group's schedule) as well.
    post_save.connect(_page_row_changed, dispatch_uid="nbh-fragments-page-save")
    post_delete.connect(_page_row_changed, dispatch_uid="nbh-fragments-page-delete")
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(content_changed, dispatch_uid=f"nbh-fragments-{name}")
    for model in (Locale, Site):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"nbh-fragments-s-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"nbh-fragments-d-{model}")
