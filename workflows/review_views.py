"""Reviews on the site, for elected editors who never open the admin (docs/moderation.md).

`/account/reviews/` lists the drafts waiting for the signed-in editor (their communities' spaces
and Common Ground); `/account/reviews/<id>/` shows the exact text under review and the two
decisions, which call the same service as the admin's buttons and the API
(`services.review`). A draft that is not waiting for this person answers the site's 404, like a
missing one.
"""

from __future__ import annotations

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from core.access import editor_communities
from workflows.api.representation import People
from workflows.selectors.drafts import (
    names_visible_to,
    review_of,
    review_summaries,
    reviewed_page,
    reviews_for,
)
from workflows.services.review import ReviewRefused, review_approve, review_request_changes


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment for the author"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required when you request changes: say what should change."),
    )
    revision_id = forms.IntegerField(widget=forms.HiddenInput)


def _rows(user, task_states) -> list[dict]:
    ids = [int(t.workflow_state.object_id) for t in task_states]
    found = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific()}
    pages = [found[pk] for pk in ids if pk in found]
    summaries = review_summaries(pages)
    people = People(
        names_visible_to(
            user, [s.workflow_state.requested_by for s in summaries.values() if s.workflow_state]
        )
    )
    rows = []
    for page in pages:
        summary = summaries[page.pk]
        approved = [d for d in summary.decisions if d.decision == "approved"]
        rows.append(
            {
                "page": page,
                "summary": summary,
                "author": people.name(summary.workflow_state.requested_by, fallback=_("a member")),
                "approvals": len(approved),
                "approved_by_me": any(d.reviewer and d.reviewer.pk == user.pk for d in approved),
                "may_decide": user.pk not in summary.author_ids,
            }
        )
    return rows


@login_required
def reviews(request):
    return TemplateResponse(
        request,
        "workflows/reviews.html",
        {
            "rows": _rows(request.user, list(reviews_for(request.user))),
            "is_editor": editor_communities(request.user).exists(),
        },
    )


@login_required
def review(request, page_id):
    found = review_of(request.user, page_id)
    if found is None:
        if request.method == "POST" and reviewed_page(request.user, page_id) is not None:
            # A double click, another tab, another editor: told, never a 404 or a 500.
            messages.info(request, _("This review has already been decided: nothing was changed."))
            return redirect("reviews")
        raise Http404
    page, task_state = found
    draft = page.get_latest_revision_as_object()
    form = DecisionForm(request.POST or None, initial={"revision_id": page.latest_revision_id})
    status = HTTPStatus.OK
    if request.method == "POST":
        status = HTTPStatus.BAD_REQUEST
        action = request.POST.get("action")
        if action not in ("approve", "request_changes"):
            form.add_error(None, _("Choose approve or request changes."))
        elif form.is_valid():
            comment = form.cleaned_data["comment"]
            try:
                if action == "approve":
                    outcome = review_approve(
                        page=page,
                        user=request.user,
                        comment=comment,
                        revision_id=form.cleaned_data["revision_id"],
                    )
                elif not comment.strip():
                    raise ReviewRefused(
                        _("Say what should change: the comment is required."),
                        code="comment_required",
                    )
                else:
                    outcome = review_request_changes(page=page, user=request.user, comment=comment)
            except ReviewRefused as error:
                form.add_error(
                    "comment" if error.code == "comment_required" else None, error.message
                )
                status = HTTPStatus.CONFLICT if error.code in ("decided", "changed") else status
            else:
                if action == "request_changes":
                    messages.success(request, _("Sent back to the author with your comment."))
                elif outcome.published:
                    messages.success(request, _("Approved and published."))
                else:
                    messages.success(
                        request,
                        _("Your approval is counted: %(count)d of %(quorum)d needed.")
                        % {"count": outcome.approvals, "quorum": outcome.quorum},
                    )
                return redirect("reviews")
    row = _rows(request.user, [task_state])[0]
    return TemplateResponse(
        request,
        "workflows/review.html",
        {"page": page, "draft": draft, "row": row, "form": form},
        status=status,
    )
