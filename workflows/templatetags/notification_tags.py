"""`{% whats_new %}` (the account page's short list) and `{% whats_new_count %}` (the header)."""

from django import template

from workflows.notification_views import shown
from workflows.selectors.notifications import unread_count

register = template.Library()


@register.inclusion_tag("workflows/includes/whats_new.html", takes_context=True)
def whats_new(context, limit: int = 5):
    user = context["request"].user
    return {"notifications": shown(user, limit=limit)}


@register.simple_tag(takes_context=True)
def whats_new_count(context) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return unread_count(request.user)
