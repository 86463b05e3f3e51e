"""The Content-Security-Policy, defined once (docs/data-protection.md): nothing loads from
another origin. `ContentSecurityPolicyMiddleware` sends it on every response; a view that needs
a narrower or wider policy asks `policy(...)` for a variant of this one, never writes its own."""

from __future__ import annotations

import re
import secrets

DIRECTIVES: dict[str, str] = {
    "default-src": "'self'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}


def policy(**changes: str) -> str:
    """The site's policy with some directives changed or added (`img_src="'self' data:"`).

    Directive names take underscores for hyphens; an added directive follows `default-src`.
    """
    directives = dict(DIRECTIVES)
    extra = {}
    for name, value in changes.items():
        name = name.replace("_", "-")
        if name in directives:
            directives[name] = value
        else:
            extra[name] = value
    ordered = {"default-src": directives.pop("default-src"), **extra, **directives}
    return "; ".join(f"{name} {value}" for name, value in ordered.items())


POLICY = policy()
# The Wagtail admin's scripts set inline `style` attributes (see `admin_policy`).
ADMIN_POLICY = POLICY + "; style-src 'self' 'unsafe-inline'"
# A file served through a membership check: it loads nothing and runs nothing.
FILE_POLICY = "default-src 'none'"


# The admin's inline initialisers (see `admin_policy`).
_INLINE_SCRIPT = re.compile(rb"<script>([^<]*)</script>")
_ID = r'"id_(?:\w|-|\\u002D)+"'
_OPTIONS = r"\{[^<>{}]*\}"
_ESCAPEJS = r'"(?:[^"\\<>&;=]|\\u[0-9A-F]{4})*"'
ADMIN_INITIALISER = re.compile(
    rf"init(?:Date|DateTime|Time)Chooser\({_ID}, {_OPTIONS}\);"
    rf"|new (?:Document|Page|Image|Snippet|Task)Chooser\({_ID}, {_OPTIONS}\);"
    rf"|\s*\(function\(\) \{{\s*var panel = new InlinePanel\(JSON\.parse\({_ESCAPEJS}\)\);"
    r"\s*\}\)\(\);\s*",
    re.ASCII,
)


def admin_policy(response) -> str:
    """The policy of an admin response, giving Wagtail's own initialisers a fresh nonce.

    The Wagtail admin needs two narrow exceptions, found by the browser test
    (docs/data-protection.md). Its scripts set inline `style` attributes, so admin styles may be
    inline. And Wagtail 8.0.1 still prints a few inline initialisers, which must run:

    - date and time pickers, `<script>initDateChooser("id_…", {…});</script>`
      (wagtailadmin/widgets/date_input.html; also `initTimeChooser`, `initDateTimeChooser`).
      The id passes through `escapejs`: in an InlinePanel it reads `id_cancellations\\u002D0…`;
    - legacy choosers, `new DocumentChooser("id_…", {…});` (`WidgetWithScript`);
    - each InlinePanel's own set-up, `(function() { var panel = new InlinePanel(JSON.parse("…"));
      })();` (wagtailadmin/panels/inline_panel.html), without which "Add" does nothing.

    An InlinePanel also keeps a `<template>` of an empty child, its initialisers included. "Add"
    copies it with `__prefix__` replaced by the next index and inserts it with jQuery, which runs
    each copied script through a new `<script>` element carrying the original's `nonce`. The copy's
    text (and so any hash) is only known in the browser, so each admin response gets a fresh
    random nonce instead, and the middleware writes it onto exactly those bare `<script>` elements
    whose whole text matches one of the shapes above: quoted ids of word characters and escaped
    hyphens, a flat JSON object of options, or `escapejs` output (no quote, backslash, `<`, `>`,
    `&`, `;` or `=` unescaped). Any other inline script, such as injected text or a `<script>` with
    attributes, gets no nonce and stays blocked; text shown in the admin is escaped by Django, so
    it never forms a `<script>` element to begin with.
    """
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return ADMIN_POLICY
    nonce = secrets.token_urlsafe(18)
    tagged = 0

    def tag(match):
        nonlocal tagged
        try:
            body = match.group(1).decode()
        except UnicodeDecodeError:
            return match.group(0)
        if not ADMIN_INITIALISER.fullmatch(body):
            return match.group(0)
        tagged += 1
        return b'<script nonce="' + nonce.encode() + b'">' + match.group(1) + b"</script>"

    content = _INLINE_SCRIPT.sub(tag, response.content)
    if not tagged:
        return ADMIN_POLICY
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))
    return f"{ADMIN_POLICY}; script-src 'self' 'nonce-{nonce}'"
