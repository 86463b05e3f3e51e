"""The Wagtail admin reads through the one visibility rule (docs/privacy.md, "Admin screens").

Members write drafts in the admin and editors review them there, so every admin queryset of
pages, documents and images is narrowed here, once, where Wagtail builds it: in the permission
policies it asks for "what may this user explore / choose / change". The explorer, the admin
page search, the page listings and filters, the admin API (`/admin/api/main/pages/`, its child
counts included), the image and document listings and choosers all start from these, so a
screen added by a Wagtail upgrade that starts from them is narrowed too.
(`AdminPagePrivacyMiddleware` answers the views that name an object by id.)

In the admin a non-staff user sees a page when

1. the rule lets them read it (`visibility.visible_pages(..., live=False)`: another community, or
   a page restricted to a community's editors, is hidden from whoever is not in its groups); and
2. it is not a draft of someone else that their role does not show them: a page that is not
   live (never published, or unpublished) is seen by its owner, by whoever saved one of its
   revisions (its co-authors), and by the editors who review its space (for Common Ground the
   editors of every community); anything below such a draft is hidden with it.

Staff (`is_superuser`) see everything. Documents and images: the rule's `visible_files`.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast, Substr
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import AbstractPage, Page, ReferenceIndex
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from core.admin_titles import draft_reader
from core.visibility import (
    denied_collection_paths,
    denied_page_paths,
    is_staff,
    user_can_view_file,
    visible_collections,
    visible_files,
    visible_pages,
)

_HIDDEN_DRAFTS_ATTR = "_neighborhood_hidden_draft_paths"


def hidden_draft_paths(user) -> list[str]:
    """Tree paths of the drafts (with what lies below them) this user may not see in the admin.

    Read once per user object (one request).
    """
    if is_staff(user):
        return []
    cached = getattr(user, _HIDDEN_DRAFTS_ATTR, None)
    if cached is not None:
        return cached
    drafts = Page.objects.filter(live=False, depth__gt=1)
    if user is not None and user.is_authenticated:
        authored, reviewed = draft_reader(user)
        drafts = drafts.exclude(owner_id=user.pk).exclude(pk__in=authored)
        for space in reviewed:
            drafts = drafts.exclude(path__startswith=space)
    paths = set(drafts.values_list("path", flat=True))
    # A draft below another hidden draft adds nothing.
    found = sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    if user is not None and user.is_authenticated:
        setattr(user, _HIDDEN_DRAFTS_ATTR, found)
    return found


def _exclude_paths(queryset: QuerySet, prefixes: list[str]) -> QuerySet:
    by_length: dict[int, list[str]] = {}
    for prefix in prefixes:
        by_length.setdefault(len(prefix), []).append(prefix)
    for length, group in sorted(by_length.items()):
        # A plain `path__startswith` per draft would grow the SQL; one IN per length instead.
        alias = f"_neighborhood_draft_{length}"
        queryset = queryset.alias(**{alias: Substr("path", 1, length)}).exclude(
            **{f"{alias}__in": group}
        )
    return queryset


def admin_visible_pages(user, queryset: QuerySet | None = None) -> QuerySet:
    """The pages (drafts included) this user may see in the admin, as a plain filter.

    The result is `queryset.filter(pk__in=<subquery>)` when anything is hidden, so it can still
    be searched, combined with `|` or used inside another `pk__in`.
    """
    queryset = Page.objects.all() if queryset is None else queryset
    if is_staff(user):
        return queryset
    drafts = hidden_draft_paths(user)
    if not drafts and not denied_page_paths(user):
        return queryset
    allowed = _exclude_paths(visible_pages(user, live=False), drafts)
    return queryset.filter(pk__in=allowed.values("pk"))


def admin_visible_page_ids(user, ids) -> set[int]:
    """Of these page ids, the ones that exist and that this user may see in the admin."""
    return set(
        admin_visible_pages(user, Page.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )


def as_listed_for(user, queryset: QuerySet) -> QuerySet:
    """The same pages, each fetched with `numchild` counting only the children the admin shows
    this person. The explorer's folder icon and the chooser's "descend" arrow read `numchild`,
    which counts every child: a section whose only child is a fellow member's draft or an
    editors-only page would say that something is there. (Pending titles: `core/admin_titles.py`.)

    For display only (the explorer and chooser listings): nothing saves these instances.
    """
    if is_staff(user):
        return queryset

    class VisibleChildCountQuerySet(type(queryset)):
        def _fetch_all(self):
            fresh = self._result_cache is None
            super()._fetch_all()
            if fresh:
                _as_listed(user, self._result_cache)

    narrowed = queryset._chain()
    narrowed.__class__ = VisibleChildCountQuerySet
    return narrowed


def _as_listed(user, rows) -> None:
    pages = [row for row in rows if isinstance(row, Page)]
    if not (denied_page_paths(user) or hidden_draft_paths(user)):
        return
    parents = [page for page in pages if page.numchild]
    if not parents:
        return
    children = Q()
    for parent in parents:
        children |= Q(path__startswith=parent.path, depth=parent.depth + 1)
    shown = list(
        admin_visible_pages(user, Page.objects.filter(children)).values_list("path", flat=True)
    )
    for parent in parents:
        parent.numchild = sum(1 for path in shown if path.startswith(parent.path))


def admin_visible_files(user, queryset: QuerySet) -> QuerySet:
    """Documents or images this user may see, as a plain `pk IN (subquery)` filter."""
    if not denied_collection_paths(user):
        return queryset
    model = queryset.model
    return queryset.filter(pk__in=visible_files(user, model._default_manager.all()).values("pk"))


def visible_reference_count(user, obj) -> int:
    """How many objects refer to `obj` ("Referenced N times" on an edit screen), counting a
    referring page only when the admin shows it to this person."""
    references = ReferenceIndex.get_references_to(obj)
    if not is_staff(user):
        page_type = ContentType.objects.get_for_model(Page)
        shown = admin_visible_pages(user).annotate(_pk_text=Cast("pk", CharField()))
        references = references.filter(
            ~Q(base_content_type=page_type) | Q(object_id__in=shown.values("_pk_text"))
        )
    return references.values("base_content_type", "object_id").distinct().count()


# Wagtail's permission policies, narrowed ---------------------------------------------------------


class NeighborhoodPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy; every set of pages it hands the admin passes the admin rule."""

    def instances_user_has_any_permission_for(self, user, actions):
        return admin_visible_pages(
            user, super().instances_user_has_any_permission_for(user, actions)
        )

    def explorable_instances(self, user):
        return admin_visible_pages(user, super().explorable_instances(user))


class NeighborhoodFilePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's document and image policy; listings and choosers pass the rule."""

    def instances_user_has_any_permission_for(self, user, actions):
        return admin_visible_files(
            user, super().instances_user_has_any_permission_for(user, actions)
        )

    def collections_user_has_any_permission_for(self, user, actions):
        collections = super().collections_user_has_any_permission_for(user, actions)
        if not denied_collection_paths(user):
            return collections
        return collections.filter(pk__in=visible_collections(user).values("pk"))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if instance.collection_id is not None and not user_can_view_file(user, instance):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


def install_policies() -> None:
    """Register the narrowed policies.

    Wagtail reads its hooks (and so this) while the apps are still getting ready, before
    wagtail.documents and wagtail.images register their own policies: registered for the exact
    model classes, ours are found first whatever registers later (`PolicyRegistry.get_by_type`).
    """
    register_permission_policy(AbstractPage, NeighborhoodPagePermissionPolicy(Page))
    for model, auth_model in (
        (get_document_model(), "wagtaildocs.Document"),
        (get_image_model(), "wagtailimages.Image"),
    ):
        policy = NeighborhoodFilePermissionPolicy(
            model, auth_model=auth_model, owner_field_name="uploaded_by_user"
        )
        register_permission_policy(model, policy, exact_class=True)
