"""Responses that may depend on who asks are never cached as public (DESIGN.md invariant 5)."""

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
