"""What someone who may not see a page or file gets (DESIGN.md invariant 6).

A visitor is sent to sign in. A signed-in person who is not a member gets a 403 page that says
how to ask to join, never the login form again (Wagtail issue 4297: Wagtail's own check sends
everyone who fails a group restriction to the login page).
"""

from http import HTTPStatus

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from community_pages.selectors import communities_of, community_for_page


def denied_response(request, *, page=None, community=None, common_ground=False):
    if not request.user.is_authenticated:
        response = redirect_to_login(request.get_full_path())
    else:
        if page is not None:
            community = community_for_page(page)
            common_ground = community is None
        response = TemplateResponse(
            request,
            "privacy/not_a_member.html",
            {
                "community": community,
                "common_ground": common_ground,
                "my_communities": communities_of(request.user),
            },
            status=HTTPStatus.FORBIDDEN,
        )
    add_never_cache_headers(response)
    return response
