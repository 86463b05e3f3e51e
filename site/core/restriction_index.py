"""The restriction index: every page and collection view restriction with its groups.

`core.visibility` decides from it; this module only reads it, at most once per request and,
when the cache is shared between app servers (Redis, `REDIS_URL`), at most once per change for
all of them (docs/deploy.md, "Cache").

Three levels, nearest first:

1. inside `restrictions_cached()` (one request), the index already read in that request;
2. the shared cache, under a *generation* number: any change to a restriction, its groups, a
   group, a membership or a tree path (a page or collection moved or deleted) makes a new
   generation once its transaction commits, so the next request on every server reads afresh;
3. the database: one query per model.

Why a generation and not a delete: a server that read the old rows just before a change commits
stores them under the old generation, which nobody reads any more; a plain delete could be
followed by that late store, and the old index would live on.

A transaction that changed something reads the database until it ends (its own changes are
not committed yet, so they must not reach the shared cache). With the in-process cache
(`locmem`, the default) nothing is shared: each process of several would keep its own copy, so
the index is then read from the database on each request, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from treebeard.mp_tree import nodes_deleted, path_updated
from wagtail.models import CollectionViewRestriction, PageViewRestriction

logger = logging.getLogger(__name__)

Index = dict[int, tuple[str, str, set[int]]]

# Within `restrictions_cached()`, the restriction index is read once (not once per call).
_request_cache: ContextVar[dict | None] = ContextVar("_restrictions_cache", default=None)
GENERATION_KEY = "restriction-index:generation"
# A backstop only: a change makes a new generation at once. An entry also ends after this long,
# so even a change whose new generation could not be written (the cache was unreachable then)
# is seen after at most this many seconds.
ENTRY_SECONDS = 300


class Generation:
    """A number in a shared cache that names the entries of the current state of something
    (the restriction index, the rendered fragments): a change makes a new number once its
    transaction commits, so every server reads afresh on its next request, and no entry written
    from the old rows is ever read again. While a transaction that changed something is open,
    its own connection must read from the database (`changed_in_this_transaction`)."""

    def __init__(self, key: str, cache: Callable[[], Any]):
        self.key = key
        self._cache = cache  # the cache holding it now, or None (read from settings per call)
        self._dirty_attr = f"_neighborhood_changed_{key}"

    def current(self, cache) -> int:
        generation = cache.get(self.key)
        if generation is None:
            # First use, or evicted: a new number, never one an old entry was stored under.
            cache.add(self.key, time.time_ns(), None)
            generation = cache.get(self.key)
        return generation

    def changed(self, renew: Callable[[], None] | None = None) -> None:
        """Something it names changed: a new number when the transaction commits (at once
        outside one; never if it rolls back). `renew` wraps `self.renew`, e.g. to log."""
        if connection.in_atomic_block and connection.atomic_blocks:
            setattr(connection, self._dirty_attr, connection.atomic_blocks[0])
        transaction.on_commit(renew or self.renew)

    def changed_in_this_transaction(self) -> bool:
        """Did this connection's current transaction change it? Known by its outermost atomic
        block: once that block has ended (committed or rolled back), the answer is no."""
        block = getattr(connection, self._dirty_attr, None)
        if block is None:
            return False
        if connection.atomic_blocks and connection.atomic_blocks[0] is block:
            return True
        setattr(connection, self._dirty_attr, None)
        return False

    def renew(self) -> None:
        setattr(connection, self._dirty_attr, None)
        cache = self._cache()
        if cache is None:
            return
        try:
            cache.incr(self.key)
        except ValueError:  # no generation yet (or evicted): any new number will do
            cache.set(self.key, time.time_ns(), None)


@contextmanager
def restrictions_cached() -> Iterator[None]:
    """Read the restriction index at most once per model inside this block (e.g. one request).

    The API and page serving ask the rule several times per request; without this each ask
    would read the index again. Outside such a block every call reads it afresh.
    """
    token = _request_cache.set({})
    try:
        yield
    finally:
        _request_cache.reset(token)


def restrictions(model) -> Index:
    """{restriction id: (restricted path, restriction type, group ids)} for the model."""
    local = _request_cache.get()
    if local is not None and model in local:
        return local[model]
    shared = _shared_cache()
    if shared is None or _GENERATION.changed_in_this_transaction():
        found = read_from_database(model)
    else:
        found = _read_through(shared, model)
    if local is not None:
        local[model] = found
    return found


def read_from_database(model) -> Index:
    path_field = "page__path" if model is PageViewRestriction else "collection__path"
    found: Index = {}
    for restriction_id, path, kind, group_id in model.objects.values_list(
        "id", path_field, "restriction_type", "groups"
    ):
        entry = found.setdefault(restriction_id, (path, kind, set()))
        if group_id is not None:
            entry[2].add(group_id)
    # Several restrictions on one object all apply: keep them all, keyed by id.
    return found


def _shared_cache():
    alias = getattr(settings, "NEIGHBORHOOD_RESTRICTION_CACHE", None)
    return caches[alias] if alias else None


# The cache is looked up on each use, through the module (a test stands in for it there).
_GENERATION = Generation(GENERATION_KEY, lambda: _shared_cache())


def _read_through(shared, model) -> Index:
    try:
        generation = _GENERATION.current(shared)
        key = f"restriction-index:{model._meta.label_lower}:{generation}"
        found = shared.get(key)
    except Exception:  # the cache is down: the database still answers
        logger.warning("restriction index: cache unreachable, reading the database", exc_info=True)
        return read_from_database(model)
    if found is None:
        found = read_from_database(model)
        try:
            shared.set(key, found, ENTRY_SECONDS)
        except Exception:
            logger.warning("restriction index: cache unreachable, not stored", exc_info=True)
    return found


def index_changed(**kwargs) -> None:
    """A restriction, its groups, a group, a membership or a tree path changed."""
    local = _request_cache.get()
    if local:
        local.clear()
    _GENERATION.changed()


def connect_receivers() -> None:
    """Called by `CoreConfig.ready`."""
    connect_index_signals(index_changed, "nbh-index")


def connect_index_signals(receiver, uid: str) -> None:
    """Connect `receiver` to every change of the index: also used by `core.fragment_cache`,
    whose fragments change with it."""
    for model in (PageViewRestriction, CollectionViewRestriction):
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save-{model}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-del-{model}")
        m2m_changed.connect(
            receiver, sender=model.groups.through, dispatch_uid=f"{uid}-m2m-{model}"
        )
    # A deleted group leaves its restrictions without m2m_changed; memberships are user.groups.
    post_delete.connect(receiver, sender=Group, dispatch_uid=f"{uid}-group")
    m2m_changed.connect(
        receiver, sender=get_user_model().groups.through, dispatch_uid=f"{uid}-member"
    )
    # A page or collection moved (its subtree's paths rewritten) or a subtree deleted.
    path_updated.connect(receiver, dispatch_uid=f"{uid}-path")
    nodes_deleted.connect(receiver, dispatch_uid=f"{uid}-nodes")
