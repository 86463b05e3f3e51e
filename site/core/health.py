"""Health for load balancers and orchestrators, and a short 503 while the database is down.

- `/healthz`: the process answers (liveness). Touches nothing: no database, no cache, no files.
- `/readyz`: the database, the cache and the file storage answer (readiness); 503 with
  `Retry-After` when one does not, so a load balancer sends no traffic to this server.
- `DatabaseUnavailableMiddleware` and `server_error` (`handler500`): a request that meets a
  database that is down or restarting (`OperationalError`, `InterfaceError`) gets a short
  503 with `Retry-After`: an HTML page, or the API's JSON error (`{"message": ...}`) under
  `/api/`. Never a stack, never the generic 500. Django drops a broken connection at the end
  of the request, so the next request reconnects: recovery needs nothing by hand.

Both endpoints say only "ok" or "unavailable" per component: nothing about communities, people
or the reason a component failed (a host name or an error text could tell an attacker more than
a load balancer needs). docs/deploy.md, "Health".
"""

from __future__ import annotations

import logging
import secrets
import sys
from http import HTTPStatus

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (OperationalError, InterfaceError)
API_PREFIX = "/api/"
# A name the storage is asked about; it need not exist (asking is the check).
STORAGE_PROBE = "neighborhood-readiness-probe"


def _never_cached(response):
    add_never_cache_headers(response)
    return response


@require_GET
def healthz(request):
    """Liveness: the process is up and answers. No database, cache or storage is touched."""
    return _never_cached(HttpResponse("ok\n", content_type="text/plain; charset=utf-8"))


def _database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DATABASE_ERRORS:
        return False


def _cache_ok() -> bool:
    key, value = "neighborhood:readyz", secrets.token_hex(8)
    try:
        cache.set(key, value, 5)
        return cache.get(key) == value
    except Exception:  # noqa: BLE001 (any backend's connection error means "not ready")
        return False


def _storage_ok() -> bool:
    try:
        default_storage.exists(STORAGE_PROBE)
    except Exception:  # noqa: BLE001 (any backend's connection error means "not ready")
        return False
    return True


@require_GET
def readyz(request):
    """Readiness: 200 when the database, the cache and the file storage all answer, else 503."""
    checks = {"database": _database_ok(), "cache": _cache_ok(), "storage": _storage_ok()}
    ready = all(checks.values())
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    body["status"] = "ok" if ready else "unavailable"
    response = JsonResponse(body, status=HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE)
    if not ready:
        failed = ", ".join(name for name, ok in checks.items() if not ok)
        logger.warning("Not ready: %s unavailable", failed)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return _never_cached(response)


def unavailable(request) -> HttpResponse:
    """The short 503 while the database is down: JSON under /api/, else a page. Renders without
    the request's context processors, which could ask the database again."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"message": _("The service is briefly unavailable. Please try again shortly.")},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=HTTPStatus.SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return _never_cached(response)


class DatabaseUnavailableMiddleware:
    """A view that meets a database that is down answers `unavailable` (a 503), not a 500.

    A middleware's own database error (reading the session, say) never reaches a middleware;
    Django hands it to `handler500`, which is `server_error` below and answers the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable: %s %s", request.method, request.path)
            return unavailable(request)
        return None


def server_error(request):
    """`handler500`: the database being down is a 503 (`unavailable`); anything else the plain
    500 page, rendered without the database."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return unavailable(request)
    return HttpResponse(render_to_string("500.html"), status=HTTPStatus.INTERNAL_SERVER_ERROR)
