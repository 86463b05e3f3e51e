"""The app with a Redis cache (REDIS_URL), as processes: `load_demo`, then two servers sharing
one database and one Redis, and a privacy change made by a third process (docs/deploy.md,
"Cache"). A server that kept the old restriction index would still show the member the space.

The processes share the test database, so this runs on PostgreSQL (the SQLite test database
lives in the test process's memory), as a transactional test with its own cache key prefix.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.site.redis_support import REDIS_URL, require_redis

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "redis-app-test-password-42"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="app processes share the test database"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App:
    def __init__(self, tmp: Path):
        db = connection.settings_dict
        database = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}},
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": database,
            "NEIGHBORHOOD_VAR_DIR": str(tmp),
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": f"test-app-{uuid.uuid4().hex}",
            "DEMO_PASSWORD": PASSWORD,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        self.servers: list[subprocess.Popen] = []

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def serve(self) -> str:
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.servers.append(server)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/", timeout=5)  # noqa: S310
                return base
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        raise AssertionError(f"the server on {base} did not answer")

    def stop(self) -> None:
        for server in self.servers:
            server.terminate()
            server.wait(timeout=20)


class Browser:
    """A member's session, valid on every server (sessions live in the shared database)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str, headers: dict | None = None) -> tuple[int, str]:
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, base: str, username: str) -> None:
        status, body = self.get(base + "/account/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        ).encode()
        request = urllib.request.Request(  # noqa: S310
            base + "/account/login/", data=data, headers={"Referer": base + "/account/login/"}
        )
        with self.opener.open(request, timeout=30) as response:
            assert response.status == 200
        assert any(cookie.name == "sessionid" for cookie in self.jar)


MAKE_TOKEN = (
    "from django.contrib.auth import get_user_model; from wagtail.models import APIToken; "
    "print(APIToken.create_token(user=get_user_model().objects.get(username='frontline-member'),"
    " name='redis-app')[1])"
)
REMOVE_MEMBERS = (
    "from wagtail.models import PageViewRestriction; "
    "from community_pages.models import CommunityPage; "
    "page = CommunityPage.objects.get(url_path='/home/frontline/'); "
    "[r.groups.remove(page.community.members_group) for r in PageViewRestriction.objects.filter("
    "page__translation_key=page.translation_key)]"
)


def _frontline_pages(browser: Browser, base: str, token: str) -> list[str]:
    status, body = browser.get(
        base + "/api/v2/pages/?limit=100", headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 200, body
    urls = [page["meta"].get("html_url") or "" for page in json.loads(body)["items"]]
    return [url for url in urls if "/frontline/" in url]


@pytest.mark.django_db(transaction=True)
def test_redis_app__serves_pages_and_api__and_a_privacy_change_reaches_both_servers_at_once(
    demo_loaded, tmp_path
):
    require_redis()
    app = App(tmp_path)
    try:
        _run(app)
    finally:
        app.stop()


def _run(app: App) -> None:
    assert "Demo Neighborhood loaded" in app.manage("load_demo")
    app.bases = [app.serve(), app.serve()]
    token = app.manage("shell", "-v", "0", "-c", MAKE_TOKEN).strip().splitlines()[-1]
    member = Browser()
    member.sign_in(app.bases[0], "frontline-member")
    for base in app.bases:
        assert Browser().get(base + "/")[0] == 200
        assert member.get(base + "/frontline/resources/")[0] == 200
        assert _frontline_pages(member, base, token), "the member's API sees the community"

    app.manage("shell", "-c", REMOVE_MEMBERS)  # a third process: staff changes the privacy

    for base in app.bases:
        assert member.get(base + "/frontline/resources/")[0] == 404
        assert not _frontline_pages(member, base, token)
