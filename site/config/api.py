"""The API wiring: Wagtail v2-compatible endpoints at /api/v2/, the member endpoints, and the
OpenAPI schema and docs. See docs/api.md.

Wagtail's own v2 viewsets decide visibility themselves: `PagesAPIViewSet.get_base_queryset`
loops over every view restriction (`wagtail/api/querysets.py`, 3N+11 queries for a visitor,
6N+31 for a member) and honours sessions only; images and documents exclude restricted
collections the same way. Here each of them asks the one rule instead (`visible_pages`,
`visible_files`), read once per request, for the session's or the Bearer token's user. The
relational filters (`child_of`, `descendant_of`, `ancestor_of`, `translation_of`) and `find`
resolve their target through `get_base_queryset()`, so a page the requester may not see answers
exactly like one that does not exist. Response shapes are Wagtail's.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.urls import include, path
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, Site

from community_pages import api as community_api
from community_pages.models import SupportGroupPage
from community_pages.visibility import (
    visible_files,
    visible_pages,
    visible_pages_searchable,
)
from home import api as home_api
from home.api import NeighborhoodAPIMixin
from resources.api import ImageDownloadUrlField
from workflows import api as elections_api

MAX_OFFSET = 1_000_000


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


# Pages ---------------------------------------------------------------------------------------

_PAGE_LIST_PARAMETERS = [
    OpenApiParameter("type", str, description="A page type, e.g. resources.ResourcePage."),
    OpenApiParameter("fields", str, description="Fields to add or remove, e.g. summary,-title."),
    OpenApiParameter("child_of", str, description="A page id, or 'root'."),
    OpenApiParameter("descendant_of", str, description="A page id, or 'root'."),
    OpenApiParameter("ancestor_of", int),
    OpenApiParameter("translation_of", str),
    OpenApiParameter("locale", str, description="en, es or pt."),
    OpenApiParameter("search", str),
    OpenApiParameter("search_operator", str, enum=["and", "or"]),
    OpenApiParameter("order", str, description="A field, -field, or 'random'."),
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
    OpenApiParameter("site", str),
]


class NeighborhoodPagesAPIViewSet(V2Mixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, showing each requester exactly what they may view."""

    @extend_schema(
        operation_id="pages_list",
        summary="List the pages you may see (Wagtail API v2 shape).",
        parameters=_PAGE_LIST_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
        tags=["pages"],
    )
    def listing_view(self, request):
        return super().listing_view(request)

    @extend_schema(
        operation_id="pages_detail",
        summary="A page you may see.",
        parameters=[OpenApiParameter("fields", str)],
        responses=OpenApiTypes.OBJECT,
        tags=["pages"],
    )
    def detail_view(self, request, pk):
        return super().detail_view(request, pk)

    @extend_schema(
        operation_id="pages_find",
        summary="Redirect to a page's detail URL, by html_path or id.",
        parameters=[OpenApiParameter("html_path", str), OpenApiParameter("id", int)],
        responses={302: None, 404: OpenApiTypes.OBJECT},
        tags=["pages"],
    )
    def find_view(self, request):
        return super().find_view(request)

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
        if "search" not in self.request.GET:
            return scoped
        # A search backend filters only on indexed fields: the same rule as `pk IN (...)`.
        return visible_pages_searchable(
            self.request.user, queryset.filter(pk__in=scoped.values("pk"))
        )

    def get_base_queryset(self):
        if not hasattr(self, "_base_queryset"):
            self._base_queryset = self._visible(Page.objects.all())
        return self._base_queryset

    def get_queryset(self):
        try:
            models_type = self.request.GET.get("type", None)
            models = models_type and page_models_from_string(models_type) or []
        except (LookupError, ValueError) as error:
            raise BadRequestError("type doesn't exist") from error
        if not models:
            return self.get_base_queryset().select_related("locale")
        if len(models) == 1:
            # The specific model, so that its own API fields may be filtered on.
            queryset = self._visible(models[0].objects.all()).select_related("locale")
            if issubclass(models[0], SupportGroupPage):  # its schedule, without N+1 queries
                queryset = queryset.prefetch_related("schedule_rules", "cancellations")
            return queryset
        return self.get_base_queryset().type(*models).select_related("locale")

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


# Images and documents ------------------------------------------------------------------------


class _FilesMixin(V2Mixin):
    def get_queryset(self):
        files = visible_files(self.request.user, self.model.objects.all())
        if "search" in self.request.GET:  # search backends filter on indexed fields only
            return self.model.objects.filter(pk__in=files.values("pk")).order_by("id")
        return files.order_by("id")


class PrivateImageSerializer(ImageSerializer):
    download_url = ImageDownloadUrlField()


_FILE_LIST_PARAMETERS = [
    *(OpenApiParameter(name, str) for name in ("fields", "search", "search_operator", "order")),
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
]


def _file_schema(name: str) -> type:
    """The OpenAPI description of a files endpoint (Wagtail's action names are not REST's)."""

    class FileSchemaMixin:
        @extend_schema(
            operation_id=f"{name}_list",
            parameters=_FILE_LIST_PARAMETERS,
            responses=OpenApiTypes.OBJECT,
        )
        def listing_view(self, request):
            return super().listing_view(request)

        @extend_schema(
            operation_id=f"{name}_detail",
            parameters=[OpenApiParameter("fields", str)],
            responses=OpenApiTypes.OBJECT,
        )
        def detail_view(self, request, pk):
            return super().detail_view(request, pk)

        @extend_schema(
            operation_id=f"{name}_find",
            parameters=[OpenApiParameter("id", int)],
            responses={302: None, 404: OpenApiTypes.OBJECT},
        )
        def find_view(self, request):
            return super().find_view(request)

    return FileSchemaMixin


@extend_schema(tags=["images"])
class NeighborhoodImagesAPIViewSet(_file_schema("images"), _FilesMixin, ImagesAPIViewSet):
    """Images in collections you may see; `download_url` goes through the membership check."""

    base_serializer_class = PrivateImageSerializer


@extend_schema(tags=["documents"])
class NeighborhoodDocumentsAPIViewSet(_file_schema("documents"), _FilesMixin, DocumentsAPIViewSet):
    """Documents in collections you may see; `download_url` goes through the membership check."""


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
        response["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'; object-src 'none'"
        )
        return response


# Routing -------------------------------------------------------------------------------------

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", NeighborhoodPagesAPIViewSet)
api_router.register_endpoint("images", NeighborhoodImagesAPIViewSet)
api_router.register_endpoint("documents", NeighborhoodDocumentsAPIViewSet)

v2_urlpatterns = [
    path("", include((api_router.get_urlpatterns(), "wagtailapi"), namespace="wagtailapi")),
    path("account/", community_api.AccountView.as_view(), name="api_account"),
    path("account/export/", home_api.ExportView.as_view(), name="api_account_export"),
    path("account/tokens/", home_api.TokenListView.as_view(), name="api_tokens"),
    path(
        "account/tokens/<int:token_id>/",
        home_api.TokenDetailView.as_view(),
        name="api_token_detail",
    ),
    path("schedule/", community_api.ScheduleView.as_view(), name="api_schedule"),
    path("feeds/", community_api.FeedsView.as_view(), name="api_feeds"),
    path("join-requests/", community_api.JoinRequestListView.as_view(), name="api_join_requests"),
    path(
        "join-requests/<int:join_request_id>/decide/",
        community_api.JoinRequestDecideView.as_view(),
        name="api_join_request_decide",
    ),
]

election_urlpatterns = [
    path("", elections_api.ElectionListView.as_view(), name="api_elections"),
    path("<int:election_id>/", elections_api.ElectionDetailView.as_view(), name="api_election"),
    path(
        "<int:election_id>/nominations/",
        elections_api.NominateView.as_view(),
        name="api_election_nominate",
    ),
    path(
        "<int:election_id>/nominations/<int:nomination_id>/respond/",
        elections_api.RespondView.as_view(),
        name="api_election_respond",
    ),
    path("<int:election_id>/vote/", elections_api.VoteView.as_view(), name="api_election_vote"),
    path(
        "<int:election_id>/results/",
        elections_api.ResultsView.as_view(),
        name="api_election_results",
    ),
    path("<int:election_id>/close/", elections_api.CloseView.as_view(), name="api_election_close"),
    path(
        "<int:election_id>/certify/",
        elections_api.CertifyView.as_view(),
        name="api_election_certify",
    ),
]
v2_urlpatterns.append(path("elections/", include(election_urlpatterns)))

# Mounted at /api/ by config/urls.py (outside the language prefix).
urlpatterns = [
    path("v2/", include(v2_urlpatterns)),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view loads its script from the app (no inline script, no CDN): CSP-friendly.
    path("docs/", APIDocsView.as_view(url_name="api_schema"), name="api_docs"),
]
# The member page, inside the language prefix under /account/.
account_urlpatterns = [
    path("api-tokens/", home_api.account_api_tokens, name="account_api_tokens"),
]
