"""Admin screens for staff to create, open, close and certify elections.

Staff only (`access.is_staff`). The admin's allow-list for non-staff does not list them, so
editors and members get the site's 404 before they run (`AdminPagePrivacyMiddleware`); the
`staff_only` refusal below stays as a second lock.
The screens call the services, which validate and log every change in Wagtail's audit log.
"""

from __future__ import annotations

from functools import wraps
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.log_actions import registry as log_registry

from community_pages.models import Community
from core.access import communities_without_editors, is_staff
from workflows.forms import ElectionForm
from workflows.models import Election
from workflows.selectors import elections as selectors
from workflows.services.elections import (
    election_certify,
    election_close,
    election_create,
    election_open,
)


def staff_only(view):
    """A plain 403 for anyone else: Wagtail's admin would turn PermissionDenied into a redirect
    to the dashboard, which hides the refusal (editors and members do use the admin)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_staff(request.user):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


@staff_only
def index(request):
    return TemplateResponse(
        request,
        "workflows/admin/elections.html",
        {
            "elections": Election.objects.select_related("community"),
            "without_editors": communities_without_editors(),
        },
    )


@staff_only
def create(request):
    form = ElectionForm(request.POST or None, communities=Community.objects.all())
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                election = election_create(by=request.user, **data)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Election created. Open it when it is ready."))
                return redirect("elections:detail", election.pk)
        status = HTTPStatus.BAD_REQUEST
    return TemplateResponse(
        request, "workflows/admin/election_form.html", {"form": form}, status=status
    )


@staff_only
def detail(request, election_id: int):
    election = get_object_or_404(Election.objects.select_related("community"), pk=election_id)
    return TemplateResponse(
        request,
        "workflows/admin/election_detail.html",
        {
            "election": election,
            "phase": election.phase(),
            "nominations": election.nominations.select_related("nominee").order_by("pk"),
            "results": selectors.election_results(election),
            "terms": election.terms.select_related("user"),
            "receipts": election.receipts.count(),
            "history": log_registry.get_logs_for_instance(election).select_related("user"),
        },
    )


ACTIONS = {
    "open": (
        election_open,
        gettext_lazy("The election is open: members see it in their community."),
    ),
    "close": (election_close, gettext_lazy("Voting is closed and the results are published.")),
    "certify": (
        election_certify,
        gettext_lazy("Certified: the winners are the community's editors for their term."),
    ),
}


@staff_only
@require_POST
def act(request, election_id: int, action: str):
    if action not in ACTIONS:
        raise Http404
    election = get_object_or_404(Election, pk=election_id)
    service, done = ACTIONS[action]
    try:
        service(election=election, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done))
    return redirect("elections:detail", election.pk)


urlpatterns = [
    path("", index, name="index"),
    path("new/", create, name="create"),
    path("<int:election_id>/", detail, name="detail"),
    path("<int:election_id>/<slug:action>/", act, name="act"),
]
