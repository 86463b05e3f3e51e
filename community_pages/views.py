"""Member-facing membership pages: ask to join, accept an invitation, leave."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community_pages.forms import JoinRequestForm
from community_pages.models import JoinRequest
from community_pages.selectors import community_by_slug
from community_pages.services import (
    MembershipError,
    invitation_accept,
    invitation_for_token,
    membership_leave,
    membership_request,
)
from core.access import is_member


def _community_or_404(slug):
    community = community_by_slug(slug, listed=True)
    if community is None:
        raise Http404
    return community


@login_required
def join(request, slug):
    community = _community_or_404(slug)
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            try:
                membership_request(
                    user=request.user, community=community, message=form.cleaned_data["message"]
                )
            except MembershipError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your request to join %(c)s was sent. Its editors will answer soon.")
                    % {"c": community.name},
                )
                return redirect("account")
        status = HTTPStatus.BAD_REQUEST
    already_member = is_member(request.user, community)
    pending = JoinRequest.objects.filter(
        user=request.user, community=community, status=JoinRequest.Status.PENDING
    ).exists()
    return TemplateResponse(
        request,
        "community_pages/join.html",
        {
            "community": community,
            "form": form,
            "pending": pending,
            "already_member": already_member,
        },
        status=status,
    )


def invitation(request, token):
    try:
        found = invitation_for_token(token)
    except MembershipError as error:
        return TemplateResponse(
            request,
            "community_pages/invitation.html",
            {"error": str(error)},
            status=HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.GONE,
        )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{request.path}")
        try:
            community = invitation_accept(token=token, user=request.user)
        except MembershipError as error:
            return TemplateResponse(
                request,
                "community_pages/invitation.html",
                {"error": str(error), "community": found.community},
                status=HTTPStatus.BAD_REQUEST,
            )
        messages.success(request, _("Welcome to %(c)s.") % {"c": community.name})
        return redirect("account")
    return TemplateResponse(
        request, "community_pages/invitation.html", {"community": found.community}
    )


@login_required
@require_POST
def leave(request, slug):
    community = _community_or_404(slug)
    try:
        membership_leave(user=request.user, community=community)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have left %(c)s.") % {"c": community.name})
    return redirect("account")
