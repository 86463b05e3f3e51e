"""Admin screens for editors and staff: answer join requests, create invitations.

Editors see only the communities they were elected for; staff see all of them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.utils import get_user_display_name

from community_pages.forms import InvitationForm
from community_pages.models import Invitation
from community_pages.selectors import pending_join_requests
from community_pages.services import (
    MembershipError,
    invitation_create,
    join_request_decide,
)
from core.access import managed_communities


def _require_manager(request):
    communities = managed_communities(request.user)
    if not communities.exists():
        raise PermissionDenied
    return communities


def index(request):
    communities = _require_manager(request)
    form = InvitationForm(communities=communities)
    new_link = None
    if request.method == "POST":
        form = InvitationForm(request.POST, communities=communities)
        if form.is_valid():
            try:
                invitation, token = invitation_create(
                    community=form.cleaned_data["community"],
                    created_by=request.user,
                    note=form.cleaned_data["note"],
                    days=form.cleaned_data["days"],
                )
            except MembershipError as error:
                messages.error(request, str(error))
            else:
                new_link = request.build_absolute_uri(reverse("invitation", args=[token]))
                messages.success(
                    request,
                    _("Invitation to %(c)s created. Copy the link now: it is shown only once.")
                    % {"c": invitation.community},
                )
                form = InvitationForm(communities=communities)
    return TemplateResponse(
        request,
        "community_pages/admin/membership.html",
        {
            "join_requests": pending_join_requests(request.user),
            "invitations": Invitation.objects.filter(community__in=communities).select_related(
                "community", "used_by", "created_by"
            )[:50],
            "form": form,
            "new_link": new_link,
        },
    )


@require_POST
def decide(request, join_request_id: int):
    _require_manager(request)
    action = request.POST.get("action")
    if action not in ("admit", "decline"):
        messages.error(request, _("Choose admit or decline."))
        return redirect("membership:index")
    try:
        join_request = join_request_decide(
            join_request_id=join_request_id, decided_by=request.user, admit=action == "admit"
        )
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        template = (
            _("%(u)s was admitted to %(c)s.")
            if action == "admit"
            else _("The request of %(u)s to join %(c)s was declined.")
        )
        messages.success(
            request,
            template % {"u": get_user_display_name(join_request.user), "c": join_request.community},
        )
    return redirect("membership:index")


urlpatterns = [
    path("", index, name="index"),
    path("requests/<int:join_request_id>/", decide, name="decide"),
]
