"""The site a page request is for, with its root page already specific: one query.

Wagtail's page serving (`Page.route_for_request`) finds the site (one query, the root page
joined as a plain `Page`), then asks the root page for its translation in the active language
(`Locale.get_active()`: a query for the locale) and for its specific form (a query for its
type's row): three queries on every page, before the routing reads the first address segment.

`SiteOncePerRequestMiddleware` finds the site before Wagtail's `serve` view runs and leaves it
where Wagtail keeps the site of a request (`request._wagtail_site`, which
`Site.find_for_request` reads first): the same site, chosen by the same rules as Wagtail's
`get_site_for_hostname` (`site_for_hostname` below, checked against it in
tests/site/test_site_lookup.py), read with its root page's own row joined. The root page is then
specific, and its translation is looked up through `core.models.BasePage.localized_draft`, from
the request's one read of the locales (`core.languages`), which the page reads anyway.

Nothing is kept beyond the request: a change to a site or its root page is seen on the next
request, on every server, as before.
"""

from __future__ import annotations

from functools import cache

from django.db.models import Case, IntegerField, Q, When
from django.http.request import split_domain_port
from wagtail.models import Page, Site, get_page_models
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)
from wagtail.views import serve


@cache
def _root_type_accessors() -> dict[type[Page], str]:
    """{page type: its reverse parent link on Page} for the page types that may be a site's
    root (those allowed under the tree's root), when their table is directly under Page's."""
    return {
        model: model._meta.get_ancestor_link(Page).remote_field.get_accessor_name()
        for model in get_page_models()
        if model is not Page
        and model._meta.get_parent_list() == [Page]
        and Page in model.allowed_parent_page_models()
    }


def site_for_hostname(hostname: str, port: int) -> Site:
    """`wagtail.models.sites.get_site_for_hostname`, the same query and the same choice, with
    the root page's own row joined: `site.root_page` is specific for its type when that type is
    one a root may have (`_root_type_accessors`), else the plain page, as Wagtail's."""
    accessors = _root_type_accessors()
    sites = list(
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            )
        )
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related("root_page", *(f"root_page__{name}" for name in accessors.values()))
    )
    site = None
    if sites:
        if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            site = sites[0]
        elif sites[0].match == MATCH_DEFAULT:
            site = sites[len(sites) == 2]
    if site is None:
        raise Site.DoesNotExist()
    root = site.root_page
    accessor = accessors.get(root.specific_class)
    specific = getattr(root, accessor, None) if accessor else None
    if specific is not None:
        site.root_page = specific
    return site


def site_for_request(request) -> Site | None:
    """`Site._find_for_request(request)`, by `site_for_hostname`."""
    hostname = split_domain_port(request._get_raw_host())[0]
    try:
        return site_for_hostname(hostname, request.get_port())
    except Site.DoesNotExist:
        return None


class SiteOncePerRequestMiddleware:
    """Before Wagtail serves a page, the request's site with its root page specific (above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is serve and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for_request(request)
        return None
