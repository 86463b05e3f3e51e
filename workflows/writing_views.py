"""Writing on the site, for members who never open the admin (docs/moderation.md).

- `/<space>/write/`: "Write a guide", a plain form that makes the same Wagtail draft as the admin
  and the API (`services.drafts`), saved as a draft or sent for review at once.
- `/account/writing/`: "My writing", each draft's state and the editors' comments;
  `/account/writing/<id>/` edits a guide while it is not in review, submits, withdraws.

Who may open them: the space's own rule (`user_can_view_page`; a visitor is sent to sign in, a
non-member gets the 404 of a missing page, `privacy.inside_space_denied`), then Wagtail's page
permissions (members may add pages in their space). A draft that is not the person's answers
the site's 404, like a missing one.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from community_pages.models import GuideIndexPage
from community_pages.privacy import inside_space_denied
from community_pages.selectors import space_by_slug
from core.visibility import user_can_view_page, visible_files
from resources.models import GuidePage
from resources.selectors import space_collection
from workflows.api.representation import People
from workflows.selectors.drafts import (
    draft_of,
    drafts_of,
    names_visible_to,
    review_summaries,
)
from workflows.services.drafts import (
    DraftConflict,
    draft_create,
    draft_submit,
    draft_update,
    draft_withdraw,
)
from workflows.writing_forms import GuideForm, guide_form_initial


def _space_files(user, anchor):
    """The images and documents of the space `anchor` lives in that `user` may see."""
    collection = space_collection(anchor)
    if collection is None:
        return [], []
    images = visible_files(
        user, get_image_model().objects.filter(collection__path__startswith=collection.path)
    ).order_by("title")
    documents = visible_files(
        user, get_document_model().objects.filter(collection__path__startswith=collection.path)
    ).order_by("title")
    return list(images), list(documents)


def _form(user, anchor, *args, **kwargs) -> GuideForm:
    images, documents = _space_files(user, anchor)
    return GuideForm(*args, images=images, documents=documents, **kwargs)


def _save(form: GuideForm, save) -> object | None:
    """Run `save(fields)` with the form's fields; put any refusal on the form's fields."""
    fields, origin = form.draft_data()
    try:
        return save(fields)
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            target = next(
                (field for path, field in origin.items() if name.startswith(path)),
                name if name in form.fields else None,
            )
            for message in errors:
                form.add_error(target, message)
    except (PermissionDenied, DraftConflict) as error:
        form.add_error(None, str(error.args[0]) if error.args else _("You may not do this."))
    return None


def write_guide(request, slug):
    """The "Write a guide" form of a space's guides section."""
    space = space_by_slug(slug)
    if space is None:
        raise Http404
    if not user_can_view_page(request.user, space):
        return inside_space_denied(request)
    section = GuideIndexPage.objects.child_of(space).first()
    if section is None or not section.permissions_for_user(request.user).can_add_subpage():
        raise Http404
    form = _form(request.user, section, request.POST or None)
    status = HTTPStatus.OK
    if request.method == "POST":
        status = HTTPStatus.BAD_REQUEST
        if form.is_valid():
            page = _save(
                form,
                lambda fields: draft_create(
                    user=request.user,
                    page_type="resources.GuidePage",
                    parent_id=section.pk,
                    data=fields,
                ),
            )
            if page is not None and "submit" in request.POST:
                try:
                    draft_submit(user=request.user, page=page)
                except (DraftConflict, PermissionDenied) as error:
                    messages.error(request, str(error.args[0]))
                else:
                    messages.success(request, _("Your guide is saved and sent to the editors."))
                    return redirect("my_writing")
            if page is not None:
                messages.success(request, _("Your guide is saved as a draft."))
                return redirect("my_draft", page.pk)
    return TemplateResponse(
        request,
        "workflows/write_guide.html",
        {"space": space.localized, "section": section.localized, "form": form},
        status=status,
    )


def decisions_shown(user, summaries: dict) -> dict[int, list[dict]]:
    """{page id: the editors' decisions, with the names `user` may read}."""
    people = People(
        names_visible_to(user, [d.reviewer for s in summaries.values() for d in s.decisions])
    )
    return {
        pk: [
            {
                "reviewer": people.name(d.reviewer, fallback=_("an elected editor")),
                "approved": d.decision == "approved",
                "comment": d.comment,
                "at": d.at,
            }
            for d in summary.decisions
        ]
        for pk, summary in summaries.items()
    }


@login_required
def my_writing(request):
    """Each of my drafts, its state and the editors' comments."""
    pages = list(drafts_of(request.user).specific())
    summaries = review_summaries(pages)
    decisions = decisions_shown(request.user, summaries)
    rows = [
        {"page": page, "summary": summaries[page.pk], "decisions": decisions[page.pk]}
        for page in pages
    ]
    return TemplateResponse(request, "workflows/my_writing.html", {"rows": rows})


def _mine_or_404(request, page_id):
    page = draft_of(request.user, page_id)
    if page is None:
        raise Http404
    return page


@login_required
def my_draft(request, page_id):
    """One of my drafts: its state and comments; the form while it may be edited here."""
    page = _mine_or_404(request, page_id)
    summary = review_summaries([page])[page.pk]
    draft = page.get_latest_revision_as_object()
    may_edit = page.permissions_for_user(request.user).can_edit() and summary.state != "in_review"
    initial = guide_form_initial(draft) if isinstance(page, GuidePage) else None
    form = None
    status = HTTPStatus.OK
    if may_edit and initial is not None:
        form = _form(request.user, page, request.POST or None, initial=initial)
        if request.method == "POST":
            status = HTTPStatus.BAD_REQUEST
            if form.is_valid():
                saved = _save(
                    form,
                    lambda fields: draft_update(user=request.user, page=page, data=fields),
                )
                if saved is not None:
                    messages.success(request, _("Your changes are saved."))
                    return redirect("my_draft", page.pk)
    elif request.method == "POST":
        status = HTTPStatus.CONFLICT
        messages.error(request, _("This draft cannot be changed now."))
    return TemplateResponse(
        request,
        "workflows/my_draft.html",
        {
            "page": page,
            "draft": draft,
            "summary": summary,
            "decisions": decisions_shown(request.user, {page.pk: summary})[page.pk],
            "form": form,
            "may_edit": may_edit,
        },
        status=status,
    )


def _act(request, page_id, service, done: str):
    page = _mine_or_404(request, page_id)
    try:
        service(user=request.user, page=page)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (DraftConflict, PermissionDenied) as error:
        messages.error(request, str(error.args[0]) if error.args else _("You may not do this."))
    else:
        messages.success(request, done)
    return redirect("my_draft", page.pk)


@login_required
@require_POST
def my_draft_submit(request, page_id):
    return _act(request, page_id, draft_submit, _("Sent to the editors for review."))


@login_required
@require_POST
def my_draft_withdraw(request, page_id):
    return _act(request, page_id, draft_withdraw, _("Withdrawn from review: it is a draft again."))
