"""The admin's doors to the review step: Wagtail's page edit view and workflow action view,
narrowed so that a repeated or racing request is answered with a message, never a 500, and
never writes what nobody meant (docs/moderation.md, "Repetition and concurrency").

Installed for every page type as the viewset of `Page` (`wagtail_hooks.py`, registered after
Wagtail's own). The decisions are `workflows.services.review`'s.

- **Every POST to the edit view holds the page's row lock** for the whole request, and reads
  the page after taking it. Wagtail's view reads the page before acting: a second "Approve"
  posted while the first was publishing read `live=False` and wrote it back (the page
  unpublished), or found no task any more and crashed (`'NoneType' object has no attribute
  'on_action'`), or fell through to a plain save (a revision nobody wrote: "LIVE + DRAFT").
- **A workflow action or a submission that is no longer possible** (already decided, already
  submitted) is refused with a message and a redirect to the edit screen, saving nothing.
- **An unchanged rich text field is unchanged.** The editor (Draftail) posts a rich text field
  back in its own form (`data-block-key` on each paragraph, an empty paragraph for an empty
  field), so Wagtail found "changes" in a draft written on the site or through the API that the
  reviewer never touched, saved a revision in their name, and the review step then refused them
  as its author. Rich text that differs only so is not a change (`content_changed`).
- **The decision** goes through `review_act`; its refusal (`ReviewRefused`: the reviewer changed
  the text, the text changed since they read it) is shown as a message. An edit saved first is
  kept as the latest draft.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.fields import RichTextField
from wagtail.models import Page

from workflows.models import ElectedEditorReviewTask
from workflows.services.review import ReviewRefused, page_lock, review_act

_BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*(<br/?>)?\s*</p>")


def _rich_text_normal(html) -> str:
    """Rich text as Draftail would give it back: no block keys, no empty paragraphs."""
    return _EMPTY_PARAGRAPH.sub("", _BLOCK_KEY.sub("", str(html or ""))).strip()


def content_changed(form) -> bool:
    """Did the person change the page's content? Wagtail's `form.has_changed()`, except that a
    rich text field that differs only in Draftail's own markup is unchanged."""
    formsets = getattr(form, "formsets", {}) or {}
    if any(formset.has_changed() for formset in formsets.values()):
        return True
    model = form._meta.model
    for name in form.changed_data:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: a change
            return True
        if not isinstance(field, RichTextField):
            return True
        before = _rich_text_normal(form.initial.get(name))
        if before != _rich_text_normal(form.cleaned_data.get(name)):
            return True
    return False


class ReviewedEditView(EditView):
    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            page = Page.objects.filter(pk=kwargs.get("page_id")).first()
            if page is not None:
                page_lock(page)
            return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        self.has_content_changes = content_changed(form)
        return self.action_method()

    def _refuse(self, message: str):
        messages.error(self.request, message)
        return redirect("wagtailadmin_pages:edit", self.page.pk)

    def post(self, request, *args, **kwargs):
        posted = request.POST
        if posted.get("action-workflow-action") and not self.workflow_action_is_valid():
            if self.page.current_workflow_task is None:
                return self._refuse(_("This review has already been decided: nothing was changed."))
            return self._refuse(
                _("You may not take this action on this draft: nothing was changed.")
            )
        if posted.get("action-submit") and self.page.workflow_in_progress:
            return self._refuse(_("This draft is already waiting for review: nothing was changed."))
        return super().post(request, *args, **kwargs)

    def perform_workflow_action(self):
        """Wagtail's, with the decision taken by the review service."""
        task = self.page.current_workflow_task
        if not isinstance(task, ElectedEditorReviewTask):
            return super().perform_workflow_action()
        self.page = self.form.save(commit=not self.page.live)
        self.subscription.save()
        read = self.request.POST.get("loaded_revision_id")
        if self.has_content_changes:
            revision = self.page.save_revision(
                user=self.request.user,
                log_action=True,
                previous_revision=(self.previous_revision if self.is_reverting else None),
            )
            if "comments" in self.form.formsets:
                changes = self.get_commenting_changes()
                self.log_commenting_changes(changes, revision)
                self.send_commenting_notifications(changes)
            read = None  # they approve what they just wrote: refused as its author
        try:
            extra = json.loads(self.request.POST.get("workflow-action-extra-data", "{}"))
        except ValueError:
            extra = {}
        try:
            review_act(
                page=self.page,
                user=self.request.user,
                action=self.workflow_action,
                comment=str(extra.get("comment", "") if isinstance(extra, dict) else ""),
                revision_id=int(read) if read and read.isdigit() else None,
            )
        except ReviewRefused as refusal:
            return self._refuse(refusal.message)
        self.add_save_confirmation_message()
        response = self.run_hook("after_edit_page", self.request, self.page)
        if response:
            return response
        return self.redirect_away()


class ReviewedWorkflowActionView(WorkflowActionView):
    """The dashboard's and history's action modal: a decision refused by the service (decided
    meanwhile, an author, a changed text) is a message on the dashboard, never a 500."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except Exception as error:
            refusal = error.__cause__
            if not isinstance(refusal, ReviewRefused):
                raise
            messages.error(request, refusal.message)
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                home = reverse("wagtailadmin_home")
                return self.render_modal_json(request, {"step": "success", "redirect": home})
            return redirect("wagtailadmin_home")


class ReviewedPageViewSet(PageViewSet):
    """Every page type's admin views, with the two review doors above."""

    model = Page
    edit_view_class = ReviewedEditView
    workflow_action_view_class = ReviewedWorkflowActionView
