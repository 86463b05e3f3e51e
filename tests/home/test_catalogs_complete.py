"""Every interface string the code and templates mark is in the Spanish and Portuguese catalogs,
translated (issue 15): what `make messages` would extract, read here the way it reads it
(Python's `ast` for code, Django's own `templatize` for templates), so a string added without
its translations fails the suite, not only CI's `make messages` step (.ci/run)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "tests", "var", "node_modules", ".git", "locale"}
MARKERS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
}
TEMPLATE_CALL = re.compile(
    r"\b(n?gettext|pgettext)\((u?'(?:[^'\\]|\\.)*')(?:,\s*(u?'(?:[^'\\]|\\.)*'))?"
)


def _files(pattern: str):
    for path in ROOT.rglob(pattern):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def _python_strings() -> set[str]:
    found = set()
    for path in _files("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = MARKERS.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


def _template_strings() -> set[str]:
    found = set()
    for path in _files("*.html"):
        for function, first, second in TEMPLATE_CALL.findall(templatize(path.read_text())):
            literal = second if function == "pgettext" else first
            found.add(ast.literal_eval(literal.lstrip("u")))
    return found


@pytest.fixture(scope="module")
def marked() -> set[str]:
    return {text for text in _python_strings() | _template_strings() if text.strip()}


def test_extraction__finds_strings_in_code_and_templates(marked):
    assert "Skip to content" in marked  # base.html
    assert "Morning (before noon)" in marked  # community_pages/forms.py
    assert "This page is in %(language)s: it has not been translated into your language yet." in (
        marked
    )


@pytest.mark.parametrize("language", ["es", "pt"])
def test_catalogs__every_marked_string_is_translated(marked, language):
    catalog = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    translated = {
        entry.msgid
        for entry in catalog
        if not entry.obsolete and entry.translated() and "fuzzy" not in entry.flags
    }
    missing = sorted(marked - translated)
    assert missing == [], f"{len(missing)} strings without a {language} translation: {missing}"
