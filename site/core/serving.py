"""Wagtail's own view-restriction check at page serving, answered from the restriction index.

Wagtail wraps every page it serves in `wagtail.wagtail_hooks.check_view_restrictions`: it reads
the page's ancestors (for aliases), then the restrictions on them, then, for a group
restriction, the person's groups and the restriction's: two to four queries on every page, to
decide what `core.visibility` has just decided from the index it read once for the request
(`community_pages.wagtail_hooks.enforce_page_privacy` runs first and answers for a page the
rule hides).

`check_view_restrictions` takes its place (`install`, before the first request) and gives the
same answers:
the restrictions on the page and its ancestors are the index's entries whose path starts the
page's path; a login or group restriction the person does not pass sends them to sign in, and a
page under any restriction is never cached, as Wagtail does. Whenever the index cannot say the
same thing for certain, Wagtail's own check answers, unchanged:

- a shared-password restriction applies (its form needs the restriction's row);
- the page or one of its ancestors is an alias (Wagtail then applies the source page's
  restrictions), or the ancestors are not all known from the routing that found the page
  (each page Wagtail routes through is kept on the next one as its parent);
- the person is signed in but inactive (Wagtail reads their groups, the rule does not).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_started
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import BaseViewRestriction, PageViewRestriction

from core.visibility import is_staff, restrictions, user_group_ids

HOOK = "on_serve_page"
# treebeard keeps a page's parent here once it is known (Wagtail's routing sets it).
_PARENT_ATTR = "_cached_parent_obj"
_WAGTAILS = ("wagtail.wagtail_hooks", "check_view_restrictions")
_wagtail_check = []  # Wagtail's own hook, once `install` has found it
_lock = threading.Lock()


def _ancestry_without_aliases(page) -> bool:
    """True when the page and every ancestor is known from the routing and none is an alias."""
    node = page
    while True:
        if node.alias_of_id is not None:
            return False
        if node.depth <= 2:  # its parent is the tree's root, which is never an alias
            return True
        parent = node.__dict__.get(_PARENT_ATTR)
        if (
            parent is None
            or parent.depth != node.depth - 1
            or not node.path.startswith(parent.path)
        ):
            return False
        node = parent


def applying_restrictions(page) -> list[tuple[str, set[int]]] | None:
    """[(restriction type, group ids)] for the restrictions on the page and its ancestors, from
    the index; None when only Wagtail's own reading can say (see the module's docstring)."""
    if not _ancestry_without_aliases(page):
        return None
    found = [
        (kind, groups)
        for path, kind, groups in restrictions(PageViewRestriction).values()
        if page.path.startswith(path)
    ]
    if any(kind == BaseViewRestriction.PASSWORD for kind, _groups in found):
        return None
    return found


def _accepts(user, kind: str, groups: set[int]) -> bool:
    """`BaseViewRestriction.accept_request`, for a login or group restriction."""
    if kind == BaseViewRestriction.LOGIN:
        return user.is_authenticated
    if kind == BaseViewRestriction.GROUPS:
        # Wagtail admits superusers; an inactive one never gets here (`inner`): `is_staff`.
        return is_staff(user) or bool(groups & user_group_ids(user))
    return True  # "none": anyone


def _require_login(request):
    """`wagtail.wagtail_hooks.require_wagtail_login`."""
    login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", reverse("wagtailcore_login"))
    return redirect_to_login(request.get_full_path(), login_url)


def check_view_restrictions(callback):
    """In place of `wagtail.wagtail_hooks.check_view_restrictions` (same answers, see above)."""
    wagtail_check = _wagtail_check[0](callback)

    def inner(page, request, serve_args, serve_kwargs):
        user = request.user
        found = applying_restrictions(page)
        if found is None or (user.is_authenticated and not user.is_active):
            return wagtail_check(page, request, serve_args, serve_kwargs)
        if not all(_accepts(user, kind, groups) for kind, groups in found):
            response = _require_login(request)
            add_never_cache_headers(response)
            return response
        response = callback(page, request, serve_args, serve_kwargs)
        if found:
            add_never_cache_headers(response)
        return response

    return inner


def install(**kwargs) -> None:
    """Put `check_view_restrictions` where Wagtail registered its own, in the same place in the
    chain. Connected to `request_started` (`CoreConfig.ready`): by the first request Wagtail has
    imported every app's hooks, in its own order, which this leaves as it is."""
    if _wagtail_check:
        return
    with _lock:
        hooks.search_for_hooks()
        entries = hooks._hooks.get(HOOK, [])
        for position, (function, order) in enumerate(entries):
            if function is check_view_restrictions:
                return
            if (function.__module__, function.__name__) == _WAGTAILS:
                _wagtail_check[:] = [function]
                entries[position] = (check_view_restrictions, order)
                return
    raise ImproperlyConfigured(
        "Wagtail's check_view_restrictions hook was not found: core/serving.py replaces it "
        "(has Wagtail changed how it checks view restrictions?)"
    )


def connect_install() -> None:
    """Called by `CoreConfig.ready`."""
    request_started.connect(install, dispatch_uid="nbh-view-restriction-check")
