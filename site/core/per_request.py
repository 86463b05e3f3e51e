"""Read once per request: the restriction index, and what page serving asks for several times.

`RestrictionsOncePerRequestMiddleware` wraps a reading request (GET, HEAD, OPTIONS) in
`core.visibility.restrictions_cached()`, as the API views always have: page serving asks the
rule several times per request (the routing of a space, the serving hook, the page's listings,
the navigation), and each ask used to read the whole index again, an amount that grows with the
number of communities. A writing request (POST, ...) reads it afresh at each ask, so a request
that changes a restriction or a membership never decides from what it read before the change.

The same block opens the request's own small store, `per_request(key, compute)`: what several
parts of one page read alike (the site's locales, a space's community record) is read once and
forgotten when the answer has gone. It lives exactly as long as the request and is never shared
with another: one request has one reader, so nothing in it reaches anyone else. Outside a
reading request (a POST, a task, a shell) `per_request` computes afresh at every call.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from core.visibility import restrictions_cached

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

T = TypeVar("T")
_store: ContextVar[dict | None] = ContextVar("_neighborhood_per_request", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """One reading request: the restriction index and `per_request` values are read once."""
    token = _store.set({})
    try:
        with restrictions_cached():
            yield
    finally:
        _store.reset(token)


def per_request(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per reading request for this key (every call, outside one).

    Only for what no part of the request changes: a reading request writes none of it.
    """
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


class RestrictionsOncePerRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READING_METHODS:
            return self.get_response(request)
        with request_scope():
            return self.get_response(request)
