"""The OpenAPI document and its docs page: the drf-spectacular hooks (settings
`SPECTACULAR_SETTINGS`) and the Swagger UI view. See docs/api.md.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView

from core import csp
from core.routes import api_reading_endpoints

# OpenAPI: the endpoints that are plain Django views -------------------------------------------
# Each such view says what it is with `core.routes.api_reading_view(...)`, next to its code; its
# address comes from the URL configuration. The helpers below build the pieces it names.

JSON_CONTENT = {"application/json": {"schema": {"type": "object"}}}
FILE_CONTENT = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
CALENDAR_CONTENT = {"text/calendar": {"schema": {"type": "string"}}}
_ERRORS = {
    "400": {"description": "Bad parameters", "content": JSON_CONTENT},
    "404": {"description": "Not found, or not yours to see"},
}


def query_parameter(name: str, description: str, *, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": {"type": "string"},
        "description": description,
    }


FEED_TOKEN_PARAMETER = query_parameter(
    "token", "A personal feed token (see /account/feeds/); a calendar app has no cookie."
)


def only_api_endpoints(endpoints):
    """drf-spectacular hook: describe what this API serves, not Wagtail's admin-internal API."""
    prefix = settings.SPECTACULAR_SETTINGS["SCHEMA_PATH_PREFIX"]
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(prefix)]


def add_plain_django_endpoints(result, generator, request, public):
    """drf-spectacular hook: describe the file, search and feed endpoints, which are not DRF
    views: every view marked `api_reading_view`, at its address in the URL configuration."""
    for url, spec in api_reading_endpoints():
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
                        "content": JSON_CONTENT,
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
