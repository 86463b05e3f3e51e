"""Proposals on the site: /proposals/<space>/ (the list, and who may propose),
/proposals/<space>/new/, /proposals/<space>/<id>/ with its respond and revise forms.

The same guard as gatherings (`workflows.spaces.space_or_denied`): a visitor is sent
to sign in for every address, a signed-in person not in the space gets the 404 of a missing
page, whether the space or proposal exists or not.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.utils import get_user_display_name

from workflows import spaces
from workflows.proposals import selectors, services
from workflows.proposals.forms import ProposalForm, RespondForm, ReviseForm, WhoMayProposeForm
from workflows.proposals.selectors import OUTCOMES

PAGE_SIZE = 50


def _proposal_or_404(request, space, proposal_id):
    proposal = selectors.proposal_for(request.user, proposal_id, space=space)
    if proposal is None:
        raise Http404
    return proposal


def _to(proposal):
    return redirect(reverse("proposal", args=[proposal.space.slug, proposal.pk]))


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


def proposal_list(request, space_slug, *, who_form=None, status=HTTPStatus.OK):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    page = Paginator(selectors.proposals_of_space(space), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    proposals = list(page.object_list)
    for proposal in proposals:
        proposal.outcome_label = OUTCOMES[selectors.outcome(proposal)]
    may_set = selectors.may_set_who_proposes(request.user, space)
    return TemplateResponse(
        request,
        "proposals/list.html",
        {
            "space": space,
            "local": spaces.space_local_page(space),
            "proposals": proposals,
            "page": page,
            "may_propose": selectors.may_propose(request.user, space),
            "who_form": (
                who_form
                or WhoMayProposeForm(initial={"who_may_propose": selectors.who_may_propose(space)})
            )
            if may_set
            else None,
        },
        status=status,
    )


@require_POST
def proposal_who(request, space_slug):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    form = WhoMayProposeForm(request.POST)
    if form.is_valid():
        try:
            services.who_may_propose_set(
                user=request.user, space=space, who=form.cleaned_data["who_may_propose"]
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return proposal_list(request, space_slug, status=HTTPStatus.FORBIDDEN)
        messages.success(request, _("Saved."))
        return redirect(reverse("proposal_list", args=[space.slug]))
    return proposal_list(request, space_slug, who_form=form, status=HTTPStatus.BAD_REQUEST)


def proposal_new(request, space_slug):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    status = HTTPStatus.OK
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid():
            try:
                proposal = services.proposal_create(
                    user=request.user, space=space, **form.cleaned_data
                )
            except ValidationError as error:
                _apply(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your proposal is open for responses."))
                return _to(proposal)
        status = HTTPStatus.BAD_REQUEST
    else:
        form = ProposalForm()
    return TemplateResponse(
        request,
        "proposals/form.html",
        {
            "space": space,
            "local": spaces.space_local_page(space),
            "form": form,
            "may_propose": selectors.may_propose(request.user, space),
        },
        status=status,
    )


def proposal_detail(request, space_slug, proposal_id, *, forms=None, status=HTTPStatus.OK):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    proposal = _proposal_or_404(request, space, proposal_id)
    mine = selectors.response_of(request.user, proposal)
    forms = forms or {}
    is_open = proposal.is_open()
    responses = [
        {
            "name": get_user_display_name(r.user) if r.user else _("a former member"),
            "position": r.position,
            "label": r.get_position_display(),
            "reason": r.reason,
            "older_text": r.version < proposal.version,
        }
        for r in selectors.responses(proposal)
    ]
    context = {
        "space": space,
        "local": spaces.space_local_page(space),
        "proposal": proposal,
        "proposer": get_user_display_name(proposal.proposer)
        if proposal.proposer
        else _("a former member"),
        "is_open": is_open,
        "outcome": selectors.outcome(proposal),
        "outcome_label": OUTCOMES[selectors.outcome(proposal)],
        "counts": selectors.counts(proposal),
        "responses": responses,
        "mine": mine,
        "mine_older": mine is not None and mine.version < proposal.version,
        # A refusal is shown at the top when its form is no longer on the page (closed).
        "errors": [
            message
            for form in forms.values()
            for field, messages_ in form.errors.items()
            if not is_open or field == "__all__"
            for message in messages_
        ],
    }
    if is_open:
        context["respond_form"] = forms.get("respond") or RespondForm(
            initial={"position": mine.position, "reason": mine.reason} if mine else None
        )
        if proposal.proposer_id == request.user.pk:
            context["revise_form"] = forms.get("revise") or ReviseForm(
                initial={"title": proposal.title, "text": proposal.text}
            )
    return TemplateResponse(request, "proposals/detail.html", context, status=status)


@require_POST
def proposal_respond(request, space_slug, proposal_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    proposal = _proposal_or_404(request, space, proposal_id)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.respond(user=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your response is counted."))
            return _to(proposal)
    return proposal_detail(
        request, space_slug, proposal_id, forms={"respond": form}, status=HTTPStatus.BAD_REQUEST
    )


@require_POST
def proposal_revise(request, space_slug, proposal_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    proposal = _proposal_or_404(request, space, proposal_id)
    form = ReviseForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_revise(user=request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The proposal is revised."))
            return _to(proposal)
    return proposal_detail(
        request, space_slug, proposal_id, forms={"revise": form}, status=HTTPStatus.BAD_REQUEST
    )
