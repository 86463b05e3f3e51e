"""Remembrance on the site (docs/community-tools.md, "Remembrance"):

- `/remembrance/<community>/`: a content note first; the remembrances only after the reader
  chooses to continue (`?continue=1`), the note still above them;
- `/remembrance/<community>/<id>/`: one remembrance, the note before its text;
- `/remembrance/<community>/new/`, `…/<id>/edit/`, `…/<id>/withdraw/`: the author's;
- `…/<id>/moderate/`: the space's moderators hide (with a reason the author reads) or restore.

Who may open them: the space's rule first (a visitor is sent to sign in, anyone else not in the
space gets the 404 of a missing page: `privacy.inside_space_denied`); then a remembrance the
person may not see, or may not change, is the 404 of a missing id.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community_pages.privacy import inside_space_denied
from workflows import spaces
from workflows.remembrance import selectors, services
from workflows.remembrance.forms import HideForm, RemembranceForm


def _space(request, slug):
    """(space, None) when the person is in the community space, else (None, the answer)."""
    space, visible = selectors.remembrance_space(request.user, slug)
    if space is None:
        raise Http404
    if not visible:
        return None, inside_space_denied(request)
    return space, None


def _context(request, space, **more) -> dict:
    return {
        "space": space,
        "space_page": spaces.space_local_page(space),
        "may_moderate": spaces.may_moderate(request.user, space),
        "may_share": spaces.people_in(space).filter(pk=request.user.pk).exists(),
        **more,
    }


def remembrance_list(request, slug):
    space, denied = _space(request, slug)
    if denied:
        return denied
    shown = request.GET.get("continue") == "1"
    items = list(selectors.remembrances_in(request.user, space)) if shown else []
    return TemplateResponse(
        request, "remembrance/list.html", _context(request, space, shown=shown, items=items)
    )


def remembrance_detail(request, slug, remembrance_id):
    space, denied = _space(request, slug)
    if denied:
        return denied
    item = selectors.remembrance_in(request.user, space, remembrance_id)
    if item is None:
        raise Http404
    return TemplateResponse(
        request,
        "remembrance/detail.html",
        _context(request, space, item=item, hide_form=HideForm()),
    )


def _form_page(request, space, form, item=None, status=HTTPStatus.OK):
    return TemplateResponse(
        request,
        "remembrance/form.html",
        _context(request, space, form=form, item=item),
        status=status,
    )


def _put_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def remembrance_new(request, slug):
    space, denied = _space(request, slug)
    if denied:
        return denied
    if not spaces.people_in(space).filter(pk=request.user.pk).exists():
        raise Http404
    photos = selectors.photos_for(request.user, space)
    form = RemembranceForm(request.POST or None, photos=photos)
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.remembrance_create(
                    user=request.user, space=space, data=form.data_for_service()
                )
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("Your remembrance is shared with your community."))
                return redirect("remembrance", slug, item.pk)
        return _form_page(request, space, form, status=HTTPStatus.BAD_REQUEST)
    return _form_page(request, space, form)


def remembrance_edit(request, slug, remembrance_id):
    space, denied = _space(request, slug)
    if denied:
        return denied
    item = selectors.own_remembrance(request.user, space, remembrance_id)
    if item is None:
        raise Http404
    photos = selectors.photos_for(request.user, space)
    initial = {field: getattr(item, field) for field in services.FIELDS if field != "photo"}
    initial["photo"] = item.photo_id or ""
    form = RemembranceForm(request.POST or None, photos=photos, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.remembrance_update(
                    user=request.user, remembrance=item, data=form.data_for_service()
                )
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("Your remembrance is changed."))
                return redirect("remembrance", slug, item.pk)
        return _form_page(request, space, form, item, status=HTTPStatus.BAD_REQUEST)
    return _form_page(request, space, form, item)


@require_POST
def remembrance_withdraw(request, slug, remembrance_id):
    space, denied = _space(request, slug)
    if denied:
        return denied
    item = selectors.own_remembrance(request.user, space, remembrance_id)
    if item is None:
        raise Http404
    services.remembrance_withdraw(user=request.user, remembrance=item)
    messages.success(request, _("Your remembrance is withdrawn: nobody sees it any more."))
    return redirect("remembrance_list", slug)


@require_POST
def remembrance_moderate(request, slug, remembrance_id):
    space, denied = _space(request, slug)
    if denied:
        return denied
    item = selectors.remembrance_in(request.user, space, remembrance_id)
    if item is None or not spaces.may_moderate(request.user, space):
        raise Http404
    try:
        if request.POST.get("action") == "restore":
            services.remembrance_restore(user=request.user, remembrance=item)
            messages.success(request, _("The remembrance is shown again."))
        else:
            form = HideForm(request.POST)
            if not form.is_valid():
                return TemplateResponse(
                    request,
                    "remembrance/detail.html",
                    _context(request, space, item=item, hide_form=form),
                    status=HTTPStatus.BAD_REQUEST,
                )
            services.remembrance_hide(
                user=request.user, remembrance=item, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The remembrance is hidden; its author sees why."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", error.args)))
    return redirect("remembrance", slug, item.pk)
