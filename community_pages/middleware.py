"""Responses that may depend on who asks are never cached as public (DESIGN.md invariant 5)."""

import base64
import hashlib
import re

from django.utils.cache import patch_cache_control, patch_vary_headers


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
    another's titles by guessing ids (DESIGN.md invariant 2, "admin screens").
    """

    PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.core.exceptions import PermissionDenied
        from wagtail.models import Page

        from community_pages.visibility import is_staff, visible_pages

        if not request.path.startswith("/admin/") or not request.user.is_authenticated:
            return None
        if is_staff(request.user):
            return None
        ids = [view_kwargs[key] for key in self.PAGE_ID_KWARGS if key in view_kwargs]
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
    (docs/data-protection.md): its scripts set inline `style` attributes, so admin styles may be
    inline; and its date pickers and legacy choosers still print one-line inline initialisers
    (`<script>initDateChooser("id_…", {…});</script>`, wagtail/admin/templates/wagtailadmin/
    widgets/date_input.html, `WidgetWithScript`). Rather than allow inline scripts, each admin
    response allows exactly the initialisers it holds that match those fixed shapes, by their
    SHA-256 hash: any other inline script, such as injected text, stays blocked.
    """

    POLICY = (
        "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
        "object-src 'none'"
    )
    ADMIN_POLICY = POLICY + "; style-src 'self' 'unsafe-inline'"
    INLINE_SCRIPT = re.compile(r"<script>([^<]*)</script>")
    ADMIN_INITIALISER = re.compile(
        r'(init(Date|DateTime|Time)Chooser\("id_[\w-]+", \{[^<>{}]*\}\);'
        r'|new (Document|Page|Image|Snippet|Task)Chooser\("id_[\w-]+", \{[^<>{}]*\}\);)'
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
        if response.streaming or "html" not in response.get("Content-Type", ""):
            return ""
        hashes = sorted(
            {
                base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                for body in self.INLINE_SCRIPT.findall(response.content.decode(errors="replace"))
                if self.ADMIN_INITIALISER.fullmatch(body)
            }
        )
        if not hashes:
            return ""
        return "; script-src 'self' " + " ".join(f"'sha256-{digest}'" for digest in hashes)
