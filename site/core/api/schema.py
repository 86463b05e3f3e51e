"""The OpenAPI document and its docs page: the drf-spectacular hooks (settings
`SPECTACULAR_SETTINGS`) and the Swagger UI view. See docs/api.md.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView

from core import csp

# OpenAPI: the endpoints that are plain Django views ---------------------------------------------

_JSON = {"application/json": {"schema": {"type": "object"}}}
_ERRORS = {
    "400": {"description": "Bad parameters", "content": _JSON},
    "404": {"description": "Not found, or not yours to see"},
}


def _query(name: str, description: str, *, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": {"type": "string"},
        "description": description,
    }


def _slug(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


_FILE = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


_TOKEN = _query(
    "token", "A personal feed token (see /account/feeds/); a calendar app has no cookie."
)
PLAIN_DJANGO_ENDPOINTS = {
    "/api/search/": {
        "summary": "Full-text search of the pages you may see.",
        "tags": ["search"],
        "parameters": [
            _query("q", "The words to look for (at most 200 characters)."),
            _query("locale", "en, es, pt or all."),
            _query("page", "1 to 1000."),
        ],
        "content": _JSON,
    },
    "/documents/{document_id}/{filename}": {
        "summary": "A document's file (the `download_url`), if its collection is yours to see.",
        "tags": ["files"],
        "parameters": [_id("document_id"), _slug("filename")],
        "content": _FILE,
    },
    "/images/{image_id}/original/": {
        "summary": "An image's original file, if its collection is yours to see.",
        "tags": ["files"],
        "parameters": [_id("image_id")],
        "content": _FILE,
    },
    "/images/{image_id}/{rendition_id}/": {
        "summary": "A rendition of an image (as in guide bodies), if the image is yours to see.",
        "tags": ["files"],
        "parameters": [_id("image_id"), _id("rendition_id")],
        "content": _FILE,
    },
    "/feeds/public/meetings.json": {
        "summary": "Meeting Guide JSON of the groups listed publicly.",
        "tags": ["feeds"],
        "parameters": [],
        "content": _JSON,
    },
    "/feeds/{space_slug}/meetings.json": {
        "summary": "Meeting Guide JSON of a space's groups (members only).",
        "tags": ["feeds"],
        "parameters": [_slug("space_slug"), _TOKEN],
        "content": _JSON,
    },
    "/feeds/{space_slug}/meetings.ics": {
        "summary": "iCalendar of a space's groups (members only).",
        "tags": ["feeds"],
        "parameters": [_slug("space_slug"), _TOKEN],
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    },
    "/feeds/{space_slug}/groups/{group_slug}.ics": {
        "summary": "iCalendar of one group (members only).",
        "tags": ["feeds"],
        "parameters": [_slug("space_slug"), _slug("group_slug"), _TOKEN],
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    },
}


def only_api_endpoints(endpoints):
    """drf-spectacular hook: describe what this API serves, not Wagtail's admin-internal API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def add_plain_django_endpoints(result, generator, request, public):
    """drf-spectacular hook: describe the search and feed endpoints, which are not DRF views."""
    for url, spec in PLAIN_DJANGO_ENDPOINTS.items():
        operation_id = url.strip("/").replace("/", "_").replace("{", "").replace("}", "")
        result["paths"][url] = {
            "get": {
                "operationId": operation_id.replace(".", "_"),
                "summary": spec["summary"],
                "tags": spec["tags"],
                "parameters": spec["parameters"],
                "security": [{"bearerAuth": []}, {"cookieAuth": []}, {}],
                "responses": {
                    "200": {"description": "OK", "content": spec["content"]},
                    **_ERRORS,
                    "401": {
                        "description": "A bad, revoked or expired Bearer token",
                        "content": _JSON,
                    },
                },
            }
        }
    return result


class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the app's own static files. The site's policy (everything from 'self'),
    plus `data:` images: Swagger UI draws its icons as inline SVG data URLs."""

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = csp.policy(img_src="'self' data:")
        return response
