"""The language switch: links to this page in every language the site speaks.

A page links to its live translations the reader may see (a translation has exactly its
source's privacy, so this hides nothing new; asking the visibility rule keeps it that way);
other views link to the same address under the other language's prefix.
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

from core.languages import page_language, source_language_code
from core.visibility import visible_pages

register = template.Library()


@register.inclusion_tag("home/includes/language_switch.html", takes_context=True)
def language_switch(context):
    request = context.get("request")
    page = context.get("page")
    current = (context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE).split("-")[0]
    links = []
    translations = {}
    if page is not None and getattr(page, "pk", None) and request is not None:
        for translation in visible_pages(
            request.user, page.get_translations(inclusive=True).select_related("locale")
        ):
            translations[translation.locale.language_code] = translation
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code == current:
            continue
        if page is not None and request is not None:
            translation = translations.get(code)
            # No translation yet: the same address in that language, where the page is
            # served in its source language with a notice (core.models.BasePage.route).
            url = (
                translation.get_url(request)
                if translation
                else path_in_language(request.path, current, code)
            )
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            continue
        links.append({"code": code, "name": get_language_info(code)["name_local"], "url": url})
    return {"links": links}


def _reader_language(context) -> str:
    return (context.get("LANGUAGE_CODE") or get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _page_language(page) -> str:
    return page_language(page)


@register.simple_tag(takes_context=True)
def reader_url(context, page):
    """The page's address in the reader's language: a page shown in its source language
    because it has no translation yet is linked under the reader's language prefix, where it
    is served with a notice (`core.models.BasePage.route`), so the interface stays theirs."""
    request = context.get("request")
    url = page.get_url(request)
    language = _reader_language(context)
    if (
        url
        and url.startswith("/")
        and language != source_language_code()
        and _page_language(page) == source_language_code()
    ):
        return f"/{language}{url}"
    return url


@register.simple_tag(takes_context=True)
def lang_attr(context, page):
    """` lang="en"` on content shown in another language than the interface's (WCAG 3.1.2)."""
    language = _page_language(page)
    if language and language != _reader_language(context):
        return format_html(' lang="{}"', language)
    return ""


@register.inclusion_tag("home/includes/language_notice.html", takes_context=True)
def language_notice(context, page, short=False):
    """ "This page is in English": for a page shown in its source language because it has no
    translation in the reader's language yet."""
    language = _page_language(page)
    if not language or language == _reader_language(context):
        return {"language": None}
    name = str(get_language_info(language)["name_translated"])
    # Spanish and Portuguese write language names in lower case inside a sentence.
    if _reader_language(context) != "en":
        name = name.lower()
    return {"language": name, "short": short, "reader": _reader_language(context)}


def path_in_language(path: str, current: str, code: str) -> str:
    """`/es/frontline/x/` in another language: `/frontline/x/` (source), `/pt/frontline/x/`."""
    if current != source_language_code() and path.startswith(f"/{current}/"):
        path = path[len(current) + 1 :]
    return path if code == source_language_code() else f"/{code}{path}"


@register.inclusion_tag("home/includes/parent_link.html", takes_context=True)
def parent_link(context, page):
    """The way back up: the parent page in the reader's language (a page shown in English
    under /es/ leads back to the Spanish section, not the English one)."""
    parent = page.get_parent()
    if parent is None or parent.depth < 3:
        return {"parent": None}
    parent = parent.specific.localized
    return {"parent": parent, "url": reader_url(context, parent)}
