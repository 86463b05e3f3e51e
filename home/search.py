"""Search: the member-facing page at `/search/` and the JSON endpoint `/api/search/?q=`.

Both ask the one visibility rule first (`visible_pages_searchable`, the form that a search
backend can filter on) and only then search, so a hit, a title or a count from a space the
searcher may not see never leaves the server. Never the `wagtail start` template's search view,
which searches every page regardless of privacy.

The backend is Wagtail's database backend (`WAGTAILSEARCH_BACKENDS`): PostgreSQL full-text
search on PostgreSQL, SQLite's FTS on SQLite. It indexes each page type's `search_fields`
(titles, summaries, bodies, intros) when a page is saved; see
https://docs.wagtail.org/en/stable/topics/search/backends.html

The headless API searches too (`/api/v2/pages/?search=`, `core/api/pages.py`), through the same
rule; `/api/search/` here stays plain JSON (docs/api.md).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from core.api.schema import JSON_CONTENT, query_parameter
from core.languages import active_locale, content_language_codes, in_reader_language
from core.permissions import SPACE_DEPTH, space_path
from core.routes import api_reading_view
from core.search_candidates import candidates
from core.visibility import visible_pages, visible_pages_searchable

MAX_QUERY_LENGTH = 200
MAX_PAGE_NUMBER = 1000
PAGE_SIZE = 10
API_PAGE_SIZE = 20
ALL_LOCALES = "all"
SNIPPET_WORDS = 30
# Fields a snippet is taken from, first that has text wins.
SNIPPET_FIELDS = ("summary", "search_description", "intro", "body")


class BadSearch(ValueError):
    """A query the searcher must fix: answered with 400 and this message."""


@dataclass(frozen=True)
class SearchQuery:
    text: str
    locale: str  # a language code, or ALL_LOCALES
    page_number: int


def parse_search_query(params) -> SearchQuery:
    """Read and validate `q`, `locale` and `page` from a GET QueryDict."""
    text = " ".join(params.get("q", "").split())
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise BadSearch(_("Your search contains control characters: please type words only."))
    if len(text) > MAX_QUERY_LENGTH:
        raise BadSearch(
            _("Your search is too long: use at most %(max)d characters.")
            % {"max": MAX_QUERY_LENGTH}
        )
    language_codes = content_language_codes()
    locale = params.get("locale") or (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if locale not in (*language_codes, ALL_LOCALES):
        raise BadSearch(
            _("Unknown language “%(locale)s”: use one of %(choices)s.")
            % {"locale": locale[:20], "choices": ", ".join([*language_codes, ALL_LOCALES])}
        )
    raw_page = params.get("page", "1")
    # ASCII digits only: "²".isdigit() is true and int("²") fails (a 500).
    if not (raw_page.isascii() and raw_page.isdigit()) or not 1 <= int(raw_page) <= MAX_PAGE_NUMBER:
        raise BadSearch(
            _("The page number must be a whole number from 1 to %(max)d.")
            % {"max": MAX_PAGE_NUMBER}
        )
    return SearchQuery(text=text, locale=locale, page_number=int(raw_page))


def search_pages(user, query: SearchQuery):
    """The live pages this user may see that match the query, best first (search results)."""
    pages = visible_pages_searchable(user, Page.objects.live())
    if query.locale != ALL_LOCALES:
        if not Locale.objects.filter(language_code=query.locale).exists():
            return Page.objects.none()
        # Pages in that language, and those not yet translated into it, in English.
        chosen = in_reader_language(visible_pages(user), query.locale)
        pages = pages.filter(pk__in=chosen.values("pk"))
    # Double quotes reach SQLite's FTS5 MATCH unescaped and fail (wagtail/wagtail#13227); the
    # other backends drop them as punctuation anyway.
    text = " ".join(query.text.replace('"', " ").split())
    if not text:
        return Page.objects.none()
    return candidates(pages, text).search(text)


def paginate(results, query: SearchQuery, per_page: int):
    """One page of results. A page number past the end is a `BadSearch`."""
    paginator = Paginator(results, per_page)
    try:
        return paginator.page(query.page_number)
    except EmptyPage as error:
        raise BadSearch(
            _("There is no page %(n)d of results.") % {"n": query.page_number}
        ) from error


def _snippet(page) -> str:
    for field in SNIPPET_FIELDS:
        value = getattr(page, field, None)
        if value and isinstance(value, str):
            return Truncator(" ".join(strip_tags(value).split())).words(SNIPPET_WORDS)
        if value and hasattr(value, "render_as_block"):  # a StreamField
            text = strip_tags(str(value.render_as_block()))
            return Truncator(" ".join(text.split())).words(SNIPPET_WORDS)
    return ""


def specific_pages(page_results) -> list[Page]:
    """The specific pages of one page of results, in result order (one query per page type),
    each with its locale (one query for all: the templates and the API read every result's
    language, which would be a query per result)."""
    ids = [page.pk for page in page_results]
    by_id = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    pages = [by_id[pk] for pk in ids if pk in by_id]
    locales = Locale.objects.in_bulk({page.locale_id for page in pages})
    for page in pages:
        page.locale = locales[page.locale_id]
    return pages


def label_spaces(pages: list[Page]) -> list[Page]:
    """Name each result's community (or Common Ground) in the reader's language, as
    `page.space_title`: two "Welcome pack" results are told apart by where they live. A
    result's space is one the searcher may see (its restriction is the space's own)."""
    paths = {space_path(page) for page in pages} - {None}
    spaces = list(
        Page.objects.filter(path__in=paths, depth=SPACE_DEPTH).only(
            "path", "title", "translation_key", "locale_id"
        )
    )
    # Each space's live translation in the active language, else its own title (what
    # `Page.localized` gives), for all the spaces in one query, not two per space.
    try:
        active = active_locale()
    except (LookupError, Locale.DoesNotExist):  # no locale made yet for the site's language
        active = None
    keys = [space.translation_key for space in spaces if active and space.locale_id != active.pk]
    translated = dict(
        Page.objects.filter(translation_key__in=keys, locale=active, live=True).values_list(
            "translation_key", "title"
        )
        if keys
        else ()
    )
    spaces = {space.path: translated.get(space.translation_key, space.title) for space in spaces}
    for page in pages:
        page.space_title = spaces.get(space_path(page) or "", "")
    return pages


def result_data(page, request=None) -> dict:
    """The public shape of one search hit in `/api/search/`."""
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.get_url(request),
        "type": f"{page._meta.app_label}.{page.__class__.__name__}",
        "locale": page.locale.language_code,
        "space": getattr(page, "space_title", ""),
        "snippet": _snippet(page),
    }


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Cookie, Accept-Language"
    return response


@require_GET
def search_view(request):
    """The member-facing search page."""
    context = {"query": "", "results": [], "page_obj": None, "locale": None, "error": None}
    status = HTTPStatus.OK
    try:
        query = parse_search_query(request.GET)
        context.update(query=query.text, locale=query.locale)
        if query.text:
            page_obj = paginate(search_pages(request.user, query), query, PAGE_SIZE)
            context.update(page_obj=page_obj, results=label_spaces(specific_pages(page_obj)))
    except BadSearch as error:
        context["error"] = str(error)
        status = HTTPStatus.BAD_REQUEST
    context["languages"] = settings.WAGTAIL_CONTENT_LANGUAGES
    context["all_locales"] = ALL_LOCALES
    return _private(render(request, "home/search.html", context, status=status))


@api_reading_view(
    summary="Full-text search of the pages you may see.",
    tags=["search"],
    content=JSON_CONTENT,
    parameters=(
        query_parameter("q", "The words to look for (at most 200 characters)."),
        query_parameter(
            "locale",
            f"{', '.join(content_language_codes())} or all.",
            schema={"type": "string", "enum": [*content_language_codes(), ALL_LOCALES]},
        ),
        query_parameter(
            "page",
            f"1 to {MAX_PAGE_NUMBER}.",
            schema={"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NUMBER},
        ),
    ),
)
@require_GET
def search_api(request):
    """`GET /api/search/?q=&locale=&page=`: plain JSON (`/api/v2/pages/?search=` is the other)."""
    try:
        query = parse_search_query(request.GET)
        if not query.text:
            data = {"query": "", "locale": query.locale, "count": 0, "page": 1, "results": []}
            return _private(JsonResponse(data))
        page_obj = paginate(search_pages(request.user, query), query, API_PAGE_SIZE)
    except BadSearch as error:
        return _private(JsonResponse({"message": str(error)}, status=HTTPStatus.BAD_REQUEST))
    data = {
        "query": query.text,
        "locale": query.locale,
        "count": page_obj.paginator.count,
        "page": page_obj.number,
        "num_pages": page_obj.paginator.num_pages,
        "results": [result_data(page, request) for page in label_spaces(specific_pages(page_obj))],
    }
    return _private(JsonResponse(data))


# Mounted in config/urls.py: the page inside i18n_patterns, the API outside it.
urlpatterns = [path("", search_view, name="search")]
api_urlpatterns = [path("", search_api, name="api_search")]
