"""The API wiring at /api/: Wagtail v2-compatible endpoints at /api/v2/ (pages, images,
documents), each app's endpoints, and the OpenAPI schema and docs. See docs/api.md.

Every endpoint lives below: the base pieces and the pages and documents endpoints in
`core/api/`, the images endpoint in `resources/api.py`, each app's own endpoints in its `api.py`.
"""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from wagtail.api.v2.router import WagtailAPIRouter

from community_pages import api as community_api
from core.api.documents import NeighborhoodDocumentsAPIViewSet
from core.api.pages import NeighborhoodPagesAPIViewSet
from core.api.schema import APIDocsView
from home import api as home_api
from home import views as home_views
from resources.api import NeighborhoodImagesAPIViewSet
from workflows import api as elections_api

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
    path("api-tokens/", home_views.account_api_tokens, name="account_api_tokens"),
]
