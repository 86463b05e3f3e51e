"""What is new in a community or Common Ground, for its home page: the latest guides and
resources, the next meetings, the open elections and the reader's own drafts in review, each
read through the visibility rule and in the reader's language (English until translated). It
lives in `home`, the layer that may read every app below it (docs/architecture.md)."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page, Site

from community_pages.models import (
    CommunityPage,
    GroupScheduleIndexPage,
    GuideIndexPage,
    ResourceLibraryIndexPage,
)
from community_pages.selectors import schedule_days, support_groups_in_language
from core.fragment_cache import shared_fragment
from core.languages import (
    content_language_codes,
    in_reader_language,
    source_language_code,
    under_translations,
)
from core.permissions import SPACE_DEPTH
from core.visibility import visible_pages
from workflows.models import Election
from workflows.selectors.drafts import CHANGES_REQUESTED, IN_REVIEW, drafts_of, review_summaries
from workflows.selectors.elections import elections_visible_to

register = template.Library()

LATEST = 3
MEETINGS = 3
MEETING_DAYS = 14
MY_DRAFTS = 20  # the reader's latest drafts in this space that are looked at for a review


def _my_drafts_in_review(user, space) -> list:
    """[(page, state)]: the reader's own drafts in this space (or its translations) waiting
    for the elected editors' review or for the changes they asked for, latest first."""
    mine = list(drafts_of(user).filter(under_translations(space, children_only=False))[:MY_DRAFTS])
    summaries = review_summaries(mine)
    waiting = (IN_REVIEW, CHANGES_REQUESTED)
    return [
        (page, summaries[page.pk].state) for page in mine if summaries[page.pk].state in waiting
    ]


def _latest(user, section, language):
    # A section holds one page type (its `subpage_types`): read from that model's table, in one
    # query, not the pages and then their type's rows.
    allowed = section.specific_class.allowed_subpage_models()
    model = allowed[0] if len(allowed) == 1 else Page
    pages = visible_pages(user, model.objects.filter(under_translations(section)))
    latest = (
        in_reader_language(pages, language)
        .select_related("locale")
        .order_by("-last_published_at", "-pk")[:LATEST]
    )
    if model is Page:
        return list(latest.specific())
    return [page if page.specific_class is model else page.specific for page in latest]


def _next_meetings(user, schedule, language, today):
    groups = support_groups_in_language(user, schedule, language)
    found = []
    for _day, meetings in schedule_days(groups, start=today, days=MEETING_DAYS):
        found.extend(meetings)
        if len(found) >= MEETINGS:
            break
    return found[:MEETINGS]


def _shared_news(request, sections, language, today) -> str:
    """The latest resources and guides and the next meetings: the same for every reader the
    visibility rule treats alike (`core.fragment_cache`), so rendered once for all of them."""
    user = request.user
    news = {"request": request, "LANGUAGE_CODE": language}
    for section in sections:
        if isinstance(section, ResourceLibraryIndexPage):
            news["library"], news["resources"] = section, _latest(user, section, language)
        elif isinstance(section, GuideIndexPage):
            news["guide_index"], news["guides"] = section, _latest(user, section, language)
        elif isinstance(section, GroupScheduleIndexPage):
            news["schedule"] = section
            news["meetings"] = _next_meetings(user, section, language, today)
    return render_to_string("community_pages/includes/space_news_shared.html", news)


@register.inclusion_tag("community_pages/includes/space_news.html", takes_context=True)
def space_news(context, space):
    request = context["request"]
    user, language = request.user, get_language()
    news = {"request": request, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}
    sections = list(context.get("sections", ()))
    site, today = Site.find_for_request(request), timezone.localdate()
    # Everything the shared part depends on besides the reader's visibility class: the space
    # and its sections, the language (words, dates, links), the site (links), the day and the
    # time zone (the meetings listed are today's and the next days', in that zone).
    parts = [
        space.pk,
        ",".join(str(section.pk) for section in sections),
        language,
        site.pk if site else "",
        timezone.get_current_timezone_name(),
        today.isoformat(),  # the day its meetings start from, the same as the key's
    ]
    news["shared_news"] = shared_fragment(
        "space-news", parts, user, lambda: _shared_news(request, sections, language, today)
    )
    news["my_drafts"] = _my_drafts_in_review(user, space)
    if isinstance(space, CommunityPage):
        community = space.community
        if community is not None:
            news["community"] = community
            news["elections"] = list(
                elections_visible_to(user)
                .filter(community=community, status=Election.Status.OPEN)
                .order_by("voting_close")
            )
    return news


def _space_slug(address: str) -> str:
    """The first segment of a site address, after any language prefix: `/es/frontline/x/` →
    `frontline`."""
    parts = [part for part in (address or "").split("?")[0].split("/") if part]
    if parts and parts[0] in content_language_codes():
        parts = parts[1:]
    return parts[0] if parts else ""


@register.inclusion_tag("community_pages/includes/community_card.html", takes_context=True)
def community_card(context, address="", slug=""):
    """What anyone may read about a community (docs/privacy.md, "Public exceptions"): its name
    in the reader's language, the public description it chose, and how to join. Given the
    address a visitor was going to (`next`), or a slug. Every address under a community gives
    the same card, whether a page exists there or not; an address under no live community, or
    under Common Ground, gives none."""
    slug = slug or _space_slug(address)
    if not slug:
        return {"community": None}
    page = (
        CommunityPage.objects.live()
        .filter(depth=SPACE_DEPTH, slug=slug, locale__language_code=source_language_code())
        .first()
    )
    if page is None:
        return {"community": None}
    page = page.localized
    return {
        "community": page,
        "slug": slug,
        "request": context.get("request"),
        "signed_in": context["request"].user.is_authenticated if "request" in context else False,
    }
