"""A reply's text as HTML: plain text, escaped, with its web addresses turned into links that
search engines do not follow and that cannot reach back into the page
(rel="nofollow ugc noopener"), and its line breaks kept. No HTML a member writes ever renders."""

from __future__ import annotations

from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

REL = 'rel="nofollow ugc noopener"'


def render_body(text: str) -> SafeString:
    # `urlize` escapes everything it does not link (autoescape), so a member's own
    # 'rel="nofollow"' arrives here escaped and only the attribute urlize wrote is replaced.
    html = urlize(text or "", trim_url_limit=60, nofollow=True, autoescape=True)
    html = html.replace('rel="nofollow"', REL)
    return mark_safe(html.replace("\r\n", "\n").replace("\n", "<br>"))  # noqa: S308
