"""The request's own store (`core.per_request.per_request`): read once inside a reading request,
afresh outside one, and gone when the request ends, so nothing read for one request (one
person) is seen by the next."""

from __future__ import annotations

from django.test import RequestFactory

from core import per_request as module
from core.per_request import RestrictionsOncePerRequestMiddleware, per_request, request_scope


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_store__outside_a_request_computes_at_every_call():
    calls, compute = _counter()
    assert [per_request("key", compute) for _ in range(3)] == [1, 2, 3]


def test_store__inside_a_request_computes_once_per_key():
    calls, compute = _counter()
    with request_scope():
        assert [per_request("key", compute) for _ in range(3)] == [1, 1, 1]
        assert per_request("other", compute) == 2
    assert per_request("key", compute) == 3  # the request has ended: afresh


def test_store__each_request_starts_empty_and_leaves_nothing():
    seen = []

    def view(request):
        seen.append(per_request("who", lambda: request.GET["who"]))
        return None

    middleware = RestrictionsOncePerRequestMiddleware(view)
    middleware(RequestFactory().get("/?who=first"))
    middleware(RequestFactory().get("/?who=second"))
    assert seen == ["first", "second"]
    assert module._store.get() is None


def test_store__a_writing_request_has_none():
    calls, compute = _counter()

    def view(request):
        per_request("key", compute)
        per_request("key", compute)

    RestrictionsOncePerRequestMiddleware(view)(RequestFactory().post("/"))
    assert len(calls) == 2
