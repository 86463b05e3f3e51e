"""What the URL configuration says, read from it instead of copied into lists by hand.

The URL map is written once, in `config/urls.py` and the `urls.py` it includes. Three things are
derived from it here, when first asked (the URL configuration imports every app, so it cannot
be read while the models load):

- the slugs a community or Common Ground may not take (`reserved_space_slugs`);
- the path prefixes where `Authorization: Bearer` is honoured outside the DRF views
  (`bearer_path_prefixes`): the views marked with `api_reading_view`;
- the OpenAPI description of those same views (`api_reading_endpoints`, `core/api/schema.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

from core.languages import content_language_codes

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_STATIC_SEGMENT = re.compile(r"^[\w.-]+$")
_REGEX_GROUP = re.compile(r"\((?!\?:)[^()]*\)")
# A web server in front commonly serves uploads at /media/ even though this app never does.
_WEB_SERVER_PREFIXES = ("media",)


@dataclass(frozen=True)
class Route:
    """One URL pattern with the routes of the includes above it joined: "feeds/<slug:x>/a.ics".

    Regex patterns keep their regex (anchors removed); `regex` says which kind it is.
    """

    route: str
    callback: Callable
    regex: bool

    @property
    def segments(self) -> list[str]:
        return self.route.split("/")

    def parameters(self) -> list[tuple[str, str]]:
        """(name, converter) of each path parameter of a `path()` route, in order."""
        return [(m["name"], m["converter"] or "str") for m in _ROUTE_PARAMETER.finditer(self.route)]


def _walk(patterns, prefix: str = "", regex: bool = False) -> Iterator[Route]:
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            part, is_regex = "", False  # the default language has no prefix
        elif isinstance(pattern, RoutePattern):
            part, is_regex = str(pattern._route), False
        else:
            part, is_regex = pattern._regex.removeprefix("^").removesuffix("$"), True
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + part, regex or is_regex)
        else:
            yield Route(prefix + part, entry.callback, regex or is_regex)


@lru_cache(maxsize=4)
def _routes(resolver) -> tuple[Route, ...]:
    return tuple(_walk(resolver.url_patterns))


def routes() -> tuple[Route, ...]:
    """Every URL pattern of the current URL configuration."""
    return _routes(get_resolver())


def _per_urlconf(derive):
    """Compute `derive()` once per URL configuration (tests may swap it)."""
    cached = lru_cache(maxsize=4)(lambda resolver: derive())

    @wraps(derive)
    def wrapper():
        return cached(get_resolver())

    return wrapper


def _is_static(segment: str) -> bool:
    return bool(_STATIC_SEGMENT.match(segment))


# Spaces --------------------------------------------------------------------------------------

# A space is served at /<slug>/ (Wagtail's page serving) and its feeds at /feeds/<space_slug>/.
SPACE_SLUG_PARAMETER = "space_slug"


@_per_urlconf
def reserved_space_slugs() -> frozenset[str]:
    """Every name that would shadow, or be shadowed by, one of the site's own addresses: the
    first segment of each address outside the page tree, each static segment that sits where a
    `<space_slug>` sits in another address (`/feeds/public/...`), the language prefixes, and the
    static and media prefixes."""
    reserved = set(_WEB_SERVER_PREFIXES)
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        reserved.add(url.strip("/").split("/")[0])
    reserved.update(content_language_codes())
    all_routes = routes()
    places = {()}  # the top level, where Wagtail serves a space's page
    for route in all_routes:
        for index, segment in enumerate(route.segments):
            if f":{SPACE_SLUG_PARAMETER}>" in segment or segment == f"<{SPACE_SLUG_PARAMETER}>":
                places.add(tuple(route.segments[:index]))
    for route in all_routes:
        segments = route.segments
        for place in places:
            size = len(place)
            here = len(segments) > size and tuple(segments[:size]) == place
            if here and _is_static(segments[size]):
                reserved.add(segments[size].lower())
    reserved.discard("")
    return frozenset(reserved)


# Plain Django views that API clients read ----------------------------------------------------


def api_reading_view(
    *,
    summary: str,
    tags: list[str],
    content: dict,
    parameters: tuple[dict, ...] = (),
    path_names: tuple[str, ...] = (),
):
    """Mark a plain Django view (not a DRF one) that API clients read with their token.

    It then accepts `Authorization: Bearer` (`core.middleware.BearerTokenMiddleware`) and is
    described in the OpenAPI document (`core/api/schema.py`) at the address the URL
    configuration gives it. `parameters` are its query parameters (OpenAPI objects); a view
    routed by a regex names its unnamed groups in `path_names`. Apply it outermost.
    """

    def mark(view):
        view.api_reading = {
            "summary": summary,
            "tags": tags,
            "content": content,
            "parameters": list(parameters),
            "path_names": path_names,
        }
        return view

    return mark


def _openapi_path(route: Route, path_names: tuple[str, ...]) -> tuple[str, list[dict]]:
    """("/documents/{document_id}/{filename}", [path parameters]) for a route."""
    parameters = []
    if route.regex:
        names = iter(path_names)
        text = route.route

        def name_group(match):
            name = next(names)
            kind = "integer" if match.group(0) == r"(\d+)" else "string"
            parameters.append(_path_parameter(name, kind))
            return "{" + name + "}"

        text = _REGEX_GROUP.sub(name_group, text).replace("\\", "")
    else:
        for name, converter in route.parameters():
            parameters.append(_path_parameter(name, "integer" if converter == "int" else "string"))
        text = _ROUTE_PARAMETER.sub(lambda m: "{" + m["name"] + "}", route.route)
    return "/" + text, parameters


def _path_parameter(name: str, kind: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


@_per_urlconf
def api_reading_endpoints() -> tuple[tuple[str, dict], ...]:
    """(OpenAPI path, description with its path and query parameters) of each marked view."""
    found = []
    for route in routes():
        spec = getattr(route.callback, "api_reading", None)
        if spec is None:
            continue
        path, path_parameters = _openapi_path(route, spec["path_names"])
        found.append((path, {**spec, "parameters": [*path_parameters, *spec["parameters"]]}))
    return tuple(found)


@_per_urlconf
def bearer_path_prefixes() -> tuple[str, ...]:
    """Path prefixes of the marked views: their static segments before the first parameter
    (the whole path when it has none), the shorter prefix kept when one contains another."""
    prefixes = set()
    for route in routes():
        if getattr(route.callback, "api_reading", None) is None:
            continue
        static = []
        for segment in route.segments:
            if not _is_static(segment):
                static.append("")  # a trailing slash: the prefix ends before the parameter
                break
            static.append(segment)
        prefixes.add("/" + "/".join(static))
    return tuple(
        sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))
    )
