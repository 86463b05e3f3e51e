"""A translation has exactly the privacy of its source page (docs/privacy.md, invariant
`translations-share-privacy`).

Wagtail keeps view restrictions per page, and its copy actions copy them only sometimes:
`Page.copy` skips them when the destination parent is restricted, wagtail-localize copies the
first restriction only, and a restriction set later on one translation stays on that page.
So, for every page that is not a space (spaces are provisioned: `provisioning.py`):

- when a translation is created (Wagtail's `copy_for_translation`, wagtail-localize's translate
  action, a subtree translation, the aliases made for missing parents), it and its ancestors get
  their source's restrictions;
- when staff set, change or remove a restriction on any page, every page sharing its
  `translation_key` gets the same restrictions.

It also guards against wagtail-localize issue 773: translating "with subtree" publishes the
translated parent from a revision saved before its children existed, so its `numchild` goes
back to 0 and the admin explorer stops listing the children
(https://github.com/wagtail/wagtail-localize/issues/773). After every publish and translation
the tree counts of the pages involved are checked against the real number of children.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import copy_for_translation_done, page_published

from community_pages.models import SpacePage

_mirroring: ContextVar[bool] = ContextVar("neighborhood_mirroring", default=False)
# Pages being deleted: their restrictions go with them, which must not unrestrict translations.
_pages_being_deleted: set[int] = set()


def _is_space(page: Page) -> bool:
    return issubclass(page.specific_class or Page, SpacePage)


def _signature(restriction: PageViewRestriction) -> tuple:
    return (
        restriction.restriction_type,
        restriction.password,
        frozenset(group.pk for group in restriction.groups.all()),
    )


def _restrictions_of(page: Page) -> set[tuple]:
    return {_signature(r) for r in PageViewRestriction.objects.filter(page=page)}


def _make_restrictions(page: Page, wanted: set[tuple]) -> bool:
    """Give `page` exactly the restrictions `wanted` (one per signature). True if it changed."""
    existing = list(PageViewRestriction.objects.filter(page=page).prefetch_related("groups"))
    kept: set[tuple] = set()
    changed = False
    for restriction in existing:
        signature = _signature(restriction)
        if signature in wanted and signature not in kept:
            kept.add(signature)
        else:
            restriction.delete()
            changed = True
    for restriction_type, password, group_ids in wanted - kept:
        restriction = PageViewRestriction(page=page, restriction_type=restriction_type)
        restriction.password = password
        restriction.save()
        restriction.groups.set(group_ids)
        changed = True
    return changed


def translations_mirror(source: Page) -> list[Page]:
    """Give every page sharing `source`'s translation key `source`'s restrictions.

    Returns the pages that changed. Spaces are left to provisioning.
    """
    if _mirroring.get() or _is_space(source):
        return []
    token = _mirroring.set(True)
    try:
        wanted = _restrictions_of(source)
        changed = []
        others = Page.objects.filter(translation_key=source.translation_key).exclude(pk=source.pk)
        for page in others.exclude(pk__in=_pages_being_deleted):
            if _make_restrictions(page, wanted):
                changed.append(page)
        return changed
    finally:
        _mirroring.reset(token)


def _source_of(page: Page) -> Page:
    """The page of this translation key in the source language (or the oldest)."""
    pages = Page.objects.filter(translation_key=page.translation_key).select_related("locale")
    for candidate in pages.order_by("pk"):
        if candidate.locale.language_code == settings.LANGUAGE_CODE:
            return candidate
    return pages.order_by("pk").first() or page


def translation_privacy_from_source(page: Page) -> None:
    """Give `page` its source page's restrictions (used when a translation is created)."""
    source = _source_of(page)
    if source.pk == page.pk or _is_space(page):
        return
    token = _mirroring.set(True)
    try:
        _make_restrictions(page, _restrictions_of(source))
    finally:
        _mirroring.reset(token)


def tree_counts_fix(pages) -> list[Page]:
    """Make each page's `numchild` its real number of children (wagtail-localize issue 773)."""
    fixed = []
    for page in pages:
        real = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1).count()
        stored = Page.objects.filter(pk=page.pk).values_list("numchild", flat=True).first()
        if stored is not None and stored != real:
            Page.objects.filter(pk=page.pk).update(numchild=real)
            page.numchild = real
            fixed.append(page)
    return fixed


# Receivers (connected in CommunityPagesConfig.ready) -----------------------------------------


def restriction_saved(sender, instance, created, **kwargs):
    # A new groups restriction gets its groups just after it is saved: mirror it then
    # (m2m_changed), so a half-made restriction is never copied.
    if created and instance.restriction_type == PageViewRestriction.GROUPS:
        return
    translations_mirror(instance.page)


def restriction_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        translations_mirror(instance.page)
    elif pk_set:  # a group gained or lost restrictions
        for restriction in PageViewRestriction.objects.filter(pk__in=pk_set).select_related("page"):
            translations_mirror(restriction.page)


def restriction_deleted(sender, instance, **kwargs):
    if instance.page_id in _pages_being_deleted:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        translations_mirror(page)


def page_deleting(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _pages_being_deleted.add(instance.pk)


def page_deleted(sender, instance, **kwargs):
    # The specific page's row goes first, its restrictions next, the `Page` row last.
    if sender is Page:
        _pages_being_deleted.discard(instance.pk)


def translation_created(sender, source_obj, target_obj, **kwargs):
    if not isinstance(target_obj, Page):
        return
    # The target, and the parents `copy_parents=True` made for it (as aliases), get their
    # source's restrictions; the parent's tree count is checked (issue 773).
    for page in [*target_obj.get_ancestors().filter(depth__gt=1), target_obj]:
        translation_privacy_from_source(page)
    tree_counts_fix([target_obj.get_parent()])


def page_was_published(sender, instance, **kwargs):
    # wagtail-localize publishes a translation on commit from a revision saved before its
    # subtree was translated; that revision's `numchild` is stale (issue 773).
    tree_counts_fix([instance])


def connect() -> None:
    post_save.connect(restriction_saved, sender=PageViewRestriction, dispatch_uid="tp_saved")
    post_delete.connect(restriction_deleted, sender=PageViewRestriction, dispatch_uid="tp_del")
    m2m_changed.connect(
        restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="tp_groups",
    )
    pre_delete.connect(page_deleting, dispatch_uid="tp_page_deleting")
    post_delete.connect(page_deleted, dispatch_uid="tp_page_deleted")
    copy_for_translation_done.connect(translation_created, dispatch_uid="tp_translated")
    page_published.connect(page_was_published, dispatch_uid="tp_published")
