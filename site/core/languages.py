"""The site's languages, from one setting: `WAGTAIL_CONTENT_LANGUAGES` (docs/languages.md).

Nothing else lists language codes: the reserved slugs, a support group's languages, the API's
`locale` descriptions all ask here.
"""

from django.conf import settings


def content_language_codes() -> list[str]:
    """The language codes, source language first as settings list them: ["en", "es", "pt"]."""
    return [code.lower() for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
