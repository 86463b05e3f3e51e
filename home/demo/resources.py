"""Demo resources and guides, drawn from Peer Support Community Partners' own texts.

Real public crisis lines (988, SAMHSA's National Helpline) live in Common Ground, which every
member reads; each community has its own programs, a guide, and a resource page for the
private welcome pack that `home.demo` puts in its collection (one file per collection, which
the foundation's tests rely on). Idempotent:
what exists (by slug) is left alone.
"""

from __future__ import annotations

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from community_pages.models import GuideIndexPage, ResourceLibraryIndexPage
from home.demo.guides import demo_guides
from home.models import HomePage
from resources.models import GuidePage, Language, ResourcePage, SupportType, Topic
from resources.selectors import space_collection
from resources.services import taxonomy_ensure

REVIEWED = date(2026, 1, 15)

# space slug → [(slug, title, summary, kind, link, phone, title of a document of the space,
#                support types, topics, audience, region, languages)]
RESOURCES = {
    "common-ground": [
        (
            "988-lifeline",
            "988 Suicide & Crisis Lifeline",
            "Call or text 988, or chat online, at any hour: free, confidential support from "
            "trained counselors.",
            "phone",
            "https://988lifeline.org",
            "988",
            None,
            ["emotional"],
            ["crisis"],
            "Anyone in emotional distress or suicidal crisis, and anyone worried about them",
            "United States",
            ["en", "es"],
        ),
        (
            "samhsa-national-helpline",
            "SAMHSA's National Helpline",
            "Free, confidential treatment referral and information about substance use, every "
            "day of the year, at any hour.",
            "phone",
            "https://www.samhsa.gov/find-help/national-helpline",
            "1-800-662-4357",
            None,
            ["informational"],
            ["crisis", "treatment"],
            "People facing substance use, and their families",
            "United States",
            ["en", "es"],
        ),
        (
            "massachusetts-substance-use-helpline",
            "Massachusetts Substance Use Helpline",
            "Find treatment and recovery services in Massachusetts, by phone or online.",
            "website",
            "https://helplinema.org",
            "800-327-5050",
            None,
            ["informational", "instrumental"],
            ["treatment"],
            "Anyone in Massachusetts",
            "Massachusetts",
            ["en", "es"],
        ),
    ],
    "frontline": [
        (
            "smart-recovery",
            "SMART Recovery",
            "Free, self-empowering mutual support meetings built around a 4-Point Program: "
            "motivation, coping with urges, managing thoughts and feelings, a balanced life.",
            "program",
            "https://smartrecovery.org",
            "",
            None,
            ["informational", "instrumental", "affiliational"],
            ["recovery"],
            "People you serve who want to change their relationship with substances",
            "United States and online",
            ["en", "es"],
        ),
        (
            "refuge-recovery",
            "Refuge Recovery",
            "A community that welcomes all people, using Buddhist practices (the Four Noble "
            "Truths and the Eightfold Path) to recover from any form of addiction.",
            "program",
            "https://refugerecovery.org",
            "",
            None,
            ["emotional", "affiliational"],
            ["recovery", "mindfulness"],
            "Anyone seeking recovery from addiction",
            "United States and online",
            ["en"],
        ),
        (
            "welcome-pack",
            "Welcome pack for new members",
            "What members wish they had known in their first month here: our private welcome "
            "pack, for this community only.",
            "document",
            "",
            "",
            "Frontline care providers: welcome pack",
            ["informational", "affiliational"],
            ["self-care"],
            "New members of this community",
            "",
            ["en"],
        ),
    ],
    "bereaved": [
        (
            "smart-family-and-friends",
            "SMART Family & Friends",
            "Easy-to-learn tools, based on SMART Recovery and CRAFT, for people who love "
            "someone with an addiction: in person and online.",
            "program",
            "https://smartrecovery.org",
            "",
            None,
            ["informational", "instrumental"],
            ["family"],
            "Family members and friends",
            "United States and online",
            ["en"],
        ),
        (
            "live4lali-grief-group",
            "Live4Lali grief group",
            "A grief group for people who lost someone to substance use, since 2016: "
            "parents, grandparents, friends, relatives. Everyone there gets it.",
            "organization",
            "https://www.live4lali.org",
            "",
            None,
            ["emotional", "affiliational"],
            ["grief"],
            "People bereaved by a substance-related death",
            "Illinois",
            ["en"],
        ),
        (
            "welcome-pack",
            "Welcome pack for new members",
            "Our private welcome pack: how this community works, and where to start when "
            "grief is new.",
            "document",
            "",
            "",
            "Bereaved by substance use: welcome pack",
            ["informational", "affiliational"],
            ["grief"],
            "New members of this community",
            "",
            ["en"],
        ),
    ],
}


def _document(collection, title: str):
    """A document the demo already put in this space's collection (`home.demo._ensure_files`)."""
    return get_document_model().objects.get(collection=collection, title=title)


@transaction.atomic
def load_resources_demo() -> None:
    taxonomy_ensure()
    support = {s.slug: s for s in SupportType.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    home = HomePage.objects.filter(depth=2).order_by("path").first()
    owner = get_user_model().objects.filter(username="frontline-editor").first()
    for space_slug, entries in RESOURCES.items():
        space = home.get_children().get(slug=space_slug)
        collection = space_collection(space)
        library = ResourceLibraryIndexPage.objects.child_of(space).get()
        resources: dict[str, ResourcePage] = {}
        for (slug, title, summary, kind, link, phone, document, types, topics, audience,
             region, langs) in entries:  # fmt: skip
            page = ResourcePage.objects.child_of(library).filter(slug=slug).first()
            if page is None:
                page = ResourcePage(
                    title=title, slug=slug, summary=summary, kind=kind, link=link,
                    phone=phone, audience=audience, region=region, last_reviewed=REVIEWED,
                    document=_document(collection, document) if document else None,
                    owner=owner,
                )  # fmt: skip
                page.support_types = [support[t] for t in types]
                page.topics = [
                    Topic.objects.get_or_create(
                        slug=t, defaults={"name": t.replace("-", " ").capitalize()}
                    )[0]
                    for t in topics
                ]
                page.languages = [languages[code] for code in langs]
                library.add_child(instance=page)
                page.save_revision().publish()
            resources[slug] = page
        # Guides may link Common Ground's resources too.
        resources.update(
            (page.slug, page)
            for page in ResourcePage.objects.filter(slug="988-lifeline", locale_id=space.locale_id)
        )
        _load_guides(space_slug, space, collection, resources, owner)


def _load_guides(space_slug, space, collection, resources, owner) -> None:
    guides = GuideIndexPage.objects.child_of(space).get()
    image = get_image_model().objects.filter(collection=collection).order_by("pk").first()
    for guide in demo_guides(space_slug, resources, image):
        if GuidePage.objects.child_of(guides).filter(slug=guide["slug"]).exists():
            continue
        page = GuidePage(
            title=guide["title"],
            slug=guide["slug"],
            summary=guide["summary"],
            byline=guide["byline"],
            content_note=guide["content_note"],
            body=json.dumps(guide["body"]),
            owner=owner,
        )
        page.support_types = [SupportType.objects.get(slug=t) for t in guide["types"]]
        guides.add_child(instance=page)
        page.save_revision().publish()
