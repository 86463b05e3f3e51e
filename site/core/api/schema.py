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
CALENDAR_CONTENT = {"text/calendar": {"schema": {"type": "string"}}}
ERROR = {"$ref": "#/components/schemas/Error"}
ERROR_CONTENT = {"application/json": {"schema": ERROR}}
# The site's own 404 page: what a file or feed URL answers for a hidden or missing object.
HTML_CONTENT = {"text/html": {"schema": {"type": "string"}}}


def binary_content(*media_types: str) -> dict:
    """The OpenAPI `content` of a file served as one of these media types."""
    return {
        media_type: {"schema": {"type": "string", "format": "binary"}} for media_type in media_types
    }


def query_parameter(
    name: str, description: str, *, required: bool = False, schema: dict | None = None
) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema or {"type": "string"},
        "description": description,
    }


FEED_TOKEN_PARAMETER = query_parameter(
    "token", "A personal feed token (see /account/feeds/); a calendar app has no cookie."
)


def only_api_endpoints(endpoints):
    """drf-spectacular hook: describe what this API serves, not Wagtail's admin-internal API."""
    prefix = settings.SPECTACULAR_SETTINGS["SCHEMA_PATH_PREFIX"]
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(prefix)]


_NOT_THIS_FORM = {
    "description": "Not an address of this form (a parameter of the wrong kind): redirected to "
    "the same address with a final slash, which is not found.",
    "headers": {"Location": {"schema": {"type": "string"}}},
}


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
                    # The site's 404 page, for a hidden object and a missing one alike.
                    **({"404": {"description": "", "content": HTML_CONTENT}} if "{" in url else {}),
                    # An address not of this form (`/documents/abc/x`) is not this endpoint's:
                    # Django adds the final slash (APPEND_SLASH), and that address is a 404.
                    **({"301": _NOT_THIS_FORM} if "{" in url and not url.endswith("/") else {}),
                },
            }
        }
    return result


# Every operation's errors, in the v2 shape ---------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API: a sentence naming what was wrong.",
    "properties": {"message": {"type": "string"}},
    "required": ["message"],
}
_UNSAFE = {"post", "put", "patch", "delete"}
# Query parameters that name something that may not exist (or not be yours): a 404 if so.
_NAMES_THAT_FIND = {"id", "html_path", "locale", "site", "space"}
_ERROR_DESCRIPTIONS = {
    "400": "Bad parameters or body: the message names the parameter; nothing was changed.",
    "401": "A bad, revoked or expired Bearer token; on member endpoints, no credentials.",
    "403": "Not yours to do (or a session write without its CSRF token).",
    "404": "Not found, or not yours to see (the same answer).",
}


def _may_answer(path: str, method: str, operation: dict) -> set[str]:
    """The error statuses an operation can give: 401 always (a bad token is refused
    everywhere); 400 when it reads parameters or a body; 403 when it writes; 404 when its path
    names an object (a non-integer id is the JSON 404 too) or it finds or filters one."""
    statuses = {"401"}
    names = {parameter["name"] for parameter in operation.get("parameters", ())}
    queried = any(parameter["in"] == "query" for parameter in operation.get("parameters", ()))
    if queried or "requestBody" in operation:
        statuses.add("400")
    if method in _UNSAFE:
        statuses.add("403")
    if "{" in path or (path.startswith("/api/v2/") and names & _NAMES_THAT_FIND):
        statuses.add("404")
    return statuses


def complete_error_responses(result, generator, request, public):
    """drf-spectacular hook, last: every operation documents each error it can give (400, 401,
    403, 404) with the one error body, `{"message": …}`. An endpoint's own documented error
    content (the site's HTML 404 of a file URL) is kept; a loose `object` becomes the Error."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, item in result["paths"].items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for status in sorted(
                _may_answer(path, method, operation) | (set(responses) & set(_ERROR_DESCRIPTIONS))
            ):
                documented = responses.get(status, {})
                content = documented.get("content", {})
                if not content or content.get("application/json"):
                    content = ERROR_CONTENT
                responses[status] = {
                    "description": documented.get("description") or _ERROR_DESCRIPTIONS[status],
                    "content": content,
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
