"""Security headers on every kind of response (issue 6, items 1, 6 and 9)."""

from __future__ import annotations

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db

STRICT = "default-src 'self'"


def _assert_common(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url", ["/", "/your-data/", "/account/", "/search/?q=grief", "/es/", "/frontline/"]
)
def test_pages__strict_csp_and_headers(client_for, url):
    response = client_for("frontline-member").get(url)
    assert response.status_code == HTTPStatus.OK
    _assert_common(response)
    csp = response["Content-Security-Policy"]
    assert csp.startswith(STRICT)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_personal_pages__private_cache(client_for):
    for url in ("/account/", "/account/export/", "/frontline/"):
        response = client_for("frontline-member").get(url)
        assert "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url


def test_admin__scripts_stay_self_only_inline_styles_admin_only(client_for):
    for url in ("/admin/login/", "/admin/"):
        response = client_for("staff").get(url)
        _assert_common(response)
        csp = response["Content-Security-Policy"]
        assert csp.startswith(STRICT)
        assert "script-src" not in csp  # scripts fall back to default-src 'self'
        assert "style-src 'self' 'unsafe-inline'" in csp


def test_admin__only_wagtails_own_initialisers_are_allowed_by_hash(client_for, page_at):
    import base64
    import hashlib
    import re

    page = page_at("/frontline/resources/welcome-pack/")
    page.title = '<script>initDateChooser("id_x", {});</script><script>alert(1)</script>'
    page.save_revision()
    response = client_for("staff").get(f"/admin/pages/{page.pk}/edit/")
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split("; ") if part.startswith("script-src"))
    assert "unsafe-inline" not in script_src
    allowed = set(re.findall(r"'sha256-([^']+)'", script_src))
    initialisers = re.findall(
        r"<script>(initDateChooser\(\"id_last_reviewed\"[^<]*)</script>", html
    )
    assert initialisers
    for body in initialisers:
        assert base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() in allowed
    for body in ('initDateChooser("id_x", {});', "alert(1)"):
        assert base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() not in allowed


def test_json__search_api_has_headers(client_for):
    response = client_for("frontline-member").get("/api/search/?q=grief")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/json")
    _assert_common(response)
    assert response["Content-Security-Policy"].startswith(STRICT)


def test_files__keep_their_stricter_policy(client_for, demo_files):
    response = client_for("frontline-member").get(demo_files[("image", "frontline")])
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    refused = client_for("bereaved-member").get(demo_files[("image", "frontline")])
    assert refused.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


def test_production_settings__secure_cookies_and_hsts():
    from tests.site.test_settings import PRODUCTION_ENV, _manage

    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT,"
        " s.AUTHENTICATION_BACKENDS[0])"
    )
    result = _manage("shell", "-c", code, env_extra=PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "Lax",
        "True",
        "True",
        "axes.backends.AxesStandaloneBackend",
    ], result.stderr
