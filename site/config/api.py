"""The API wiring at /api/: Wagtail v2-compatible endpoints at /api/v2/ (pages, images,
documents), each app's endpoints, and the OpenAPI schema and docs. See docs/api.md.

Nothing is defined here: the base pieces and the pages and documents endpoints are `core/api/`,
the images endpoint `resources/api.py`, and each app's own endpoints (with their URLs) its
`api.py`. A new endpoint goes in its app's `api.py` `urlpatterns`; a new app's list is included
below.
"""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from wagtail.api.v2.router import WagtailAPIRouter

from community_pages import api as community_api
from core.api.documents import NeighborhoodDocumentsAPIViewSet
from core.api.pages import NeighborhoodPagesAPIViewSet
from core.api.schema import APIDocsView
from core.api.views import not_found
from home import api as home_api
from resources.api import NeighborhoodImagesAPIViewSet
from workflows.api import drafts as drafts_api
from workflows.api import elections as elections_api
from workflows.api import reviews as reviews_api
from workflows.conversations import api as conversations_api
from workflows.conversations import api_moderation as conversations_moderation_api
from workflows.gatherings import api as gatherings_api
from workflows.proposals import api as proposals_api
from workflows.remembrance import api as remembrance_api

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", NeighborhoodPagesAPIViewSet)
api_router.register_endpoint("images", NeighborhoodImagesAPIViewSet)
api_router.register_endpoint("documents", NeighborhoodDocumentsAPIViewSet)

v2_urlpatterns = [
    path("", include((api_router.get_urlpatterns(), "wagtailapi"), namespace="wagtailapi")),
    *community_api.urlpatterns,
    *home_api.urlpatterns,
    path("elections/", include(elections_api.urlpatterns)),
    *drafts_api.urlpatterns,
    *reviews_api.urlpatterns,
    *remembrance_api.urlpatterns,
    *conversations_api.urlpatterns,
    *conversations_moderation_api.urlpatterns,
    *gatherings_api.urlpatterns,
    *proposals_api.urlpatterns,
]

# Mounted at /api/ by config/urls.py (outside the language prefix).
urlpatterns = [
    path("v2/", include(v2_urlpatterns)),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view loads its script from the app (no inline script, no CDN): CSP-friendly.
    path("docs/", APIDocsView.as_view(url_name="api_schema"), name="api_docs"),
    # Last: any other address (a path id that is not a number, `/api/v2/pages/abc/`) gets the
    # API's JSON 404, never the site's HTML page. Only addresses ending in "/", so that Django's
    # APPEND_SLASH still redirects `/api/v2/pages` to `/api/v2/pages/`.
    re_path(r"^[\s\S]*/$", not_found, name="api_not_found"),
]
