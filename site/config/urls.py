from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from community_pages import urls as community_urls
from config import api
from core import health
from home import search
from home import urls as account_urls
from home import views as home_views
from resources import urls as resources_urls
from resources import views as resources_views

# Member-facing error pages (403 explains how to ask to join; never the login form again).
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
# The database being down is a short 503 with Retry-After; anything else the plain 500.
handler500 = "core.health.server_error"

urlpatterns = [
    # For load balancers (docs/deploy.md, "Health"): liveness, and readiness of the database,
    # cache and file storage. Neither says anything about communities or people.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    # Documents are served by Wagtail's view, wrapped so that every refusal is the one 404; our
    # before_serve_document hook checks membership (docs/privacy.md, "Files").
    re_path(r"^documents/(\d+)/(.*)$", resources_views.document, name="wagtaildocs_serve"),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        resources_views.password_form_not_found,
        name="wagtaildocs_authenticate_with_password",
    ),
    # Images and renditions are served only through a view that checks membership.
    path("images/", include(resources_urls)),
    # Calendar and Meeting Guide feeds: one address whatever the language (docs/feeds.md).
    path("feeds/", include("community_pages.feed_urls")),
    # Plain JSON search (also `/api/v2/pages/?search=`); the language is a `locale` parameter.
    path("api/search/", include(search.api_urlpatterns)),
    # The headless API: Wagtail v2-compatible pages, images, documents, and more (docs/api.md).
    path("api/", include(api.urlpatterns)),
]

urlpatterns += i18n_patterns(
    path("account/", include(account_urls)),
    path("search/", include(search.urlpatterns)),
    # What is stored, who sees it, how long, how to export or delete it (docs/data-protection.md).
    path("your-data/", home_views.your_data, name="your_data"),
    # Community tools, outside the page tree: /gatherings/<space>/, /proposals/<space>/.
    path("", include("workflows.gatherings.urls")),
    path("", include("workflows.proposals.urls")),
    # Community tools, outside the page tree: /conversations/<space slug>/...
    path("conversations/", include("workflows.conversations.urls")),
    path("", include(community_urls)),
    # Remembrance, with consent: /remembrance/<community>/ (docs/community-tools.md).
    path("", include("workflows.remembrance.urls")),
    # Elections inside each community: /<community>/elections/ (docs/elections.md).
    path("", include("workflows.urls")),
    # Password restrictions are switched off; Wagtail's form would confirm page and restriction ids.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        resources_views.password_form_not_found,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
