"""The app dependency graph (docs/architecture.md, "Which app may import which").

Imports point one way: each app imports only the apps in the layers below it, so a new upward
import fails here, in CI, instead of becoming an import cycle that a function-level import has
to hide. Every module of each app is read with `ast` (nothing is imported), module-level and
function-level imports alike; migrations are history and are not read.

An import inside a function is allowed only with a comment, on its line or just above, that
says why it cannot be at the top: the `cycle:` it breaks (inside one app), or that it waits for
the `app registry` (an `AppConfig.ready` import, or a library that loads models on import).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# From the bottom layer up. Each app may import the apps listed for it, and nothing else of ours.
LAYERS = ["core", "community_pages", "resources", "workflows", "home", "config"]
ALLOWED = {app: set(LAYERS[:index]) for index, app in enumerate(LAYERS)}
FOLDERS = {
    "core": ROOT / "site" / "core",
    "community_pages": ROOT / "community_pages",
    "resources": ROOT / "resources",
    "workflows": ROOT / "workflows",
    "home": ROOT / "home",
    "config": ROOT / "site" / "config",
}
EXPLAINED = re.compile(r"#.*\b(cycle|app registry)\b", re.IGNORECASE)


def _modules(app: str) -> list[Path]:
    return sorted(path for path in FOLDERS[app].rglob("*.py") if "migrations" not in path.parts)


def _imported_apps(node: ast.Import | ast.ImportFrom, app: str) -> set[str]:
    if isinstance(node, ast.ImportFrom):
        if node.level:  # a relative import stays inside the app
            return set()
        names = [node.module or ""]
    else:
        names = [alias.name for alias in node.names]
    return {name.split(".")[0] for name in names} & set(LAYERS) - {app}


def _imports(path: Path) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """(node, inside a function?) for every import statement of a module."""
    return _imports_in(str(path), path.read_text())


@functools.cache
def _imports_in(filename: str, text: str) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Found once for all the tests that read the same text (they only read what it gives)."""
    tree = ast.parse(text, filename=filename)

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, in_function
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inner)

    return list(walk(tree, False))


def _graph() -> dict[str, dict[str, list[str]]]:
    """{app: {imported app: ["path:line", ...]}}."""
    graph: dict[str, dict[str, list[str]]] = {app: {} for app in LAYERS}
    for app in LAYERS:
        for path in _modules(app):
            for node, _in_function in _imports(path):
                for other in _imported_apps(node, app):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    graph[app].setdefault(other, []).append(where)
    return graph


def test_every_app_folder_is_read():
    for app in LAYERS:
        assert _modules(app), f"no modules found for {app} in {FOLDERS[app]}"


def test_app_graph__no_cycle():
    graph = _graph()
    state: dict[str, str] = {}

    def visit(app, trail):
        state[app] = "visiting"
        for other in graph[app]:
            if state.get(other) == "visiting":
                cycle = [*trail[trail.index(other) :], other]
                pytest.fail("import cycle between apps: " + " → ".join(cycle))
            if other not in state:
                visit(other, [*trail, other])
        state[app] = "done"

    for app in LAYERS:
        if app not in state:
            visit(app, [app])


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_the_layers_below(app):
    upward = {other: places for other, places in _graph()[app].items() if other not in ALLOWED[app]}
    assert not upward, (
        f"{app} may import only {sorted(ALLOWED[app]) or 'none of our apps'}; "
        f"it imports {upward}. Move the shared code down (core/), or react to a signal or a "
        "registry (docs/architecture.md)."
    )


def test_core_imports_no_app_of_ours():
    assert _graph()["core"] == {}


def _unexplained(path: Path) -> list[int]:
    """Lines of function-level imports with no reason given (a run of imports shares one)."""
    lines = path.read_text().splitlines()
    explained_until = -1  # the last line of an explained import
    missing = []
    for node, in_function in sorted(_imports(path), key=lambda found: found[0].lineno):
        if not in_function:
            continue
        above = []
        index = node.lineno - 2
        while index >= 0 and lines[index].strip().startswith("#"):
            above.append(lines[index])
            index -= 1
        reasons = [lines[node.lineno - 1], *above]
        if any(EXPLAINED.search(line) for line in reasons) or explained_until == node.lineno - 1:
            explained_until = node.end_lineno
        else:
            missing.append(node.lineno)
    return missing


def test_function_level_imports__say_why():
    unexplained = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in LAYERS
        for path in _modules(app)
        for line in _unexplained(path)
    ]
    assert not unexplained, (
        "imports inside functions without a comment naming the cycle they break "
        f"(or 'app registry'): {unexplained}"
    )


MAX_MODULE_LINES = 400  # a module that grows past it is split by kind


def test_modules__small_enough_to_read():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for app in LAYERS
        for path in _modules(app)
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"split these by kind (a package, as models/ is): {too_long}"


def test_the_test_sees_an_upward_import(tmp_path):
    """The checker itself: an upward import, even inside a function, is found."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from home.models import HomePage\n")
    found = {
        other for node, _in_function in _imports(module) for other in _imported_apps(node, "core")
    }
    assert found == {"home"}
