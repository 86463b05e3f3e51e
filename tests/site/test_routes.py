"""What `core/routes.py` reads from the URL configuration (docs/architecture.md, "URL knowledge,
written once"): the lists that used to be kept by hand, derived, and equal to what they were."""

from __future__ import annotations

from django.urls import resolve

from core import routes


def test_bearer_path_prefixes__the_reading_urls_outside_drf():
    assert routes.bearer_path_prefixes() == ("/api/search/", "/documents/", "/feeds/", "/images/")


def test_api_reading_endpoints__described_at_their_real_addresses():
    endpoints = dict(routes.api_reading_endpoints())
    assert set(endpoints) == {
        "/api/search/",
        "/documents/{document_id}/{filename}",
        "/images/{image_id}/original/",
        "/images/{image_id}/{rendition_id}/",
        "/feeds/public/meetings.json",
        "/feeds/{space_slug}/meetings.json",
        "/feeds/{space_slug}/meetings.ics",
        "/feeds/{space_slug}/groups/{group_slug}.ics",
    }
    rendition = endpoints["/images/{image_id}/{rendition_id}/"]["parameters"]
    assert [(p["name"], p["in"], p["schema"]["type"]) for p in rendition] == [
        ("image_id", "path", "integer"),
        ("rendition_id", "path", "integer"),
    ]
    # Each documented address is served by the view that carries its description.
    for path, spec in endpoints.items():
        concrete = path.replace("{document_id}", "1").replace("{filename}", "a.pdf")
        for name in ("image_id", "rendition_id"):
            concrete = concrete.replace("{" + name + "}", "1")
        for name in ("space_slug", "group_slug"):
            concrete = concrete.replace("{" + name + "}", "frontline")
        assert getattr(resolve(concrete).func, "api_reading", None) is not None, path
        assert spec["summary"] and spec["tags"]


def test_reserved_space_slugs__every_address_outside_the_page_tree():
    reserved = routes.reserved_space_slugs()
    top_level = {"admin", "documents", "images", "feeds", "api", "account", "search", "join"}
    assert top_level | {"invitation", "leave", "your-data"} <= reserved
    assert "public" in reserved  # /feeds/public/ sits where /feeds/<space_slug>/ does
    assert {"en", "es", "pt", "static", "media"} <= reserved
    assert "frontline" not in reserved and "elections" not in reserved
