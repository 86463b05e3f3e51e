"""The project layout and the settings guards."""

import os
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_site_module__is_the_standard_library_one():
    """`site/` holds the Django project, but must never shadow Python's own `site` module."""
    import site

    assert sys.modules["site"] is site
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert Path(site.__file__).resolve().parent == stdlib
    assert not (ROOT / "site" / "__init__.py").exists()


def test_config__is_importable_from_site_folder():
    import config.settings.base as base

    assert Path(base.__file__).resolve().is_relative_to(ROOT / "site" / "config")


def _manage(*args, env_extra=None, drop=("SECRET_KEY", "ALLOWED_HOSTS")):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env.pop("DATABASE_URL", None)
    env["NEIGHBORHOOD_VAR_DIR"] = tempfile.mkdtemp(prefix="neighborhood-var-")
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def test_production__refuses_to_start_without_secret_key():
    result = _manage("check", env_extra={"ALLOWED_HOSTS": "neighborhood.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production__refuses_to_start_without_allowed_hosts():
    result = _manage("check", env_extra={"SECRET_KEY": "k" * 60 + "abcdefgh"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-key-" + "0123456789abcdefghij" * 3,
    "ALLOWED_HOSTS": "neighborhood.example.org",
}


def test_production__check_deploy_reports_no_issues():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [
        ("", "django.contrib.sessions.backends.db"),
        ("redis://127.0.0.1:6379/5", "django.contrib.sessions.backends.cached_db"),
    ],
)
def test_production__sessions_in_the_cache_too_only_with_redis(redis_url, engine):
    """docs/deploy.md, "Cache": sessions stay in the database; with REDIS_URL each is also kept
    in the shared cache (`cached_db`), never in an in-process cache only."""
    show = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    result = _manage("shell", "-c", show, env_extra={**PRODUCTION_ENV, "REDIS_URL": redis_url})
    assert result.returncode == 0, result.stderr
    assert engine in result.stdout.splitlines(), result.stdout


def test_production__refuses_to_load_demo_content():
    result = _manage("load_demo", env_extra=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "refused" in result.stderr


@pytest.mark.parametrize(
    ("setting", "expected"),
    [("WAGTAIL_ENABLE_UPDATE_CHECK", False), ("WAGTAIL_GRAVATAR_PROVIDER_URL", None)],
)
def test_settings__no_requests_to_other_origins(settings, setting, expected):
    assert getattr(settings, setting) == expected


def test_base_settings__safe_by_default():
    import config.settings.base as base

    assert base.DEBUG is False
    assert base.ALLOWED_HOSTS == []
