"""What the v2 endpoints (pages, images, documents) accept and answer, for the OpenAPI document:
each query parameter exactly as strict as the server (an empty `child_of=` or `limit=` is a 400,
so the schema does not allow one), and the Wagtail v2 listing and detail shapes. docs/api.md.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from core.api.views import MAX_OFFSET
from core.languages import content_language_codes

PAGE_OR_ROOT = {"type": "string", "pattern": "^([0-9]+|root)$"}
POSITIVE_INTEGER = {"type": "integer", "minimum": 0}


def order_schema(fields) -> dict:
    """`order`: one available database field, ascending or descending (`-title`), or `random`.
    The server also takes several, comma-separated; the schema names the single values."""
    names = sorted(set(fields) - {"locale"})
    return {"type": "string", "enum": [*names, *(f"-{name}" for name in names), "random"]}


def common_parameters(order_fields) -> list[OpenApiParameter]:
    """The parameters every v2 listing takes."""
    return [
        OpenApiParameter(
            "fields", str, description="Fields to add or remove, e.g. summary,-title."
        ),
        OpenApiParameter("search", str),
        OpenApiParameter("search_operator", {"type": "string", "enum": ["and", "or"]}),
        OpenApiParameter(
            "order",
            order_schema(order_fields),
            description="A field, -field, or random (not with offset); several, comma-separated.",
        ),
        OpenApiParameter("limit", {**POSITIVE_INTEGER, "maximum": settings.WAGTAILAPI_LIMIT_MAX}),
        OpenApiParameter("offset", {**POSITIVE_INTEGER, "maximum": MAX_OFFSET}),
    ]


def page_list_parameters(order_fields) -> list[OpenApiParameter]:
    return [
        OpenApiParameter("type", str, description="A page type, e.g. resources.ResourcePage."),
        OpenApiParameter("child_of", PAGE_OR_ROOT, description="A page id, or 'root'."),
        OpenApiParameter("descendant_of", PAGE_OR_ROOT, description="A page id, or 'root'."),
        OpenApiParameter("ancestor_of", POSITIVE_INTEGER),
        OpenApiParameter("translation_of", PAGE_OR_ROOT, description="A page id, or 'root'."),
        OpenApiParameter(
            "locale",
            {"type": "string", "enum": content_language_codes()},
            description="Another code is a 404, as in Wagtail.",
        ),
        OpenApiParameter("site", str, description="A site's hostname (and :port)."),
        *common_parameters(order_fields),
    ]


FIND_ID = OpenApiParameter("id", int, description="An id; not a number is a 400.")
FIND_HTML_PATH = OpenApiParameter(
    "html_path", str, description="A page's path on the web, in any language (/es/...)."
)
DETAIL_FIELDS = OpenApiParameter("fields", str)

# Responses -----------------------------------------------------------------------------------

ITEM = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "meta": {"type": "object"}},
}
LISTING = {
    "type": "object",
    "properties": {
        "meta": {
            "type": "object",
            "properties": {"total_count": {"type": "integer", "minimum": 0}},
            "required": ["total_count"],
        },
        "items": {"type": "array", "items": ITEM},
    },
    "required": ["meta", "items"],
}
FOUND = OpenApiResponse(
    description="Redirect (Location) to the detail URL of what was found, with the other query "
    "parameters."
)
