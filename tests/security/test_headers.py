"""Security headers on every kind of response: the policy, caching, nosniff and framing."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from core import csp

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


def _nonced(response) -> tuple[str, list[str], list[str]]:
    """(the admin response's nonce, the inline scripts that carry it, those that do not)."""
    import re

    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split("; ") if part.startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "strict-dynamic" not in script_src
    nonce = re.fullmatch(r"script-src 'self' 'nonce-([\w-]{24})'", script_src).group(1)
    html = response.content.decode()
    tagged = re.findall(rf'<script nonce="{nonce}">([^<]*)</script>', html)
    bare = re.findall(r"<script>([^<]*)</script>", html)
    return nonce, tagged, bare


def test_admin__only_wagtails_own_initialisers_get_the_nonce(client_for, page_at):
    page = page_at("/frontline/resources/welcome-pack/")
    page.title = '<script>initDateChooser("id_x", {});</script><script>alert(1)</script>'
    page.save_revision()
    response = client_for("staff").get(f"/admin/pages/{page.pk}/edit/")
    nonce, tagged, bare = _nonced(response)
    assert any(body.startswith('initDateChooser("id_last_reviewed", {') for body in tagged)
    assert all(csp.ADMIN_INITIALISER.fullmatch(b) for b in tagged)
    # The hostile title is escaped, so it is no script at all, and nothing of it is tagged.
    assert "alert(1)" not in "".join(tagged + bare)
    assert int(response["Content-Length"]) == len(response.content)
    # A fresh nonce for every response.
    assert _nonced(client_for("staff").get(f"/admin/pages/{page.pk}/edit/"))[0] != nonce


def test_admin__support_group_editor_inline_panels_get_the_nonce(client_for, page_at):
    """The InlinePanel set-up, the date pickers in its rows (ids escaped by `escapejs`) and in the
    empty row's template (`__prefix__`, copied by "Add"): all run, so all carry the nonce."""
    group = page_at("/frontline/groups/smart-recovery/")
    for url in (
        f"/admin/pages/{group.pk}/edit/",
        f"/admin/pages/add/community_pages/supportgrouppage/{group.get_parent().pk}/",
    ):
        _nonce, tagged, bare = _nonced(client_for("frontline-editor").get(url))
        assert bare == [], url
        text = "\n".join(tagged)
        assert text.count('var panel = new InlinePanel(JSON.parse("{\\u0022type\\u0022') == 2
        for prefix in ("schedule_rules", "cancellations"):
            assert f"\\u0022formsetPrefix\\u0022: \\u0022id_{prefix}\\u0022" in text
            assert f'initDateChooser("id_{prefix}\\u002D__prefix__\\u002Don", {{' in text
        assert 'initDateChooser("id_schedule_rules\\u002D0\\u002Don", {' in text


@pytest.mark.parametrize(
    ("body", "allowed"),
    [
        ('initDateChooser("id_on", {"format": "Y-m-d"});', True),
        ('initDateChooser("id_on", {"format": "Y-m-d"}); alert(1);', False),
        ('initTimeChooser("id_start_time", {"format": "H:i"});', True),
        ('initTimeChooser("id_start_time" + alert(1), {});', False),
        ('initDateTimeChooser("id_go_live_at", {"parentID": "#dialog"});', True),
        ('initDateTimeChooser("id_go_live_at", {"a": {"b": alert(1)}});', False),
        ('initDateChooser("id_rules\\u002D__prefix__\\u002Don", {});', True),
        ('initDateChooser("id_rules\\u0022);alert(1);//", {});', False),
        ('new DocumentChooser("id_document", {"modalUrl": "/admin/documents/chooser/"});', True),
        ('new Function("alert(1)")("id_document", {});', False),
        (
            '\n  (function() {\n    var panel = new InlinePanel(JSON.parse("{\\u0022type\\u0022:'
            ' 1}"));\n  })();\n',
            True,
        ),
        (
            '\n  (function() {\n    var panel = new InlinePanel(JSON.parse("{}"));'
            " alert(1);\n  })();\n",
            False,
        ),
        ('(function() { var panel = new InlinePanel(JSON.parse("" + alert(1) + "")); })();', False),
        ("alert(1)", False),
    ],
)
def test_admin__initialiser_shapes(rf, body, allowed):
    """Each accepted shape next to the same shape bent to run something else."""
    from django.http import HttpResponse

    from core.middleware import ContentSecurityPolicyMiddleware

    html = f"<p>x</p><script>{body}</script><script type=module>{body}</script>"
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(html))
    response = middleware(rf.get("/admin/pages/1/edit/"))
    csp = response["Content-Security-Policy"]
    content = response.content.decode()
    if allowed:
        nonce = csp.split("'nonce-")[1].split("'")[0]
        assert content == html.replace("<script>", f'<script nonce="{nonce}">', 1)
    else:
        assert "script-src" not in csp and content == html
    # The same text on a member page: never a nonce, never an inline script.
    member = ContentSecurityPolicyMiddleware(lambda request: HttpResponse(html))(rf.get("/x/"))
    assert member.content.decode() == html
    assert "script-src" not in member["Content-Security-Policy"]


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
