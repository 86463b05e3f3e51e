"""What every API view shares: our authentication, one read of the restriction index per
request, private responses that vary on who asks (docs/privacy.md, invariant
`never-cached-public`), and Wagtail v2's pagination with
an upper bound. Each app's `api.py` builds its endpoints on these; `config/api.py` wires them.
"""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import ValidationError
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

from core.api.authentication import AUTHENTICATION_CLASSES
from core.visibility import restrictions_cached

MAX_OFFSET = 1_000_000


class NeighborhoodAPIMixin:
    """What every API view does: our authentication, one read of the restriction index per
    request, and responses that are private and vary on who asks (docs/privacy.md, invariant
    `never-cached-public`)."""

    authentication_classes = AUTHENTICATION_CLASSES

    def dispatch(self, request, *args, **kwargs):
        with restrictions_cached():
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Cookie", "Authorization"))
        patch_cache_control(response, private=True)
        return response

    def handle_exception(self, exc):
        if isinstance(exc, ValidationError):
            return Response({"message": " ".join(exc.messages)}, status=HTTPStatus.BAD_REQUEST)
        return super().handle_exception(exc)


class ReaderAPIView(NeighborhoodAPIMixin, APIView):
    """Anyone may ask; the answer is what the visibility rule lets them see."""

    permission_classes = [AllowAny]


class MemberAPIView(NeighborhoodAPIMixin, APIView):
    """Signed-in people only (session or token); a visitor gets 401/403."""

    permission_classes = [IsAuthenticated]


def bad_request(message: str) -> Response:
    return Response({"message": message}, status=HTTPStatus.BAD_REQUEST)


class NeighborhoodPagination(WagtailPagination):
    """Wagtail's, with an upper bound on `offset` (a huge one overflowed the database: 500)."""

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.GET.get("offset", "0")
        if raw.isdigit() and int(raw) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class V2Mixin(NeighborhoodAPIMixin):
    """What our v2 endpoints add to Wagtail's: the pagination bound, and a 400 (not a 500) for
    a `search_operator` Wagtail does not check."""

    pagination_class = NeighborhoodPagination

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        operator = self.request.GET.get("search_operator")
        if operator is not None and operator not in ("and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")
