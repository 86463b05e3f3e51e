"""Member-facing account pages and the error pages."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from community_pages.models import Community, JoinRequest
from community_pages.selectors import communities_of
from home.forms import SignUpForm


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url("account")


def signup(request):
    if request.user.is_authenticated:
        return redirect("account")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Your account is ready."))
        return redirect(_safe_next(request))
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return TemplateResponse(
        request,
        "registration/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@login_required
def account(request):
    mine = communities_of(request.user)
    return TemplateResponse(
        request,
        "home/account.html",
        {
            "my_communities": mine,
            "other_communities": Community.objects.exclude(pk__in=mine),
            "join_requests": JoinRequest.objects.filter(user=request.user).select_related(
                "community"
            ),
        },
    )


def permission_denied(request, exception=None):
    return TemplateResponse(request, "403.html", status=HTTPStatus.FORBIDDEN)


def page_not_found(request, exception=None):
    return TemplateResponse(request, "404.html", status=HTTPStatus.NOT_FOUND)
