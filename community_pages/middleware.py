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
