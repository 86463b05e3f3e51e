"""The site of a page request, read with its root page specific in one query
(core/site_lookup.py), is the site Wagtail itself would choose: same rules, same answers, for
every kind of match and for none."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from core.site_lookup import site_for_hostname, site_for_request
from home.models import HomePage

HOSTS = [
    ("localhost", 80),
    ("localhost", 8000),
    ("testserver", 80),
    ("a.example", 80),
    ("a.example", 8080),
    ("b.example", 80),
    ("b.example", 443),
    ("c.example", 80),
    ("unknown.example", 80),
]


def _wagtails(hostname: str, port: int) -> int | None:
    try:
        return get_site_for_hostname(hostname, port).pk
    except Site.DoesNotExist:
        return None


def _ours(hostname: str, port: int) -> int | None:
    try:
        return site_for_hostname(hostname, port).pk
    except Site.DoesNotExist:
        return None


def _same_choice_everywhere():
    for hostname, port in HOSTS:
        assert _ours(hostname, port) == _wagtails(hostname, port), (hostname, port)


@pytest.mark.parametrize(
    "extra",
    [
        [],  # the demo's one default site
        [("a.example", 80, False)],
        [("a.example", 80, False), ("a.example", 8080, False)],
        [("b.example", 80, False), ("b.example", 443, False), ("c.example", 80, False)],
    ],
)
def test_site_lookup__chooses_the_site_wagtail_chooses(db, extra):
    root = Site.objects.get(is_default_site=True).root_page
    for hostname, port, default in extra:
        Site.objects.create(hostname=hostname, port=port, root_page=root, is_default_site=default)
    _same_choice_everywhere()


def test_site_lookup__without_a_default_site_an_unknown_host_has_none_as_in_wagtail(db):
    root = Site.objects.get(is_default_site=True).root_page
    Site.objects.update(is_default_site=False)
    Site.objects.create(hostname="a.example", port=80, root_page=root)
    _same_choice_everywhere()
    request = RequestFactory().get("/", HTTP_HOST="unknown.example")
    assert site_for_request(request) is None


def test_site_lookup__the_root_page_is_specific_and_fresh(db):
    site = site_for_hostname("localhost", 80)
    wagtails = get_site_for_hostname("localhost", 80)
    assert site.pk == wagtails.pk
    assert type(site.root_page) is HomePage
    assert site.root_page.pk == wagtails.root_page_id
    assert site.root_page.title == wagtails.root_page.specific.title
    assert site.root_page.intro == wagtails.root_page.specific.intro
    # Read afresh on each request: a change is seen at once.
    Page.objects.filter(pk=site.root_page.pk).update(title="Renamed")
    assert site_for_hostname("localhost", 80).root_page.title == "Renamed"


def test_site_lookup__a_page_request_reads_the_site_once_and_no_locale_by_code(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get("/about/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/about/").status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "wagtailcore_site"' in q for q in sql) == 1
    assert not any('"wagtailcore_locale"."language_code" =' in q for q in sql)
