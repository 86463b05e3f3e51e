"""Demo content: the front door, two communities, Common Ground, files and people in every role.

Built on the same services the product uses (`space_create`, `membership_add`,
`membership_request`), so the demo is provisioned exactly like real content. Idempotent:
running it again finds what exists and changes nothing but passwords.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from community_pages.models import CommonGroundPage, CommunityPage, JoinRequest
from community_pages.services import membership_add, space_create
from home.demo.community_tools import load_community_tools_demo
from home.demo.elections import load_elections_demo
from home.demo.groups import load_groups_demo
from home.demo.i18n import load_translations_demo
from home.demo.resources import load_resources_demo
from home.models import HomePage, StandardPage

FRONT_DOOR = {
    "intro": (
        "<p>The Neighborhood is a place where people with a common purpose join together to "
        "become a dynamic community. Its communities are private spaces, their leadership comes "
        "from the community as a whole, and their data is protected from commercial uses.</p>"
    ),
    "pages": [
        (
            "about",
            "About the Neighborhood",
            "Private peer-support communities, run by their members.",
            "<p>Peer Support Community Partners provides the Neighborhood for free to frontline "
            "care providers and to people bereaved by a death from substance use in "
            "Massachusetts. Peer support is the giving and receiving of nonprofessional, "
            "nonclinical help from people with lived experience: emotional, informational, "
            "instrumental and affiliational.</p>",
        ),
        (
            "join",
            "How to join",
            "Create an account, then ask to join a community.",
            "<p>Create an account and ask to join the community you belong to. Its elected "
            "editors read each request. If a member gave you an invitation link, open it to "
            "join at once.</p>",
        ),
        (
            "crisis-help",
            "Crisis help",
            "If you or someone near you is in danger, get help now.",
            '<p>Call or text <a href="tel:988">988</a>, the Suicide &amp; Crisis Lifeline, at '
            'any hour. In an emergency, call <a href="tel:911">911</a>. For help with '
            "substance use in Massachusetts, call the Massachusetts Substance Use Helpline at "
            '<a href="tel:+18003275050">800-327-5050</a>.</p>',
        ),
    ],
}

SPACES = [
    (
        CommunityPage,
        "frontline",
        "Frontline care providers",
        "<p>For paid workers, volunteers and retired people who deliver close-up services to "
        "people at high risk of dying from substance use.</p>",
    ),
    (
        CommunityPage,
        "bereaved",
        "Bereaved by substance use",
        "<p>For people grieving someone whose death was caused by alcohol or other drugs, and "
        "for those further on who now help others.</p>",
    ),
    (
        CommonGroundPage,
        "common-ground",
        "Common Ground",
        "<p>Shared by the members of every community.</p>",
    ),
]

# What anyone may read about each community (docs/privacy.md, "Public exceptions"): not its
# members' welcome text above.
PUBLIC_DESCRIPTIONS = {
    "frontline": "Peer support for people who work or volunteer with people who use drugs.",
    "bereaved": "Peer support for parents, partners, family and friends after a death from "
    "substance use.",
}

# username → (superuser, member of, editor of, pending join request to)
PEOPLE = {
    "staff": (True, [], [], []),
    "frontline-member": (False, ["frontline"], [], []),
    "frontline-editor": (False, ["frontline"], ["frontline"], []),
    "bereaved-member": (False, ["bereaved"], [], []),
    "bereaved-editor": (False, ["bereaved"], ["bereaved"], []),
    "member-of-both": (False, ["frontline", "bereaved"], [], []),
    "applicant": (False, [], [], ["bereaved"]),
}


def _png(label: str, colour: tuple[int, int, int]) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), colour).save(buffer, format="PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=f"{label}.png")


def _home() -> HomePage:
    """The home page; rebuilt (with the tree roots, locale and site) if the database was emptied."""
    home = HomePage.objects.filter(depth=2).order_by("path").first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    if Collection.get_first_root_node() is None:  # created by Wagtail's migrations, gone on flush
        Collection.add_root(name="Root")
    home = root.add_child(instance=HomePage(title="The Neighborhood", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "The Neighborhood",
        },
    )
    return home


def _ensure_files(collection: Collection, slug: str, title: str, colour) -> None:
    Document = get_document_model()
    Image = get_image_model()
    doc_title = f"{title}: welcome pack"
    if not Document.objects.filter(collection=collection, title=doc_title).exists():
        Document.objects.create(
            title=doc_title,
            collection=collection,
            file=ContentFile(
                f"{title}\n\nWelcome pack for members. Private to this space.\n".encode(),
                name=f"{slug}-welcome-pack.txt",
            ),
        )
    image_title = f"{title}: gathering photo"
    if not Image.objects.filter(collection=collection, title=image_title).exists():
        Image.objects.create(
            title=image_title, collection=collection, file=_png(f"{slug}-gathering", colour)
        )


@transaction.atomic
def load_demo(password: str) -> None:
    home = _home()
    if home.title != "The Neighborhood" or not home.intro:
        home.title = "The Neighborhood"
        home.intro = FRONT_DOOR["intro"]
        home.save_revision().publish()
    for slug, title, summary, body in FRONT_DOOR["pages"]:
        if not home.get_children().filter(slug=slug).exists():
            page = StandardPage(title=title, slug=slug, summary=summary, body=body)
            home.add_child(instance=page)
            page.save_revision().publish()

    colours = [(47, 107, 94), (120, 80, 140), (200, 140, 60)]
    for (page_class, slug, title, intro), colour in zip(SPACES, colours, strict=True):
        space = page_class.objects.child_of(home).filter(slug=slug).first()
        if space is None:
            space = space_create(
                parent=home,
                page_class=page_class,
                title=title,
                slug=slug,
                intro=intro,
                public_description=PUBLIC_DESCRIPTIONS.get(slug, ""),
            )
        collection = (
            space.community.collection
            if page_class is CommunityPage
            else Collection.objects.get(common_ground__isnull=False)
        )
        _ensure_files(collection, slug, title, colour)
    _ensure_files(Collection.get_first_root_node(), "public", "The Neighborhood", (90, 90, 90))

    communities = {page.slug: page.community for page in CommunityPage.objects.child_of(home)}
    User = get_user_model()
    for username, (superuser, member_of, editor_of, asking) in PEOPLE.items():
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_superuser = user.is_staff = superuser
        user.set_password(password)
        user.save()
        for slug in member_of:
            membership_add(user=user, community=communities[slug])
        for slug in editor_of:
            user.groups.add(communities[slug].editors_group)
        for slug in asking:
            JoinRequest.objects.get_or_create(
                user=user,
                community=communities[slug],
                status=JoinRequest.Status.PENDING,
                defaults={"message": "I lost my brother last spring and would like to join."},
            )
    load_resources_demo()
    load_groups_demo()
    load_elections_demo()  # the editors above are the winners of certified elections
    load_community_tools_demo()  # by the members above, in the spaces above
    load_translations_demo()  # last: translates what the lines above made
