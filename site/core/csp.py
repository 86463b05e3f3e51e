"""The Content-Security-Policy, defined once (docs/data-protection.md): nothing loads from
another origin. `ContentSecurityPolicyMiddleware` sends it on every response; a view that needs
a narrower or wider policy asks `policy(...)` for a variant of this one, never writes its own."""

from __future__ import annotations

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
# The Wagtail admin's scripts set inline `style` attributes (see the middleware).
ADMIN_POLICY = POLICY + "; style-src 'self' 'unsafe-inline'"
# A file served through a membership check: it loads nothing and runs nothing.
FILE_POLICY = "default-src 'none'"
