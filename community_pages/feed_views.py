"""Feed endpoints and the member page that shows and revokes personal feed URLs.

Who may read a community's feed is the one visibility rule (`visibility.py`), asked for the
person behind the request: the signed-in user, or the user whose personal token is in
`?token=` (a calendar app sends no cookie). Anyone else gets 404, the same answer as for a
community that does not exist, so a feed does not even hint that a community or group exists.
See docs/feeds.md.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.models import Page

from community_pages import feeds
from community_pages.calendar_sources import calendar_entries
from community_pages.meeting_guide import FEED_CONTENT
from community_pages.models import CommonGroundPage, CommunityPage, FeedToken
from community_pages.selectors import (
    space_by_slug,
    support_groups_public,
    support_groups_visible,
)
from community_pages.services import feed_token_create, feed_token_revoke, feed_token_user
from core.api.schema import CALENDAR_CONTENT, FEED_TOKEN_PARAMETER
from core.permissions import SPACE_DEPTH
from core.routes import api_reading_view
from core.visibility import user_can_view_page, visible_pages

MAX_QUERY_STRING = 2048  # a token is 43 characters; anything this long is not a calendar app
JSON_TYPE = "application/json"
ICS_TYPE = "text/calendar; charset=utf-8"


def _reader(request):
    """Whose feed this is: the token's user when a token is given, else the session's."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        raise BadRequest("Query string too long.")
    tokens = request.GET.getlist("token")
    if not tokens:
        return request.user
    user = feed_token_user(tokens[0]) if len(tokens) == 1 else None
    if user is None:
        raise Http404  # malformed, unknown or revoked: no different from a missing feed
    return user


def _space(request, slug):
    user = _reader(request)
    space = space_by_slug(slug)
    if space is None or not user_can_view_page(user, space):
        raise Http404
    return user, space


def _url_for(request):
    return lambda group: group.get_full_url(request)


def _json(data) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type=f"{JSON_TYPE}; charset=utf-8"
    )


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@api_reading_view(
    summary="Meeting Guide JSON of a space's groups (members only).",
    tags=["feeds"],
    content=FEED_CONTENT,
    parameters=(FEED_TOKEN_PARAMETER,),
)
@csrf_exempt  # GET only: any other method gets 405 below, not a CSRF 403
@require_safe
def meetings_json(request, space_slug):
    user, space = _space(request, space_slug)
    groups = support_groups_visible(user, space)
    return _json(feeds.meeting_guide(groups, members=True, url_for=_url_for(request)))


@api_reading_view(
    summary="iCalendar of a space's groups (members only).",
    tags=["feeds"],
    content=CALENDAR_CONTENT,
    parameters=(FEED_TOKEN_PARAMETER,),
)
@csrf_exempt
@require_safe
def meetings_ics(request, space_slug):
    user, space = _space(request, space_slug)
    groups = support_groups_visible(user, space)
    body = feeds.icalendar_feed(
        groups,
        name=f"The Neighborhood: {space.title}",
        url_for=_url_for(request),
        entries=calendar_entries(user, space),
        entry_url=request.build_absolute_uri,
    )
    return _ics(body, f"{space.slug}-meetings.ics")


@api_reading_view(
    summary="iCalendar of one group (members only).",
    tags=["feeds"],
    content=CALENDAR_CONTENT,
    parameters=(FEED_TOKEN_PARAMETER,),
)
@csrf_exempt
@require_safe
def group_ics(request, space_slug, group_slug):
    user, space = _space(request, space_slug)
    group = support_groups_visible(user, space).filter(slug=group_slug).first()
    if group is None:
        raise Http404
    body = feeds.icalendar_feed([group], name=group.title, url_for=_url_for(request))
    return _ics(body, f"{group.slug}.ics")


@api_reading_view(
    summary="Meeting Guide JSON of the groups listed publicly.",
    tags=["feeds"],
    content=FEED_CONTENT,
)
@csrf_exempt
@require_safe
def public_meetings_json(request):
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        raise BadRequest("Query string too long.")
    return _json(feeds.meeting_guide(support_groups_public(), members=False))


# The member page -----------------------------------------------------------------------------


def feed_links(request, token: str | None = None) -> list[dict]:
    """For every space the member may see: its feed URLs (with the token when just made)."""
    spaces = visible_pages(
        request.user,
        Page.objects.type(CommunityPage, CommonGroundPage).filter(
            depth=SPACE_DEPTH, locale__language_code=settings.LANGUAGE_CODE
        ),
    ).order_by("path")
    suffix = f"?token={token}" if token else ""
    links = []
    for space in spaces:
        links.append(
            {
                "title": space.title,
                "json": request.build_absolute_uri(reverse("feed_meetings_json", args=[space.slug]))
                + suffix,
                "ics": request.build_absolute_uri(reverse("feed_meetings_ics", args=[space.slug]))
                + suffix,
            }
        )
    return links


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_feeds(request):
    """Shows the member's feed URLs; POST makes a new secret (revoking the old) or revokes it.

    Only the hash of a token is kept, so the secret URLs are shown once, right after they are
    made; making new ones is always possible and cuts off the old ones.
    """
    token = None
    status = HTTPStatus.OK
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "regenerate":
            token = feed_token_create(user=request.user)
        elif action == "revoke":
            feed_token_revoke(user=request.user)
        else:
            status = HTTPStatus.BAD_REQUEST
    active = FeedToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
    response = TemplateResponse(
        request,
        "community_pages/account_feeds.html",
        {
            "links": feed_links(request, token),
            "token": token,
            "active_token": active,
            "public_feed": request.build_absolute_uri(reverse("feed_public_meetings_json")),
        },
        status=status,
    )
    add_never_cache_headers(response)  # the page may show a secret
    return response
