"""Gatherings on the site: /gatherings/<space>/ (upcoming), /gatherings/<space>/new/,
/gatherings/<space>/<id>/ with its RSVP and bring-list forms.

Who may open them is the space's rule (`workflows.spaces.in_space`), asked before any gathering
is looked up: a visitor is sent to sign in for every address under /gatherings/ (a space that
exists or not, a gathering that exists or not), and a signed-in person who is not in the space
gets the 404 of a missing page, exactly as for a gathering or space that does not exist.
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

from community_pages.models import SupportGroupPage
from workflows import spaces
from workflows.gatherings import selectors, services
from workflows.gatherings.forms import GatheringForm
from workflows.gatherings.models import Rsvp
from workflows.proposals.selectors import proposal_for

PAGE_SIZE = 50


def _gathering_or_404(request, space, gathering_id):
    gathering = selectors.gathering_for(request.user, gathering_id, space=space)
    if gathering is None:
        raise Http404
    return gathering


def _to(gathering):
    return redirect(reverse("gathering", args=[gathering.space.slug, gathering.pk]))


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def gathering_list(request, space_slug):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    page = Paginator(selectors.upcoming(space), PAGE_SIZE).get_page(request.GET.get("page"))
    gatherings = list(page.object_list)
    answers = selectors.answers_of(request.user, gatherings)
    for gathering in gatherings:
        gathering.my_answer = answers.get(gathering.pk)
    return TemplateResponse(
        request,
        "gatherings/list.html",
        {
            "space": space,
            "local": spaces.space_local_page(space),
            "gatherings": gatherings,
            "page": page,
        },
    )


def _zone_of(space) -> str | None:
    group = SupportGroupPage.objects.live().descendant_of(space).order_by("path").first()
    return group.time_zone if group else None


def gathering_new(request, space_slug):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    proposal = None
    raw = request.GET.get("proposal") or request.POST.get("proposal") or ""
    if raw:
        proposal = proposal_for(request.user, raw, space=space) if raw.isdigit() else None
        if proposal is None:
            raise Http404
    status = HTTPStatus.OK
    errors: list[str] = []
    if request.method == "POST":
        form = GatheringForm(request.POST)
        if form.is_valid():
            try:
                made = services.gathering_create(
                    user=request.user,
                    space=space,
                    data=form.data_for_service(),
                    proposal=proposal,
                )
            except ValidationError as error:
                for field, problems in getattr(error, "message_dict", {}).items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
                errors = [] if hasattr(error, "error_dict") else _errors(error)
            except PermissionDenied as error:
                errors = [str(error)]
            else:
                messages.success(request, _("The gathering is on the calendar."))
                return _to(made[0])
        status = HTTPStatus.BAD_REQUEST
    else:
        initial = {"time_zone": _zone_of(space) or GatheringForm.base_fields["time_zone"].initial}
        if proposal is not None:
            initial.update(title=proposal.title, description=proposal.text)
        form = GatheringForm(initial=initial)
    return TemplateResponse(
        request,
        "gatherings/form.html",
        {
            "space": space,
            "local": spaces.space_local_page(space),
            "form": form,
            "proposal": proposal,
            "errors": errors,
        },
        status=status,
    )


def gathering_detail(request, space_slug, gathering_id, *, errors=None, status=HTTPStatus.OK):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    gathering = _gathering_or_404(request, space, gathering_id)
    rsvp = selectors.rsvp_of(request.user, gathering)
    answer = rsvp.answer if rsvp else None
    people = {
        answer_: [get_user_display_name(person) for person in persons]
        for answer_, persons in selectors.people(gathering).items()
    }
    items = [
        {
            "pk": item.pk,
            "what": item.what,
            "mine": item.claimed_by_id == request.user.pk,
            "claimed_by": get_user_display_name(item.claimed_by) if item.claimed_by else "",
        }
        for item in selectors.bring_items(gathering)
    ]
    return TemplateResponse(
        request,
        "gatherings/detail.html",
        {
            "space": space,
            "local": spaces.space_local_page(space),
            "gathering": gathering,
            "answer": answer,
            "address": selectors.address_for(request.user, gathering, answer=answer),
            "people": people,
            "items": items,
            "occurrences": selectors.occurrences(gathering),
            "organiser": get_user_display_name(gathering.organiser)
            if gathering.organiser
            else _("a former member"),
            "errors": errors or [],
            "may_cancel": selectors.may_cancel(request.user, gathering),
            "Answer": Rsvp.Answer,
        },
        status=status,
    )


@require_POST
def gathering_rsvp(request, space_slug, gathering_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    gathering = _gathering_or_404(request, space, gathering_id)
    try:
        rsvp = services.rsvp_set(
            user=request.user, gathering=gathering, answer=request.POST.get("answer", "")
        )
    except (ValidationError, PermissionDenied) as error:
        problems = _errors(error) if isinstance(error, ValidationError) else [str(error)]
        return gathering_detail(
            request, space_slug, gathering_id, errors=problems, status=HTTPStatus.BAD_REQUEST
        )
    if rsvp.answer == Rsvp.Answer.WAITING:
        messages.info(request, _("The gathering is full: you are on the waiting list."))
    else:
        messages.success(request, _("Thank you, your answer is saved."))
    return _to(gathering)


@require_POST
def gathering_cancel(request, space_slug, gathering_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    gathering = _gathering_or_404(request, space, gathering_id)
    try:
        services.gathering_cancel(user=request.user, gathering=gathering)
    except PermissionDenied as error:
        return gathering_detail(
            request, space_slug, gathering_id, errors=[str(error)], status=HTTPStatus.FORBIDDEN
        )
    messages.success(request, _("The gathering is cancelled; those who answered are told."))
    return _to(gathering)


@require_POST
def gathering_bring(request, space_slug, gathering_id):
    space, denied = spaces.space_or_denied(request, space_slug)
    if denied:
        return denied
    gathering = _gathering_or_404(request, space, gathering_id)
    action = request.POST.get("action")
    item = request.POST.get("item", "")
    try:
        if action == "add":
            services.bring_item_add(
                user=request.user, gathering=gathering, what=request.POST.get("what", "")
            )
        elif action in ("claim", "unclaim") and item.isdigit():
            services.bring_item_claim(
                user=request.user, gathering=gathering, item_id=int(item), claim=action == "claim"
            )
        else:
            raise ValidationError(_("Choose a thing to bring."))
    except (ValidationError, PermissionDenied) as error:
        problems = _errors(error) if isinstance(error, ValidationError) else [str(error)]
        return gathering_detail(
            request, space_slug, gathering_id, errors=problems, status=HTTPStatus.BAD_REQUEST
        )
    return _to(gathering)
