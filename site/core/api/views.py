"""What every API view shares: our authentication, one read of the restriction index per
request, private responses that vary on who asks (docs/privacy.md, invariant
`never-cached-public`), and Wagtail v2's pagination with
an upper bound. Each app's `api.py` builds its endpoints on these; `config/api.py` wires them.
"""

from __future__ import annotations

import re
from http import HTTPStatus

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler
from taggit.managers import TaggableManager
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

from core.api.authentication import AUTHENTICATION_CLASSES
from core.visibility import restrictions_cached

MAX_OFFSET = 1_000_000
_INTEGER = re.compile(r"^-?[0-9]{1,18}$")


def error_message(data) -> str:
    """One sentence from DRF's error data: {"detail": …}, a list, or {field: [errors]}."""
    if isinstance(data, dict):
        if "detail" in data:
            return str(data["detail"])
        return " ".join(f"{key}: {error_message(value)}" for key, value in data.items())
    if isinstance(data, list):
        return " ".join(error_message(item) for item in data)
    return str(data)


def exception_handler(exc, context):
    """DRF's, with every error body in the Wagtail v2 shape `{"message": …}` (settings
    `REST_FRAMEWORK["EXCEPTION_HANDLER"]`): a bad token, a visitor on a member endpoint, a
    refusal, a malformed body, a method not allowed. DRF's own is `{"detail": …}`."""
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"message": error_message(response.data)}
    return response


def _has_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if hasattr(data, "lists"):  # a QueryDict: form or multipart
        return any(_has_nul(key) or _has_nul(values) for key, values in data.lists())
    if isinstance(data, dict):
        return any(_has_nul(key) or _has_nul(value) for key, value in data.items())
    if isinstance(data, list | tuple):
        return any(_has_nul(item) for item in data)
    return False


@csrf_exempt  # a POST to a mistyped address is a 404, not a CSRF 403 page
def not_found(request, *args, **kwargs):
    """Any other address under /api/ (a path id that is not a number, a typo): the API's JSON
    404, never the site's HTML page (config/api.py mounts it last)."""
    response = JsonResponse({"message": _("Not found.")}, status=404)
    patch_vary_headers(response, ("Cookie", "Authorization"))
    patch_cache_control(response, private=True)
    return response


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

    def initial(self, request, *args, **kwargs):
        """After authentication: a NUL character in a parameter or in the body, which the
        database cannot store or compare (a 500), is a 400 naming where it was."""
        super().initial(request, *args, **kwargs)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise ValidationError(
                    _("%(name)s must not contain NUL characters.") % {"name": name[:40]}
                )
        if request.method not in ("GET", "HEAD", "OPTIONS") and _has_nul(request.data):
            raise ValidationError(_("The body must not contain NUL characters."))

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


def integer_parameter(request, name: str) -> int | None:
    """The integer query parameter `name`, None if absent; a 400 naming it if not a number."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    if not _INTEGER.match(raw):
        raise BadRequestError(f"{name} must be an integer")
    return int(raw)


class V2Mixin(NeighborhoodAPIMixin):
    """What our v2 endpoints add to Wagtail's: the pagination bound, and a 400 (not a 500) for
    what Wagtail passes to the database unchecked: a `search_operator`, `find/?id=abc`, a field
    filter whose value is not of the field's type (`?type=resources.ResourcePage&topics=x`)."""

    pagination_class = NeighborhoodPagination

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        operator = self.request.GET.get("search_operator")
        if operator is not None and operator not in ("and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")

    def find_view(self, request):
        integer_parameter(request, "id")
        return super().find_view(request)

    def filter_queryset(self, queryset):
        self._check_field_filters(queryset.model)
        return super().filter_queryset(queryset)

    def _check_field_filters(self, model):
        """Each `?<field>=` filter Wagtail will apply, converted as the database would; a value
        it cannot take (a word for a related id, a date that is not one) is a 400 naming it."""
        fields = set(self.get_available_fields(model, db_fields_only=True)) - {"locale"}
        for name, value in self.request.GET.items():
            if name not in fields:
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, TaggableManager):
                continue
            target = getattr(field, "target_field", None) if field.is_relation else field
            if target is None or not hasattr(target, "to_python"):
                continue
            try:
                target.get_prep_value(target.to_python(value))
            except (ValueError, TypeError, ValidationError) as error:
                raise BadRequestError(
                    f"field filter error. '{value[:60]}' is not a valid value for {name}"
                ) from error
