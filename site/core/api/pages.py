"""The pages endpoint at /api/v2/pages/: Wagtail's, showing each requester exactly what they may
view. See docs/api.md.

Wagtail's own v2 viewset decides visibility itself: `PagesAPIViewSet.get_base_queryset` loops
over every view restriction (`wagtail/api/querysets.py`, 3N+11 queries for a visitor, 6N+31 for
a member) and honours sessions only. Here it asks the one rule instead (`visible_pages`), read
once per request, for the session's or the Bearer token's user. The relational filters
(`child_of`, `descendant_of`, `ancestor_of`, `translation_of`) and `find` resolve their target
through `get_base_queryset()`, so a page the requester may not see answers exactly like one that
does not exist. Response shapes are Wagtail's.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from wagtail.api.v2.filters import ChildOfFilter, DescendantOfFilter
from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Locale, Page, Site, get_page_models

from core.api.parameters import (
    DETAIL_FIELDS,
    FIND_HTML_PATH,
    FIND_ID,
    FOUND,
    ITEM,
    LISTING,
    page_list_parameters,
)
from core.api.views import V2Mixin
from core.languages import content_language_codes, in_reader_language, under_translations
from core.search_candidates import candidates
from core.visibility import visible_pages, visible_pages_searchable


def page_order_fields(model) -> list[str]:
    return PagesAPIViewSet.get_available_fields(model, db_fields_only=True)


def _prefixed_languages() -> list[str]:
    """The languages whose pages are served under a prefix (/es/, /pt/): all but the default."""
    return [code for code in content_language_codes() if code != settings.LANGUAGE_CODE]


READER_LOCALE = "reader_locale"
_READER_LOCALE = OpenApiParameter(
    READER_LOCALE,
    {"type": "string", "enum": content_language_codes()},
    description="The reader's language, as the site shows pages (docs/languages.md, "
    "'Fallback'): a listing has one page per translation, in this language where translated "
    "and else in the language it was written in; each item's `meta.content_locale` says which "
    "language its content is in and `meta.fallback` whether that is not the reader's. "
    "`child_of` and `descendant_of` then take the page's translations too. Not with `locale`.",
)
_PAGE_LIST_PARAMETERS = [
    *page_list_parameters(
        {name for model in get_page_models() for name in page_order_fields(model)}
    ),
    _READER_LOCALE,
]


class NeighborhoodPagesAPIViewSet(V2Mixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, showing each requester exactly what they may view."""

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union([READER_LOCALE])
    _reading: str | None = None  # the listing's reader_locale

    @extend_schema(
        operation_id="pages_list",
        summary="List the pages you may see (Wagtail API v2 shape).",
        parameters=_PAGE_LIST_PARAMETERS,
        responses={200: LISTING},
        tags=["pages"],
    )
    def listing_view(self, request):
        self._reading = self.reader_locale()
        response = super().listing_view(request)
        if self._reading and response.status_code == 200:
            items = response.data["items"]
            codes = dict(
                Page.objects.filter(pk__in=[item["id"] for item in items]).values_list(
                    "pk", "locale__language_code"
                )
            )
            for item in items:
                _mark_language(item, codes[item["id"]], self._reading)
        return response

    @extend_schema(
        operation_id="pages_detail",
        summary="A page you may see.",
        parameters=[DETAIL_FIELDS, _READER_LOCALE],
        responses={200: ITEM},
        tags=["pages"],
    )
    def detail_view(self, request, pk):
        reader = self.reader_locale()
        response = super().detail_view(request, pk)
        if reader and response.status_code == 200:
            _mark_language(response.data, self.get_object().locale.language_code, reader)
        return response

    @extend_schema(
        operation_id="pages_find",
        summary="Redirect to a page's detail URL, by html_path or id.",
        parameters=[FIND_HTML_PATH, FIND_ID],
        responses={302: FOUND},
        tags=["pages"],
    )
    def find_view(self, request):
        """A localized `html_path` (`/es/…`) answers with the reader's language kept: the
        detail URL it redirects to has `reader_locale`, so a page shown in English until
        translated says so."""
        self.reader_locale()
        response = super().find_view(request)
        language = _path_language(request.GET.get("html_path"))
        if language and READER_LOCALE not in request.GET and response.status_code == 302:
            location = response["Location"]
            joiner = "" if location.endswith("?") else "&"
            response["Location"] = f"{location}{joiner}{READER_LOCALE}={language}"
        return response

    def reader_locale(self) -> str | None:
        """The `reader_locale` asked for (None without one); a 400 for an unknown language or
        one given with `locale`."""
        code = self.request.GET.get(READER_LOCALE)
        if code is None:
            return None
        if code not in content_language_codes():
            raise BadRequestError(
                f"{READER_LOCALE} must be one of: {', '.join(content_language_codes())}"
            )
        if "locale" in self.request.GET:
            raise BadRequestError(f"give locale or {READER_LOCALE}, not both")
        return code

    def filter_queryset(self, queryset):
        """With `reader_locale`, `child_of` and `descendant_of` take the target's translations
        too (its untranslated pages live under the source language's tree)."""
        if not self._reading:
            return super().filter_queryset(queryset)
        handled = []
        for name, backend, children_only in (
            ("child_of", ChildOfFilter, True),
            ("descendant_of", DescendantOfFilter, False),
        ):
            raw = self.request.GET.get(name)
            if raw is None or raw == "root":
                continue
            if not raw.isdigit():
                raise BadRequestError(f"{name} must be a positive integer")
            target = self.get_base_queryset().filter(pk=int(raw)).first()
            if target is None:
                raise BadRequestError(
                    "parent page doesn't exist"
                    if name == "child_of"
                    else "descendant page doesn't exist"
                )
            queryset = queryset.filter(under_translations(target, children_only=children_only))
            handled.append(backend)
        self.filter_backends = [b for b in self.filter_backends if b not in handled]
        return super().filter_queryset(queryset)

    def _site_scope(self, queryset):
        """Pages of the requested site, in every language (as Wagtail's v2 scopes them)."""
        try:
            site = SiteFilterValidator(site=self.request.GET.get("site"), request=self.request)
            site_obj = site.site_obj
        except ValueError as error:
            raise BadRequestError(str(error)) from error
        if site_obj is None:
            return queryset.none()
        roots = [
            root.root_path for root in Site.get_site_root_paths() if root.site_id == site_obj.pk
        ]
        scope = Q()
        for root_path in roots:
            scope |= Q(url_path__startswith=root_path)
        return queryset.filter(scope) if roots else queryset.none()

    def _visible(self, queryset):
        scoped = self._site_scope(visible_pages(self.request.user, queryset))
        if self._reading:
            # One page per translation, chosen among those the reader may see.
            scoped = in_reader_language(scoped, self._reading)
        if "search" not in self.request.GET:
            return scoped
        # A search backend filters only on indexed fields: the same rule as `pk IN (...)`.
        searchable = visible_pages_searchable(
            self.request.user, queryset.filter(pk__in=scoped.values("pk"))
        )
        # On PostgreSQL, only the pages whose index entry holds a word of the query reach the
        # backend's ranking (the search page's narrowing): the same results, order and count.
        return candidates(searchable, self.request.GET["search"])

    def get_base_queryset(self):
        """Every page the requester may see (the targets of `child_of`, `find` and the detail
        view: never narrowed to the reader's language)."""
        if not hasattr(self, "_base_queryset"):
            reading, self._reading = self._reading, None
            self._base_queryset = self._visible(Page.objects.all())
            self._reading = reading
        return self._base_queryset

    def get_queryset(self):
        try:
            models_type = self.request.GET.get("type", None)
            models = models_type and page_models_from_string(models_type) or []
        except (LookupError, ValueError) as error:
            raise BadRequestError("type doesn't exist") from error
        if not models:
            return self._listed().select_related("locale")
        if len(models) == 1:
            # The specific model, so that its own API fields may be filtered on.
            queryset = self._visible(models[0].objects.all()).select_related("locale")
            # A page type may name relations to prefetch (e.g. a group's schedule: no N+1).
            prefetch = getattr(models[0], "api_prefetch_related", ())
            if prefetch:
                queryset = queryset.prefetch_related(*prefetch)
            return queryset
        return self._listed().type(*models).select_related("locale")

    def _listed(self):
        return self._visible(Page.objects.all()) if self._reading else self.get_base_queryset()

    def find_object(self, queryset, request):
        """Wagtail's, and a localized `html_path` (`/es/…`, `/pt/…`) is routed from that
        language's home page, as the web serves it (Wagtail's own routes every path from the
        default language's root and answers 404)."""
        path = request.GET.get("html_path")
        site = Site.find_for_request(request)
        if path is None or site is None:
            return super().find_object(queryset, request)
        components = [component for component in path.split("/") if component]
        root = site.root_page
        if components and components[0] in _prefixed_languages():
            locale = Locale.objects.filter(language_code=components.pop(0)).first()
            root = root.get_translation_or_none(locale) if locale else None
            if root is None:
                return None
        try:
            page, _args, _kwargs = root.specific.route(request, components)
        except Http404:
            return None
        return page if queryset.filter(id=page.id).exists() else None

    def get_object(self):
        # One query for the specific page (Wagtail's own reads the base page, then the specific).
        if not hasattr(self, "_cached_object"):
            queryset = self.get_base_queryset().select_related("locale").specific()
            try:
                pk = int(self.kwargs["pk"])
                self._cached_object = queryset.get(pk=pk)
            except (Page.DoesNotExist, ValueError, KeyError) as error:
                raise Http404("No Page matches the given query.") from error
        return self._cached_object


def _path_language(path: str | None) -> str | None:
    """The language prefix of a page's path on the web (`/es/…` → "es"), None for the default."""
    first = (path or "").strip("/").split("/")[0]
    return first if first in _prefixed_languages() else None


def _mark_language(item: dict, content_locale: str, reader_locale: str) -> None:
    """Says which language a page's content is in, for a reader of `reader_locale`."""
    meta = item.setdefault("meta", {})
    meta["content_locale"] = content_locale
    meta["fallback"] = content_locale != reader_locale
