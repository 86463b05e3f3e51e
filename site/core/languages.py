"""The site's languages, from one setting: `WAGTAIL_CONTENT_LANGUAGES` (docs/languages.md).

Nothing else lists language codes: the reserved slugs, a support group's languages, the API's
`locale` descriptions all ask here.
"""

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.utils.translation import get_language, get_language_info
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from core.per_request import per_request


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


def _locales() -> dict:
    """{id: locale} and {language code: locale}, read once per reading request (three rows)."""

    def read():
        found = list(Locale.objects.all())
        return {
            "id": {locale.pk: locale for locale in found},
            "code": {locale.language_code: locale for locale in found},
        }

    return per_request("core.languages.locales", read)


def locale_for_language(code: str) -> Locale:
    """`Locale.objects.get_for_language(code)`, from the request's one read of the locales:
    raises LookupError for a language the site does not speak, Locale.DoesNotExist for one it
    has no locale for yet."""
    try:
        return _locales()["code"][get_supported_content_language_variant(code)]
    except KeyError:
        raise Locale.DoesNotExist(code) from None


def active_locale() -> Locale:
    """`Locale.get_active()`: the active language's locale, else the source language's."""
    try:
        return locale_for_language(get_language())
    except (Locale.DoesNotExist, LookupError):
        return locale_for_language(settings.LANGUAGE_CODE)


def source_locale() -> Locale | None:
    """The source language's locale (None before any exists)."""
    return _locales()["code"].get(source_language_code())


def page_language(page) -> str:
    """The language code of a page (or any translatable object): its locale is looked up in the
    request's one read of the locales, not once per object ("" for an object without one)."""
    locale_id = getattr(page, "locale_id", None)
    if not locale_id:
        return ""
    cached = page._state.fields_cache.get("locale")
    if cached is not None:
        return cached.language_code
    locale = _locales()["id"].get(locale_id)
    if locale is None:  # made after the request read them: ask the database, as before
        return page.locale.language_code
    return locale.language_code


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
    for path, depth in translation_places(page):
        if children_only:
            query |= Q(path__startswith=path, depth=depth + 1)
        else:
            query |= Q(path__startswith=path, depth__gt=depth)
    return query


def translation_places(page) -> list[tuple[str, int]]:
    """[(tree path, depth)] of the page and its translations, read once per reading request."""
    return per_request(
        ("core.languages.translation_places", type(page)._meta.label, page.translation_key),
        lambda: list(
            type(page)
            .objects.filter(translation_key=page.translation_key)
            .order_by()
            .values_list("path", "depth")
        ),
    )
