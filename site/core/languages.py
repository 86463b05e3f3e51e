"""The site's languages, from one setting: `WAGTAIL_CONTENT_LANGUAGES` (docs/languages.md).

Nothing else lists language codes: the reserved slugs, a support group's languages, the API's
`locale` descriptions all ask here.
"""

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.utils.translation import get_language_info


def content_language_codes() -> list[str]:
    """The language codes, source language first as settings list them: ["en", "es", "pt"]."""
    return [code.lower() for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def language_name(code: str) -> str:
    """A language's name in the reader's language ("inglés" for "en" in Spanish)."""
    return str(get_language_info(code)["name_translated"])


def source_language_code() -> str:
    """The language pages are written in first ("en"): the one a missing translation falls
    back to."""
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def in_reader_language(queryset: QuerySet, language_code: str) -> QuerySet:
    """One page per translation key: the reader's language if that translation is in the
    queryset, else the source language's, else the first made (docs/languages.md, "Fallback").

    The queryset decides what may be shown (narrow it with the visibility rule first): this
    only chooses among the translations it already holds, so the fallback never shows a page
    the reader could not open in the source language.
    """
    source = source_language_code()
    here = Q(locale__language_code=language_code)
    in_source = Q(locale__language_code=source)
    keys_here = queryset.filter(here).values("translation_key")
    keys_source = queryset.filter(in_source).values("translation_key")
    first_other = (
        queryset.exclude(here | in_source)
        .exclude(translation_key__in=keys_here)
        .exclude(translation_key__in=keys_source)
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values("first")
    )
    return queryset.filter(
        here | (in_source & ~Q(translation_key__in=keys_here)) | Q(pk__in=first_other)
    )


def under_translations(page, *, children_only: bool = True) -> Q:
    """A filter for the pages under `page` or under any of its translations (its children, or
    every descendant), for `in_reader_language`. A translation has exactly its source's privacy
    (docs/privacy.md, `translations-share-privacy`): this never reaches another space."""
    query = Q(pk__in=[])
    for translation in page.get_translations(inclusive=True).only("path", "depth"):
        if children_only:
            query |= Q(path__startswith=translation.path, depth=translation.depth + 1)
        else:
            query |= Q(path__startswith=translation.path, depth__gt=translation.depth)
    return query
