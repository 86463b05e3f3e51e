"""Every middleware of the Neighborhood, in the order settings.MIDDLEWARE runs them:

- `ContentSecurityPolicyMiddleware`: the policy of `core/csp.py` on every response;
- `BearerTokenMiddleware`: `Authorization: Bearer` on the reading URLs that are not DRF views;
- `PrivateByDefaultMiddleware`: responses that may depend on who asks are never cached as public
  (docs/privacy.md, invariant `never-cached-public`);
- `AdminPagePrivacyMiddleware`: admin screens that name a page pass the visibility rule first;
- `TwoFactorMiddleware`: holds a signed-in person at the second sign-in step.
"""

import re
import secrets
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from wagtail.log_actions import LogContext
from wagtail.models import Page

from core import csp
from core.api.authentication import WWW_AUTHENTICATE, BadBearerToken, bearer_user
from core.routes import admin_page_id_kwargs, bearer_path_prefixes
from core.security import ENROL, PENDING_SESSION_KEY, VERIFY, confirmed_device, two_factor_required
from core.visibility import is_staff, visible_pages


class PrivateByDefaultMiddleware:
    """Every response varies on the session cookie and is `Cache-Control: private`.

    A view that serves something identical for everyone may say `public` itself; nothing in the
    Neighborhood does yet. Static files are served by WhiteNoise before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        if "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response


class AdminPagePrivacyMiddleware:
    """The Wagtail admin shows a page's title to anyone who opens its explorer, chooser or bulk
    action screen by id. Members and editors use the admin to write, so every admin view that
    names a page must first pass the visibility rule: a member of one community must not read
    another's titles by guessing ids (docs/privacy.md, invariant `members-see-own-spaces`, and
    "Admin screens"). Which URL parameters name a page is read from the admin's URL
    configuration (`core.routes.admin_page_id_kwargs`).
    """

    STAFF_ONLY_PREFIXES = ("/admin/reports/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/admin/") or not request.user.is_authenticated:
            return None
        if is_staff(request.user):
            return None
        if request.path.startswith(self.STAFF_ONLY_PREFIXES):
            # Wagtail's reports filter by person across every page ("Requested by", "Locked
            # by", the site history's "User"): they would name who writes in other communities.
            raise PermissionDenied
        ids = [view_kwargs[key] for key in admin_page_id_kwargs() if key in view_kwargs]
        if request.path.startswith("/admin/bulk/wagtailcore/page/"):
            ids += request.GET.getlist("id") + request.POST.getlist("id")
        ids = {int(pk) for pk in ids if str(pk).isdigit()}
        if not ids:
            return None
        named = Page.objects.filter(pk__in=ids)
        if visible_pages(request.user, named, live=False).count() != named.count():
            raise PermissionDenied
        return None


class ContentSecurityPolicyMiddleware:
    """Every response carries a strict Content-Security-Policy: nothing loads from another origin.

    Django 5.2 has no CSP of its own (it arrives in 6.0), and the policy is one header, so this
    small middleware sets it. A response that already chose a stricter policy keeps it (files are
    served with `default-src 'none'`). Scripts and styles are `'self'` on every member page.

    The Wagtail admin needs two narrow exceptions, found by the browser test
    (docs/data-protection.md). Its scripts set inline `style` attributes, so admin styles may be
    inline. And Wagtail 8.0.1 still prints a few inline initialisers, which must run:

    - date and time pickers, `<script>initDateChooser("id_…", {…});</script>`
      (wagtailadmin/widgets/date_input.html; also `initTimeChooser`, `initDateTimeChooser`).
      The id passes through `escapejs`: in an InlinePanel it reads `id_cancellations\\u002D0…`;
    - legacy choosers, `new DocumentChooser("id_…", {…});` (`WidgetWithScript`);
    - each InlinePanel's own set-up, `(function() { var panel = new InlinePanel(JSON.parse("…"));
      })();` (wagtailadmin/panels/inline_panel.html), without which "Add" does nothing.

    An InlinePanel also keeps a `<template>` of an empty child, its initialisers included. "Add"
    copies it with `__prefix__` replaced by the next index and inserts it with jQuery, which runs
    each copied script through a new `<script>` element carrying the original's `nonce`. The copy's
    text (and so any hash) is only known in the browser, so each admin response gets a fresh
    random nonce instead, and the middleware writes it onto exactly those bare `<script>` elements
    whose whole text matches one of the shapes above: quoted ids of word characters and escaped
    hyphens, a flat JSON object of options, or `escapejs` output (no quote, backslash, `<`, `>`,
    `&`, `;` or `=` unescaped). Any other inline script, such as injected text or a `<script>` with
    attributes, gets no nonce and stays blocked; text shown in the admin is escaped by Django, so
    it never forms a `<script>` element to begin with.
    """

    POLICY = csp.POLICY
    ADMIN_POLICY = csp.ADMIN_POLICY
    INLINE_SCRIPT = re.compile(rb"<script>([^<]*)</script>")
    _ID = r'"id_(?:\w|-|\\u002D)+"'
    _OPTIONS = r"\{[^<>{}]*\}"
    _ESCAPEJS = r'"(?:[^"\\<>&;=]|\\u[0-9A-F]{4})*"'
    ADMIN_INITIALISER = re.compile(
        rf"init(?:Date|DateTime|Time)Chooser\({_ID}, {_OPTIONS}\);"
        rf"|new (?:Document|Page|Image|Snippet|Task)Chooser\({_ID}, {_OPTIONS}\);"
        rf"|\s*\(function\(\) \{{\s*var panel = new InlinePanel\(JSON\.parse\({_ESCAPEJS}\)\);"
        r"\s*\}\)\(\);\s*",
        re.ASCII,
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        if request.path.startswith("/admin/"):
            response["Content-Security-Policy"] = self.ADMIN_POLICY + self._admin_scripts(response)
        else:
            response["Content-Security-Policy"] = self.POLICY
        return response

    def _admin_scripts(self, response) -> str:
        """Give Wagtail's own initialisers a fresh nonce; returns the `script-src` it needs."""
        if response.streaming or "html" not in response.get("Content-Type", ""):
            return ""
        nonce = secrets.token_urlsafe(18)
        tagged = 0

        def tag(match):
            nonlocal tagged
            try:
                body = match.group(1).decode()
            except UnicodeDecodeError:
                return match.group(0)
            if not self.ADMIN_INITIALISER.fullmatch(body):
                return match.group(0)
            tagged += 1
            return b'<script nonce="' + nonce.encode() + b'">' + match.group(1) + b"</script>"

        content = self.INLINE_SCRIPT.sub(tag, response.content)
        if not tagged:
            return ""
        response.content = content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(content))
        return f"; script-src 'self' 'nonce-{nonce}'"


class BearerTokenMiddleware:
    """The same Bearer tokens on the reading URLs that are not Django REST framework views:
    the file views (`/documents/`, `/images/`, the `download_url`s the API hands out), the JSON
    search and the feeds. An app holding a token can then open every URL the API gives it.
    Which paths: those of the views marked `core.routes.api_reading_view`, read from the URL
    configuration (`core.routes.bearer_path_prefixes`).

    With a good token, `request.user` is the token's user for this request (nothing is written to
    the session); with a bad one the answer is 401, as on `/api/v2/`. Only safe methods: these
    views read. Placed right after Django's `AuthenticationMiddleware`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(bearer_path_prefixes()):
            return self.get_response(request)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and request.method in ("GET", "HEAD"):
            try:
                request.user, _token = bearer_user(header)
            except BadBearerToken as error:
                response = JsonResponse({"message": str(error)}, status=HTTPStatus.UNAUTHORIZED)
                response["WWW-Authenticate"] = WWW_AUTHENTICATE
                return self._private(response)
        return self._private(self.get_response(request))

    @staticmethod
    def _private(response):
        patch_vary_headers(response, ("Cookie", "Authorization"))
        patch_cache_control(response, private=True)
        return response


class TwoFactorMiddleware:
    """Holds a signed-in person at the second step until they pass it; names the audit actor."""

    @staticmethod
    def _hold(request, step: str):
        target = "account_two_factor_verify" if step == VERIFY else "account_two_factor"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    ALLOWED_NAMES = ("account_two_factor", "account_two_factor_verify", "account_logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        pending = request.session.get(PENDING_SESSION_KEY)
        if pending:
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return self._hold(request, pending)
        if request.path.startswith("/admin/"):
            # Not only at sign-in: a device confirmed in another session, or the requirement
            # switched on (or an election making someone an editor) while signed in, holds the
            # person at the second step before the admin. Two small queries, admin only.
            if confirmed_device(request.user) is not None:
                if not request.user.is_verified():
                    return self._hold(request, VERIFY)
            elif two_factor_required(request.user):
                return self._hold(request, ENROL)
        # Whoever is signed in is the actor of audit-log entries written during the request, on
        # member-facing pages too (Wagtail sets this only inside its admin views).
        with LogContext(user=request.user):
            return self.get_response(request)
