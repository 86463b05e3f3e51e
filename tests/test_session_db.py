"""The kept test database is read only while nothing it was built from has changed."""

from __future__ import annotations

import pytest

from tests import session_db


@pytest.fixture
def project(tmp_path, settings):
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("operations = []\n")
    (tmp_path / "app" / "templates").mkdir()
    (tmp_path / "app" / "templates" / "page.html").write_text("<p>hello</p>\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text("def test(): pass\n")
    settings.BASE_DIR = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    "change, new_key",
    [
        (lambda root: (root / "app" / "migrations" / "0002_more.py").write_text("x = 1\n"), True),
        (lambda root: (root / "app" / "migrations" / "0001_initial.py").write_text("y=2\n"), True),
        (lambda root: (root / "app" / "locale.po").write_text('msgid "a"\n'), True),
        (lambda root: (root / "app" / "templates" / "page.html").write_text("<p>hi</p>\n"), False),
        (lambda root: (root / "tests" / "test_app.py").write_text("def test(): 1\n"), False),
    ],
    ids=["migration-added", "migration-edited", "catalog-added", "template", "a-test"],
)
def test_cache_key__changes_with_what_the_database_is_built_from(project, change, new_key):
    before = session_db.cache_key()
    assert session_db.cache_key() == before  # stable while nothing changes
    change(project)
    assert (session_db.cache_key() != before) is new_key


def test_cache_key__changes_with_a_setting(project, settings):
    before = session_db.cache_key()
    settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]
    assert session_db.cache_key() != before


def test_cache_key__changes_with_the_hour(project, monkeypatch):
    before = session_db.cache_key()
    later = session_db.time.gmtime(session_db.time.time() + 3600)
    monkeypatch.setattr(session_db.time, "gmtime", lambda *args: later)
    assert session_db.cache_key() != before


@pytest.mark.parametrize(
    "change, new_key",
    [
        (lambda root: (root / "app" / "migrations" / "0002_more.py").write_text("x = 1\n"), True),
        (lambda root: (root / "app" / "migrations" / "0001_initial.py").write_text("y=2\n"), True),
        (lambda root: (root / "app" / "models.py").write_text("class Meta: pass\n"), True),
        (lambda root: (root / "app" / "models" / "more.py").write_text("z = 3\n"), True),
        (lambda root: (root / "app" / "apps.py").write_text("name = 'app'\n"), True),
        (lambda root: (root / "app" / "views.py").write_text("def view(): pass\n"), False),
        (lambda root: (root / "app" / "locale.po").write_text('msgid "a"\n'), False),
        (lambda root: (root / "app" / "templates" / "page.html").write_text("<p>hi</p>\n"), False),
        (lambda root: (root / "tests" / "test_app.py").write_text("def test(): 1\n"), False),
    ],
    ids=[
        "migration-added",
        "migration-edited",
        "models",
        "models-package",
        "apps",
        "view",
        "catalog",
        "template",
        "a-test",
    ],
)
def test_schema_key__changes_only_with_what_migrating_depends_on(project, change, new_key):
    """The migrated database kept before the demo: a view or a catalog (which change the full
    key) leave it; migrations and models do not."""
    (project / "app" / "models").mkdir()
    before = session_db.schema_key()
    assert session_db.schema_key() == before
    change(project)
    assert (session_db.schema_key() != before) is new_key


def test_schema_key__changes_with_a_setting_not_with_the_hour(project, settings, monkeypatch):
    before = session_db.schema_key()
    later = session_db.time.gmtime(session_db.time.time() + 3600)
    monkeypatch.setattr(session_db.time, "gmtime", lambda *args: later)
    assert session_db.schema_key() == before
    settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English")]
    assert session_db.schema_key() != before
