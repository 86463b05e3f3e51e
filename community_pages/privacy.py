"""What someone who may not see a page or file gets (docs/privacy.md, "one rule per surface").

Hidden answers exactly like missing, so nobody learns whether something exists:

- a community's (or Common Ground's) own front page: its name is public (the front door lists
  it), so a visitor is sent to sign in and a signed-in non-member gets the page that says how to
  ask to join, never the login form again (Wagtail issue 4297);
- any other address inside a space the person may not see, whether a page exists there or not:
  a visitor is sent to sign in (the same redirect for every path under the space's address, so
  a member following a link can sign in); a signed-in person gets the site's 404;
- anything else hidden (a restricted page outside any space, a file): the site's 404, for
  everyone.
"""

from http import HTTPStatus

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from wagtail.models import Page

from community_pages.models import CommonGroundPage, CommunityPage
from community_pages.selectors import community_for_page
from core.access import communities_of
from core.permissions import SPACE_DEPTH, space_path
from core.views import page_not_found


def not_found(request):
    """The site's 404 page as a response, the same bytes as `handler404` renders.

    The file views return it (rather than raising `Http404`) so that under `DEBUG` too they
    say nothing more than production: Django's technical 404 would print the message and the
    view that raised it.
    """
    return page_not_found(request).render()


def space_front_page_denied(request, *, community=None, common_ground=False):
    """The deliberate public exception: a space's own front page (its name is public)."""
    if not request.user.is_authenticated:
        response = redirect_to_login(request.get_full_path())
    else:
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


def inside_space_denied(request):
    """Anything inside a space the person may not see, existing or not.

    A visitor is sent to sign in (exactly as for the space's front page and for a missing path
    under it); a signed-in person gets the 404 of a missing page (raised, so `DEBUG` shows the
    same technical page as for a missing one).
    """
    if not request.user.is_authenticated:
        response = redirect_to_login(request.get_full_path())
        add_never_cache_headers(response)
        return response
    raise Http404


def page_denied(request, page):
    """The answer for a page the visibility rule hides from this person (see the module)."""
    path = space_path(page)
    if path is None or not _is_space(path):
        raise Http404  # restricted outside any space: exactly like a missing page
    if page.depth == SPACE_DEPTH:
        community = community_for_page(page)
        return space_front_page_denied(
            request, community=community, common_ground=community is None
        )
    return inside_space_denied(request)


def _is_space(path: str) -> bool:
    # A space that is not live has no public name: everything under it is simply missing.
    return Page.objects.type(CommunityPage, CommonGroundPage).filter(path=path, live=True).exists()
