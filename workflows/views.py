"""Member-facing election pages, inside the community: /<community>/elections/...

Who may open them is the community page's own rule (`visibility.user_can_view_page`): a visitor
is sent to sign in and a signed-in non-member gets the 404 of a missing page
(`privacy.inside_space_denied`: elections lie inside the space, docs/privacy.md), before any
election is looked up, so the answer is the same whether an election id exists or not.
The rules of the election itself are the services'; these views only turn their refusals into
form errors (400) and their successes into redirects.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community_pages.privacy import inside_space_denied
from community_pages.selectors import community_by_slug
from core.access import is_member, members_of
from core.visibility import user_can_view_page
from workflows.forms import BallotForm, NominateForm, RespondForm
from workflows.models import Nomination
from workflows.selectors import elections as selectors
from workflows.services.elections import ballot_cast, nomination_create, nomination_respond


def _community_page(community):
    pages = community.pages().live().select_related("locale")
    return pages.filter(locale__language_code=settings.LANGUAGE_CODE).first() or pages.first()


def _guard(request, slug):
    """(community, page, None) when the user may read the community, else (.., response)."""
    community = community_by_slug(slug)
    if community is None:
        raise Http404
    page = _community_page(community)
    if page is None:
        raise Http404
    if not user_can_view_page(request.user, page):
        return community, None, inside_space_denied(request)
    return community, page.localized, None


def _election_or_404(request, community, election_id):
    election = selectors.election_for_member(
        user=request.user, community=community, election_id=election_id
    )
    if election is None:
        raise Http404
    return election


def _nominable(community, election):
    """Members not yet nominated, for the nomination form's list (names only, never e-mail)."""
    return members_of(community).exclude(
        # Not `values("nominee")` alone: a former member's nomination holds NULL, and
        # `NOT IN (…, NULL)` would exclude everyone.
        pk__in=election.nominations.filter(nominee__isnull=False).values("nominee")
    )


def _to_election(slug, election):
    return redirect(reverse("election", args=[slug, election.pk]))


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def election_list(request, slug):
    community, page, denied = _guard(request, slug)
    if denied:
        return denied
    elections = selectors.elections_visible_to(request.user).filter(community=community)
    return TemplateResponse(
        request,
        "workflows/election_list.html",
        {"community": community, "space": page, "elections": elections},
    )


def election_detail(request, slug, election_id, *, forms=None, status=HTTPStatus.OK):
    community, page, denied = _guard(request, slug)
    if denied:
        return denied
    election = _election_or_404(request, community, election_id)
    phase = election.phase()
    user = request.user
    member = is_member(user, community)
    forms = forms or {}
    context = {
        "community": community,
        "space": page,
        "election": election,
        "phase": phase,
        "candidates": selectors.candidates(election),
        "results": selectors.election_results(election),
        "has_voted": selectors.user_has_voted(user, election),
        "may_vote": selectors.user_may_vote(user, election),
        "my_nomination": selectors.nominations_of(election=election, user=user).first(),
        "is_member": member,
        # A refusal is shown at the top, whichever form it answers.
        "errors": [error for form in forms.values() for error in form.non_field_errors()],
    }
    if phase == "nominating" and member:
        context["nominate_form"] = forms.get("nominate") or NominateForm(
            members=_nominable(community, election)
        )
        context["respond_form"] = forms.get("respond") or RespondForm(
            initial={"statement": getattr(context["my_nomination"], "statement", "")}
        )
    if context["may_vote"] or "ballot" in forms:
        context["ballot_form"] = forms.get("ballot") or BallotForm(candidates=context["candidates"])
    return TemplateResponse(request, "workflows/election_detail.html", context, status=status)


@require_POST
def nominate(request, slug, election_id):
    community, _page, denied = _guard(request, slug)
    if denied:
        return denied
    election = _election_or_404(request, community, election_id)
    form = NominateForm(request.POST, members=_nominable(community, election))
    # Any user id is read, member or not: the service refuses a non-member with a clear error.
    raw = request.POST.get("nominee", "")
    nominee = get_user_model().objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    try:
        if nominee is None:
            raise ValidationError(_("Choose the member you nominate."))
        nomination = nomination_create(election=election, nominee=nominee, by=request.user)
    except ValidationError as error:
        form.add_error(None, _message(error))
    else:
        if nomination.status == Nomination.Status.ACCEPTED:
            messages.success(request, _("You are a candidate. Add a statement for voters."))
        else:
            messages.success(request, _("Nomination sent. The nominee will accept or decline."))
        return _to_election(slug, election)
    return election_detail(
        request, slug, election_id, forms={"nominate": form}, status=HTTPStatus.BAD_REQUEST
    )


@require_POST
def respond(request, slug, election_id, nomination_id):
    community, _page, denied = _guard(request, slug)
    if denied:
        return denied
    election = _election_or_404(request, community, election_id)
    nomination = election.nominations.filter(pk=nomination_id).first()
    if nomination is None:
        raise Http404
    form = RespondForm(request.POST)
    action = request.POST.get("action")
    if action not in ("accept", "decline"):
        form.add_error(None, _("Choose accept or decline."))
    if form.is_valid():
        try:
            nomination_respond(
                nomination=nomination,
                user=request.user,
                accept=action == "accept",
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(
                request,
                _("You accepted: you are a candidate.")
                if action == "accept"
                else _("You declined the nomination."),
            )
            return _to_election(slug, election)
    return election_detail(
        request, slug, election_id, forms={"respond": form}, status=HTTPStatus.BAD_REQUEST
    )


@require_POST
def vote(request, slug, election_id):
    community, _page, denied = _guard(request, slug)
    if denied:
        return denied
    election = _election_or_404(request, community, election_id)
    form = BallotForm(request.POST, candidates=selectors.candidates(election))
    if form.is_valid():
        try:
            ballot_cast(
                election=election,
                voter=request.user,
                candidate_ids=form.cleaned_data["candidates"],
            )
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, _("Thank you: your secret ballot is counted."))
            return _to_election(slug, election)
    return election_detail(
        request, slug, election_id, forms={"ballot": form}, status=HTTPStatus.BAD_REQUEST
    )
