"""Two-factor sign-in (TOTP, django-otp) for staff and editors, optional unless required.

Both sign-in pages (the member one and Wagtail's admin one) go through Django's `login()`, so
the second step is not a login form of its own: at sign-in we note in the session whether the
person still owes a code (they have a confirmed TOTP device) or must first enrol one
(`NEIGHBORHOOD_REQUIRE_2FA` and they are staff or an editor). Until they do,
`core.middleware.TwoFactorMiddleware` lets them reach only the two-factor pages and sign-out.
The note costs no query per request. See https://django-otp-official.readthedocs.io/ and
docs/data-protection.md.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.access import editor_communities, is_staff

PENDING_SESSION_KEY = "neighborhood_2fa"  # "verify" or "enrol"
VERIFY = "verify"
ENROL = "enrol"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_required(user) -> bool:
    """Required for staff and editors when `NEIGHBORHOOD_REQUIRE_2FA` is on."""
    return settings.NEIGHBORHOOD_REQUIRE_2FA and (
        is_staff(user) or editor_communities(user).exists()
    )


@receiver(user_logged_in, dispatch_uid="neighborhood_two_factor_pending")
def note_second_step(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(PENDING_SESSION_KEY, None)
    if confirmed_device(user) is not None:
        request.session[PENDING_SESSION_KEY] = VERIFY
    elif two_factor_required(user):
        request.session[PENDING_SESSION_KEY] = ENROL


def client_address(request) -> str | None:
    """The address sign-in throttling counts (django-axes `AXES_CLIENT_IP_CALLABLE`).

    With no proxy in front (`TRUSTED_PROXY_COUNT = 0`, the default) it is `REMOTE_ADDR`, and an
    `X-Forwarded-For` header, which any client can send, is ignored. Behind N trusted proxies
    each appends the address it received the request from, so the client's address is the N-th
    entry from the right; anything to its left was written by the client and is not trusted.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
