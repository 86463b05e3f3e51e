"""axe-core in the real browser (issue 15, "For everyone: WCAG 2.2 AA").

axe-core comes from a registry package pinned in requirements.txt (`selenium-axe-python`, which
ships `axe.min.js`); only that file is used, injected into the page through WebDriver (so the
Content-Security-Policy does not apply to it and nothing is fetched at run time).

Each page is checked at 1280 and at 390 CSS px (the phone width emulated through DevTools, no
reload), once per distinct page: a page is checked unless both its <main> (from the same
template, in the same language, made of the same kinds of element: tag, classes and role; not
the text, nor how many) and what is around it (header, menus, as signed in) were checked
already, whichever role showed them first. The same template showing another space's or
another item's content (each space's library, each proposal) is one check, unless what it
lays out differs. An admin screen (Wagtail's views and templates, our panels) is checked unless
every kind of element in its <main> was in one checked before: its fields, buttons and listings
are Wagtail's templates, each checked once (an edit screen adds nothing new after another one
with the same kinds of field, whatever its path).

At 1280 px every rule of the WCAG 2.0, 2.1 and 2.2 A and AA tags and axe's best practices runs.
At 390 px the rules whose outcome depends on the layout (sizes and spacing of targets,
scrolling regions) run again on the whole page, and every rule on what the phone width lays out
that the wide one did not (a menu button, say); the rest of the document, its colours included
(no style sheet of ours changes a colour by width), is the same at both widths.

Frames are not entered (the admin's preview frame shows a page of ours, checked on its own).

Blocking: any `serious` or `critical` violation. Lower impacts are counted in the summary line.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import re
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

WIDTHS = (1280, 390)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LAYOUT_RULES = ["target-size", "scrollable-region-focusable"]
BLOCKING = ("critical", "serious")

# Markup that no template of ours renders (Wagtail admin's, swagger-ui's): excluded by rule and
# element only (matched on axe's selector and the element's opening tag), each with why.
# Anything else on those screens still counts.
NOT_OURS: list[tuple[str, re.Pattern, str]] = [
    (
        "aria-input-field-name",
        re.compile(
            r'  <div [^>]*class="notranslate public-DraftEditor-content"[^>]* role="textbox"'
        ),
        "Wagtail's rich text editor (Draftail): Draft.js's editable area has role=textbox and no "
        "name of its own; the field's <label> names the hidden input Wagtail keeps the value in",
    ),
    (
        "scrollable-region-focusable",
        re.compile(r"^\.DraftEditor-root  "),
        "Wagtail's rich text editor at 390 px: Draft.js's root scrolls, and its focusable "
        "content is the contenteditable inside it, which axe does not count",
    ),
    (
        "scrollable-region-focusable",
        re.compile(r'^\.w-minimap__list  <ol class="w-minimap__list">'),
        "Wagtail's page editor minimap (the side list of the form's sections): its list scrolls "
        "and holds links to them, which axe does not count as focusable while collapsed",
    ),
    (
        "nested-interactive",
        re.compile(
            r"^#operations-[-\w]+ > \.opblock-summary-\w+\.opblock-summary > "
            r"\.opblock-summary-control  |^\.opblock-summary-\w+ > \.opblock-summary-control  "
        ),
        "swagger-ui (the API docs): an operation's summary is a button that holds the path's "
        "deep link and copy button, as swagger-ui renders it",
    ),
    (
        "target-size",
        re.compile(
            r"^#operations-[-\w]+ > \.opblock-summary-\w+\.opblock-summary > "
            r"\.opblock-summary-control  "
        ),
        "swagger-ui: the same summary button at 390 px, its area cut by the deep link inside it",
    ),
]

# The kinds of element the page is made of (tag, classes, role: what the templates decide, not
# the text or how many), inside its <main> and around it. Also remembers what is laid out.
# Null while a page drawn by script after it loads is not drawn yet (the API docs: swagger-ui
# fetches the schema, then draws): it is checked once drawn, not half-way.
_SKELETON = """
if (document.getElementById('swagger-ui') && !document.querySelector('#swagger-ui .opblock')) {
  return null;
}
const main = document.querySelector('main') || document.body;
const inside = new Set([document.body.className]), around = new Set();
window.__axeShown = new WeakSet();
for (const e of document.body.querySelectorAll('*')) {
  if (e.closest('script, style, template, svg')) continue;
  if (!e.getClientRects().length) continue;
  window.__axeShown.add(e);
  const kind = `${e.tagName}.${e.getAttribute('class') || ''}@${e.getAttribute('role') || ''}`;
  (main.contains(e) ? inside : around).add(kind);
}
return [[...inside].sort().join('\\n'), [...around].sort().join('\\n'),
        typeof window.axe === 'object', location.pathname + location.search,
        document.documentElement.lang];
"""
# At the phone width: the outermost elements laid out now that were not at the first width.
_NEWLY_SHOWN = """
const found = [];
for (const e of document.body.querySelectorAll('*')) {
  if (e.closest('script, style, template, svg')) continue;
  if (!e.getClientRects().length || window.__axeShown.has(e)) continue;
  if (!found.some(f => f.contains(e))) found.push(e);
}
"""
# Every finite CSS transition and animation is brought to its end (an admin message fades in
# over half a second: measured half-way, its text has too little contrast; the page's final look
# is what is judged). Endless ones (a spinner) are left running.
_SETTLE = """
for (const a of document.getAnimations()) {
  if (a.effect && a.effect.getTiming().iterations !== Infinity) {
    try { a.finish(); } catch (e) { /* an animation with no end time */ }
  }
}
"""
_FOUND = """
const listed = r => r.violations.map(v => ({
  id: v.id, impact: v.impact,
  nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact,
                            html: n.html.slice(0, 240)}))}));
const options = {resultTypes: ['violations'], iframes: false};
"""
# At the first width: every rule of the tags on the whole document.
_RUN_WIDE = (
    """
const done = arguments[arguments.length - 1];
const [tags] = arguments;
"""
    + _FOUND
    + _SETTLE
    + """
axe.run(document, {...options, runOnly: {type: 'tag', values: tags}})
  .then(r => done(JSON.stringify({violations: listed(r)})))
  .catch(e => done(JSON.stringify({error: String(e)})));
"""
)
# At the phone width, in one call: the layout rules on the whole document, then every rule of the
# tags on what is newly laid out (if anything).
_RUN_NARROW = (
    """
const done = arguments[arguments.length - 1];
const [rules, tags] = arguments;
"""
    + _FOUND
    + """
(async () => {
  const layout = await axe.run(document, {...options, runOnly: {type: 'rule', values: rules}});
  let violations = listed(layout);
"""
    + _NEWLY_SHOWN
    + """
  if (found.length) {
    const all = {...options, runOnly: {type: 'tag', values: tags}};
    const shown = await axe.run({include: found}, all);
    violations = violations.concat(listed(shown));
  }
  return {violations, shown: found.length};
})().then(r => done(JSON.stringify(r)), e => done(JSON.stringify({error: String(e)})));
"""
)


def axe_source() -> str:
    return (resources.files("selenium_axe_python") / "axe-core" / "axe.min.js").read_text()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@contextlib.contextmanager
def templates_served() -> Iterator[dict[str, str]]:
    """{path with query: the template its page was rendered from} for the requests answered
    while in the block: the first template a request renders (Django's test renderer announces
    each, the outermost first; the page's own, then what it extends and includes)."""
    from django.test.signals import template_rendered  # noqa: PLC0415 (Django set up by then)

    served: dict[str, str] = {}

    def note(sender, template, context, **kwargs):
        request = context.get("request") if context is not None else None
        if request is not None and not hasattr(request, "_axe_template"):
            request._axe_template = template.name
            served[request.get_full_path()] = template.name

    template_rendered.connect(note)
    try:
        yield served
    finally:
        template_rendered.disconnect(note)


class Checked:
    """What axe-core has checked in this run: the pages (template, language and kinds in <main>)
    and what is around them (kinds outside <main>), and every kind of element in a checked admin
    screen's <main>. In memory; or, given a file, shared through it by every process of the run
    (xdist's workers), so that a screen one role showed on one worker is not checked again on
    the other."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self.memory = {"seen": set(), "admin kinds": set()}

    def claim(self, page: str, chrome: str, admin_kinds: set[str] | None) -> bool:
        """Whether this page is to be checked (it is then recorded as checked): not when its page
        (or, for an admin screen, each kind of element in its <main>) and what is around it were
        checked before."""
        with self._locked() as known:
            if admin_kinds is not None:
                seen = admin_kinds <= known["admin kinds"]
                known["admin kinds"] |= admin_kinds
            else:
                seen = page in known["seen"]
            if seen and chrome in known["seen"]:
                return False
            known["seen"] |= {page, chrome}
            return True

    @contextlib.contextmanager
    def _locked(self):
        if self.path is None:
            yield self.memory
            return
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            known = {"seen": set(), "admin kinds": set()}
            if self.path.exists():
                known = {
                    key: set(values) for key, values in json.loads(self.path.read_text()).items()
                }
            yield known
            self.path.write_text(json.dumps({key: sorted(values) for key, values in known.items()}))


class AxeCrawl:
    """Checks the pages a crawl opens; `lines` is the per-page summary, `blocking` what fails."""

    def __init__(
        self, driver, checked: Checked | None = None, templates: dict[str, str] | None = None
    ):
        self.driver = driver
        self.templates = {} if templates is None else templates  # templates_served()
        self.source = axe_source()
        self.checked = Checked() if checked is None else checked
        self.lines: list[str] = []
        self.blocking: dict[str, list[str]] = {}
        self.seconds = 0.0
        self.skipped = 0

    def __enter__(self) -> AxeCrawl:
        """The pages are opened, and stay between checks, at the first width (emulated once, not
        set and cleared again around every page)."""
        self._emulate(WIDTHS[0])
        return self

    def __exit__(self, *exc) -> None:
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def check(self, who: str, path: str) -> None:
        """Checks the page shown (opened inside `with AxeCrawl(...)`, at the first width)."""
        began = time.monotonic()
        try:
            self._check(who, path, began)
        finally:
            self.seconds += time.monotonic() - began

    def _check(self, who: str, path: str, began: float) -> None:
        from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415 (optional)

        # Null until a page drawn by script after it loads is drawn (_SKELETON).
        inside, around, present, shown, lang = WebDriverWait(
            self.driver, 15, poll_frequency=0.05
        ).until(lambda driver: driver.execute_script(_SKELETON))
        # An admin screen is known by the kinds of element inside its <main>, any other page by
        # the template it was rendered from (its path if not known: a page served with no
        # template), its language and their digest; what is around <main>, by theirs.
        admin_kinds = set(inside.split("\n")) if path.startswith("/admin/") else None
        page = f"{self.templates.get(shown, path)} {lang} {_digest(inside)}"
        if not self.checked.claim(page, _digest(around), admin_kinds):
            self.skipped += 1
            return
        if not present:
            self.driver.execute_script(self.source)  # once per document
        wide = self._run(_RUN_WIDE, TAGS)["violations"]  # settles the page first
        self._emulate(WIDTHS[1])
        try:
            narrow = self._run(_RUN_NARROW, LAYOUT_RULES, TAGS)
        finally:
            self._emulate(WIDTHS[0])
        shown, narrow = narrow["shown"], narrow["violations"]
        summary = []
        for width, violations in ((WIDTHS[0], wide), (WIDTHS[1], narrow)):
            blocking, other, excluded = self._sort(violations)
            if blocking:
                self.blocking[f"{who} {path} at {width}px"] = blocking
            text = f"{width}: {len(blocking)}"
            if blocking:
                text += f" ({', '.join(sorted({b.split(' ')[0] for b in blocking}))})"
            if other:
                text += f" (+{len(other)} moderate/minor: {', '.join(sorted(set(other)))})"
            if excluded:
                text += f" [{excluded} not ours]"
            summary.append(text)
        took = time.monotonic() - began
        self.lines.append(
            f"axe {who:<17} {path}  {' | '.join(summary)}  ({shown} shown at 390; {took:.1f}s)"
        )

    def total(self, who: str) -> str:
        return (
            f"axe {who}: {len(self.lines)} pages checked, {self.skipped} seen before "
            f"(same screen), {self.seconds:.1f}s"
        )

    def _emulate(self, width: int) -> None:
        phone = width < 600
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": 844 if phone else 900,
                "deviceScaleFactor": 1,
                "mobile": phone,
            },
        )

    def _run(self, script: str, *args) -> dict:
        found = json.loads(self.driver.execute_async_script(script, *args))
        if "error" in found:
            raise AssertionError(f"axe-core did not run: {found['error']}")
        return found

    @staticmethod
    def _sort(violations) -> tuple[list[str], list[str], int]:
        blocking, other, excluded = [], [], 0
        for violation in violations:
            for node in violation["nodes"]:
                if any(
                    rule == violation["id"] and pattern.search(f"{node['target']}  {node['html']}")
                    for rule, pattern, _why in NOT_OURS
                ):
                    excluded += 1
                    continue
                impact = node["impact"] or violation["impact"]
                if impact in BLOCKING:
                    blocking.append(
                        f"{violation['id']} ({impact}): {node['target']}  {node['html']}"
                    )
                else:
                    other.append(violation["id"])
        return blocking, other, excluded
