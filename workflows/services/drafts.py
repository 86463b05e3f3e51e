"""Writes for the authoring loop: create, edit, submit and withdraw a draft (docs/moderation.md).

The API (`workflows/api/drafts.py`) and the site's "Write a guide" and "My writing" screens
(`workflows/writing_views.py`) call these, and they do what the Wagtail admin's create and edit
views do, in the same records: the page is added unpublished with its owner, each change is a
revision logged as `wagtail.create` / `wagtail.edit`, submitting starts (or resumes, after
"request changes") the page's workflow, withdrawing cancels it. So the admin shows whatever was
done here, and the reverse.

Same rules as the admin: a draft goes only under a section the writer may see and may add to
(Wagtail's page permissions, granted by provisioning to members of the space), is edited only by
those Wagtail lets edit it (its owner, the space's editors), never while it is in review (409),
and everything is validated before anything is written. Each write locks the page's row first,
so two submissions at once start one review, and an edit cannot slip in while a submission is
being made.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Page, WorkflowState

from core.visibility import visible_pages
from workflows.selectors.drafts import DRAFT_MODELS
from workflows.services.draft_input import FIELDS, draft_fields
from workflows.services.review import ReviewRefused, review_submit


class DraftConflict(Exception):
    """The draft is in a state where this cannot be done (in review, nothing to submit): 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _refuse(field: str, message: str):
    raise ValidationError({field: [message]})


def writable_parent(*, user, model, parent_id) -> Page:
    """The section page `parent_id` if `user` may write a `model` there; else ValidationError.

    A parent the user may not see answers like one that does not exist.
    """
    pk = parent_id if isinstance(parent_id, int) and not isinstance(parent_id, bool) else None
    parent = visible_pages(user, Page.objects.filter(pk=pk), live=False).first() if pk else None
    if parent is None:
        _refuse("parent", _("No section you may write in has this id."))
    parent = parent.specific
    if not model.can_create_at(parent):
        _refuse(
            "parent",
            _("A %(kind)s cannot be placed under “%(title)s”.")
            % {"kind": model._meta.verbose_name, "title": parent.title},
        )
    if not parent.permissions_for_user(user).can_add_subpage():
        _refuse("parent", _("You may not write in “%(title)s”.") % {"title": parent.title})
    return parent


def _apply(page, values: dict) -> None:
    for name, value in values.items():
        setattr(page, name, value)  # modelcluster keeps many-to-many values on the instance


@transaction.atomic
def draft_create(*, user, page_type: str, parent_id, data: dict) -> Page:
    """A new unpublished guide or resource under `parent_id`, owned by `user` (201)."""
    model = DRAFT_MODELS.get(page_type) if isinstance(page_type, str) else None
    if model is None:
        _refuse("type", _("One of: %(types)s.") % {"types": ", ".join(DRAFT_MODELS)})
    parent = writable_parent(user=user, model=model, parent_id=parent_id)
    values = draft_fields(model, data, user=user, anchor=parent)
    if not values.get("title"):
        _refuse("title", _("A title is needed."))
    page = model(owner=user, live=False)
    if "byline" in FIELDS[model]:
        page.byline = _display_name(user)
    _apply(page, values)
    page.slug = find_available_slug(parent, values.get("slug") or slugify(page.title) or "draft")
    # Inside this transaction: a model-level refusal (`clean`) undoes the insert and its log.
    parent.add_child(instance=page)  # logs wagtail.create, as the admin does
    page.full_clean()
    page.save_revision(user=user, log_action=True, clean=False)
    return page


def _display_name(user) -> str:
    # app registry: wagtail.admin.utils loads the user model's admin pieces when imported.
    from wagtail.admin.utils import get_user_display_name

    return get_user_display_name(user)


def _locked(page: Page) -> Page:
    """The page re-read with its row locked (the specific instance)."""
    return Page.objects.select_for_update().get(pk=page.pk).specific


def _in_review(page: Page) -> bool:
    state = page.current_workflow_state
    return state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS


@transaction.atomic
def draft_update(*, user, page: Page, data: dict) -> Page:
    """Change a draft's fields: a new revision, as the admin's Save draft. Not while in review."""
    page = _locked(page)
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied(_("You may not change this draft."))
    if _in_review(page):
        raise DraftConflict(
            _("This draft is being reviewed: withdraw it first, or wait for the editors.")
        )
    draft = page.get_latest_revision_as_object()
    values = draft_fields(type(page), data, user=user, anchor=page)
    if "title" in values and not values["title"]:
        _refuse("title", _("A title is needed."))
    if "slug" in values:
        values["slug"] = find_available_slug(
            page.get_parent(),
            values["slug"] or slugify(values.get("title", page.title)),
            ignore_page_id=page.pk,
        )
    _apply(draft, values)
    draft.full_clean()
    if not draft.live:
        draft.save()  # an unpublished page's row follows its draft, as in the admin
    draft.save_revision(user=user, log_action=True)
    return draft


@transaction.atomic
def draft_submit(*, user, page: Page) -> Page:
    """Send the draft to its space's elected editors (or back to them after changes), through
    the one review service (`services.review.review_submit`, which the admin calls too)."""
    page = _locked(page)
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied(_("You may not submit this draft."))
    if page.live and not page.has_unpublished_changes:
        raise DraftConflict(_("Nothing to submit: the published page has not changed since."))
    page.get_latest_revision_as_object().full_clean()
    try:
        review_submit(page=page, user=user)
    except ReviewRefused as error:
        if error.code == "not_allowed":
            raise PermissionDenied(error.message) from error
        raise DraftConflict(error.message) from error
    return page


@transaction.atomic
def draft_withdraw(*, user, page: Page) -> Page:
    """Take a submitted draft back from review (Wagtail's "cancel workflow"): a draft again."""
    page = _locked(page)
    state = page.current_workflow_state
    if state is None or state.status not in (
        WorkflowState.STATUS_IN_PROGRESS,
        WorkflowState.STATUS_NEEDS_CHANGES,
    ):
        raise DraftConflict(_("This draft is not waiting for review."))
    if not (page.permissions_for_user(user).can_edit() and state.user_can_cancel(user)):
        raise PermissionDenied(_("Only its author may withdraw this draft."))
    state.cancel(user=user)
    return page
