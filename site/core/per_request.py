"""Read once per request: the restriction index, for every page, file, feed and search.

`RestrictionsOncePerRequestMiddleware` wraps a reading request (GET, HEAD, OPTIONS) in
`core.visibility.restrictions_cached()`, as the API views always have: page serving asks the
rule several times per request (the routing of a space, the serving hook, the page's listings,
the navigation), and each ask used to read the whole index again, an amount that grows with the
number of communities. A writing request (POST, ...) reads it afresh at each ask, so a request
that changes a restriction or a membership never decides from what it read before the change.
"""

from core.visibility import restrictions_cached

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RestrictionsOncePerRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READING_METHODS:
            return self.get_response(request)
        with restrictions_cached():
            return self.get_response(request)
