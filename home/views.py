"""Member-facing account pages (sign-up, display name, export, deletion, two-step sign-in, API
tokens). The error pages are `core/views.py`."""

from base64 import b32encode
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import force_bytes
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.utils import get_user_display_name

from community_pages.models import Community, JoinRequest
from core import security
from core.access import communities_of
from core.visibility import is_staff
from home.exports import data_export_of
from home.forms import (
    AccountDeleteForm,
    DisplayNameForm,
    SignUpForm,
    StaffMemberDeleteForm,
    TwoFactorTokenForm,
)
from home.qr import qr_svg
from home.selectors import api_tokens_of
from home.services import (
    api_token_create,
    api_token_revoke,
    display_name_set,
    member_delete,
    signup_finish,
    signup_start,
    signup_tokens,
)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url("account")


def signup(request):
    """Sign-up says nothing about whether a name is taken.

    Django's approach to password resets, applied to names: a valid form always gets the same
    "check your e-mail" page. The e-mail either holds the link that opens the new account or,
    when the name is taken, says so and offers sign-in and password reset; only the owner of
    the address learns it, one message at a time. The form's other errors (a weak password, a
    malformed address) say nothing about anyone else and are shown at once.
    """
    if request.user.is_authenticated:
        return redirect("account")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = signup_start(
            username=data["username"], email=data["email"], password=data["password1"]
        )
        _send_signup_email(request, data["email"], data["username"], user)
        response = TemplateResponse(request, "registration/signup_sent.html")
        add_never_cache_headers(response)
        return response
    status = HTTPStatus.BAD_REQUEST if request.method == "POST" else HTTPStatus.OK
    return TemplateResponse(
        request,
        "registration/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


def _send_signup_email(request, email: str, username: str, user) -> None:
    next_url = _safe_next(request)
    context = {"username": username, "next": next_url}
    if user is not None:
        link = reverse(
            "account_signup_confirm",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), signup_tokens.make_token(user)],
        )
        context["link"] = request.build_absolute_uri(
            f"{link}?{urlencode({'next': next_url})}" if next_url else link
        )
        template = "registration/signup_email.txt"
    else:
        context["signin"] = request.build_absolute_uri(reverse("account_login"))
        context["reset"] = request.build_absolute_uri(reverse("password_reset"))
        context["signup"] = request.build_absolute_uri(reverse("account_signup"))
        template = "registration/signup_taken_email.txt"
    send_mail(
        _("Your Neighborhood account"),
        render_to_string(template, context, request=request),
        None,
        [email],
    )


def signup_confirm(request, uidb64: str, token: str):
    """The e-mail's link: opens the waiting account and signs its owner in."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        pk = None
    user = get_user_model().objects.filter(pk=pk).first() if pk is not None else None
    if not signup_finish(user, token):
        return TemplateResponse(
            request, "registration/signup_invalid.html", status=HTTPStatus.BAD_REQUEST
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome. Your account is ready."))
    return redirect(_safe_next(request))


@login_required
def account(request, display_name_form=None, status=HTTPStatus.OK):
    mine = communities_of(request.user)
    display_name_form = display_name_form or DisplayNameForm(
        initial={"display_name": get_user_display_name(request.user)}
    )
    return TemplateResponse(
        request,
        "home/account.html",
        {
            "display_name_form": display_name_form,
            "two_factor_enabled": security.confirmed_device(request.user) is not None,
            "export": data_export_of(request.user),
            "my_communities": mine,
            "other_communities": Community.objects.exclude(pk__in=mine),
            "join_requests": JoinRequest.objects.filter(user=request.user).select_related(
                "community"
            ),
        },
        status=status,
    )


@login_required
@require_POST
def account_display_name(request):
    form = DisplayNameForm(request.POST)
    if form.is_valid():
        try:
            display_name_set(user=request.user, display_name=form.cleaned_data["display_name"])
        except ValidationError as error:
            form.add_error("display_name", error)
    if not form.is_valid():
        return account(request, display_name_form=form, status=HTTPStatus.BAD_REQUEST)
    messages.success(request, _("Your display name is saved."))
    return redirect("account")


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = get_user_model().objects.get(pk=request.user.pk)  # not the lazy request.user
            logout(request)
            member_delete(user=user, keep_published=form.keep_published, actor=None)
            messages.success(request, _("Your account and your personal data are deleted."))
            return redirect("/")
        status = HTTPStatus.BAD_REQUEST
    else:
        status = HTTPStatus.OK
    return TemplateResponse(request, "home/account_delete.html", {"form": form}, status=status)


@login_required
def two_factor(request):
    """Set up (or turn off) a TOTP second step: a QR code drawn here (home/qr.py) and the key."""
    confirmed = security.confirmed_device(request.user)
    required = security.two_factor_required(request.user)
    if confirmed is not None:
        if not request.user.is_verified():
            # A password alone is not the device: whoever has only the password must not be able
            # to turn the second step off. Verify first, then come back here.
            verify = reverse("account_two_factor_verify")
            return redirect(f"{verify}?{urlencode({'next': request.path})}")
        form = TwoFactorTokenForm(request.POST or None)
        status = HTTPStatus.OK
        if request.method == "POST" and request.POST.get("action") == "disable" and not required:
            # Turning it off takes a fresh code too, as turning it on does.
            if form.is_valid() and confirmed.verify_token(form.cleaned_data["token"]):
                TOTPDevice.objects.filter(user=request.user).delete()
                messages.success(request, _("Two-step sign-in is turned off."))
                return redirect("account")
            if form.is_valid():
                form.add_error("token", _("That code does not match. Try the newest one."))
            status = HTTPStatus.BAD_REQUEST
        return TemplateResponse(
            request,
            "home/account_two_factor.html",
            {"confirmed": True, "required": required, "form": form},
            status=status,
        )
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TwoFactorTokenForm(request.POST or None)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session.pop(security.PENDING_SESSION_KEY, None)
            messages.success(request, _("Two-step sign-in is on."))
            return redirect(_safe_next(request))
        if form.is_valid():
            form.add_error("token", _("That code does not match. Try the newest one."))
        status = HTTPStatus.BAD_REQUEST
    return TemplateResponse(
        request,
        "home/account_two_factor.html",
        {
            "confirmed": False,
            "required": required,
            "form": form,
            "secret": b32encode(device.bin_key).decode(),
            "config_url": device.config_url,
            "qr_code": qr_svg(device.config_url, label=_("QR code for your authenticator app")),
            "next": request.GET.get("next", ""),
        },
        status=status,
    )


@login_required
def two_factor_verify(request):
    """The second step at sign-in, for people who set up two-step sign-in."""
    device = security.confirmed_device(request.user)
    if device is None:
        request.session.pop(security.PENDING_SESSION_KEY, None)
        return redirect(_safe_next(request))
    form = TwoFactorTokenForm(request.POST or None)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            request.session.pop(security.PENDING_SESSION_KEY, None)
            return redirect(_safe_next(request))
        if form.is_valid():
            form.add_error("token", _("That code does not match. Try the newest one."))
        status = HTTPStatus.BAD_REQUEST
    return TemplateResponse(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


def your_data(request):
    """The plain-language data-protection page that the front door links (public)."""
    return TemplateResponse(request, "home/account_your_data.html")


def staff_member_delete(request, user_id: int):
    """Staff delete an account for a member who asks (the Wagtail admin's user listing)."""
    if not is_staff(request.user):
        raise PermissionDenied
    member = get_object_or_404(get_user_model(), pk=user_id)
    if member.pk == request.user.pk:
        raise PermissionDenied
    form = StaffMemberDeleteForm(request.POST or None, member=member)
    status = HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            member_delete(user=member, keep_published=form.keep_published, actor=request.user)
            messages.success(request, _("The account and its personal data are deleted."))
            return redirect("wagtailusers_users:index")
        status = HTTPStatus.BAD_REQUEST
    return TemplateResponse(
        request,
        "home/account_staff_delete.html",
        {"form": form, "member": member, "display_name": get_user_display_name(member)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_api_tokens(request):
    """/account/api-tokens/: make, name, list and revoke your own API tokens.

    A new token's value is shown once, on the answer to the POST that made it.
    """
    plaintext = None
    error = None
    status = HTTPStatus.OK
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "create":
                _token, plaintext = api_token_create(
                    user=request.user, name=request.POST.get("name", "")
                )
            elif action == "revoke":
                api_token_revoke(user=request.user, token_id=request.POST.get("token_id"))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = HTTPStatus.BAD_REQUEST
    response = TemplateResponse(
        request,
        "api/account_tokens.html",
        {"tokens": list(api_tokens_of(request.user)), "plaintext": plaintext, "error": error},
        status=status,
    )
    add_never_cache_headers(response)  # the page may show a secret
    return response
