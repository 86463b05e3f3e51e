"""The language switch: links to this page in every language the site speaks.

A page links to its live translations the reader may see (a translation has exactly its
source's privacy, so this hides nothing new; asking the visibility rule keeps it that way);
other views link to the same address under the other language's prefix.
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

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
            url = translation.get_url(request) if translation else f"/{code}/"
            if code == settings.LANGUAGE_CODE and translation is None:
                url = "/"
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            continue
        links.append({"code": code, "name": get_language_info(code)["name_local"], "url": url})
    return {"links": links}
