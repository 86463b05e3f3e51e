"""Cross-site-scripting payloads put into every text field members and editors can fill.

Each one, if it came out unescaped, would run script (or load something) in a reader's browser.
`looks_executable(html)` parses a rendered page the way a browser does and reports any payload
that became live markup: a script or style element, an event-handler attribute, or a
`javascript:` URL. Escaped text (`&lt;script&gt;`) is text, whatever it spells.
"""

from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    '"><img src=x onerror=alert("xss-2")>',
    "<svg/onload=alert('xss-3')>",
    "javascript:alert('xss-4')",
    "'><iframe src=\"javascript:alert('xss-5')\"></iframe>",
    "<a href=\"javascript:alert('xss-6')\">click</a>",
    '<body onload=alert("xss-7")>',
    "</textarea><script>alert('xss-8')</script>",
    "{{7*7}}{% debug %}<style>@import 'https://evil.example/xss-9.css'</style>",
    "<math><mi xlink:href=\"javascript:alert('xss-10')\">x</mi></math>",
]

URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "srcdoc"}


class _Finder(HTMLParser):
    """Reads HTML as a browser would and notes where a payload became live markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "xss" in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        script_type = dict(attrs).get("type", "") or ""
        if tag == "style" or (tag == "script" and "json" not in script_type):
            # A JSON data block (`json_script`) is not run; escaping keeps it from closing early.
            self._raw = tag

    def handle_endtag(self, tag):
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data):
        if self._raw and ("xss" in data or "evil.example" in data):
            self.found.append(f"<{self._raw}>{data[:60]}")


def looks_executable(html: str) -> list[str]:
    """Where a payload in `html` became live markup; empty when all came out inert."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
