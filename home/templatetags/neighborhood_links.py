"""Links a phone can act on: `tel:` for every phone number shown (RFC 3966)."""

import re

from django import template
from django.utils.html import format_html

register = template.Library()

_DIALLED = re.compile(r"[^0-9+,;#*]")


@register.filter
def tel_href(number: str) -> str:
    """`+1 646-555-0100,,5550100001#` → `tel:+16465550100,,5550100001%23`: digits, a leading
    +, pauses (`,`) kept so a dial-in reaches the meeting; `#` escaped as the URI needs."""
    dialled = _DIALLED.sub("", number or "")
    return "tel:" + dialled.replace("#", "%23")


@register.simple_tag
def tel_link(number: str):
    """The number as a tap-to-call link."""
    if not number:
        return ""
    return format_html('<a href="{}" class="tel">{}</a>', tel_href(number), number)
