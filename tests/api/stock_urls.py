"""The project's URLs plus stock Wagtail API v2 at /api/stock/, to compare with (tests, bench)."""

from django.urls import include, path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from config.urls import handler403, handler404
from config.urls import urlpatterns as project_urlpatterns

stock_router = WagtailAPIRouter("stockapi")
stock_router.register_endpoint("pages", PagesAPIViewSet)
stock_router.register_endpoint("images", ImagesAPIViewSet)
stock_router.register_endpoint("documents", DocumentsAPIViewSet)

urlpatterns = [
    path("api/stock/", include((stock_router.get_urlpatterns(), "stockapi"), namespace="stockapi")),
    *project_urlpatterns,
]

__all__ = ["handler403", "handler404", "urlpatterns"]
