"""The way around (issue 15): the front door puts a signed-in person's own spaces first and
offers "Ask to join" only where they are not a member; a visitor who opens a community reads its
public description and how to join on the sign-in page, and comes back after signing in; a
community's home shows what is new; two-step sign-in shows a QR code made here; a favicon."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from tests.conftest import ANONYMOUS
from workflows.services.drafts import draft_create, draft_submit

FRONTLINE_PUBLIC = "Peer support for people who work or volunteer with people who use drugs."
FRONTLINE_WELCOME = "who deliver close-up services"


def _front_door(client_for, role, prefix=""):
    html = client_for(role).get(f"{prefix}/").content.decode()
    mine = html.split('id="your-spaces"')[1].split("</section>")[0] if "your-spaces" in html else ""
    others = (
        html.split('id="communities"')[1].split("</section>")[0]
        if 'id="communities"' in html
        else ""
    )
    return mine, others


@pytest.mark.parametrize(
    ("role", "mine", "asks"),
    [
        ("frontline-member", {"/frontline/", "/common-ground/"}, {"/join/bereaved/"}),
        ("member-of-both", {"/frontline/", "/bereaved/", "/common-ground/"}, set()),
        ("staff", {"/frontline/", "/bereaved/", "/common-ground/"}, set()),
        (ANONYMOUS, set(), {"/join/frontline/", "/join/bereaved/"}),
    ],
)
def test_front_door__own_spaces_first_ask_to_join_only_elsewhere(client_for, role, mine, asks):
    own, others = _front_door(client_for, role)
    for space in ("/frontline/", "/bereaved/", "/common-ground/"):
        assert (f'href="{space}"' in own) == (space in mine), (role, space)
    for join in ("/join/frontline/", "/join/bereaved/"):
        assert (f'href="{join}"' in others) == (join in asks), (role, join)
        assert f'href="{join}"' not in own


def test_front_door__applicant_is_told_their_request_is_waiting(client_for):
    _own, others = _front_door(client_for, "applicant")
    bereaved = others.split('href="/bereaved/"')[1].split("</li>")[0]
    assert "/join/bereaved/" not in bereaved and "asked to join" in bereaved
    assert 'href="/join/frontline/"' in others


def test_front_door__spanish_names_and_descriptions(client_for):
    own, others = _front_door(client_for, "frontline-member", "/es")
    assert "Cuidadores de primera línea" in own and "Terreno Común" in own
    assert 'href="/es/join/bereaved/"' in others and "En duelo" in others


@pytest.mark.parametrize("path", ["/frontline/", "/frontline/resources/", "/frontline/no-such/"])
def test_visitor_opening_a_community__reads_its_public_card_then_signs_in(db, client, path):
    response = client.get(path, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/account/login/?next=")
    assert FRONTLINE_PUBLIC in html and FRONTLINE_WELCOME not in html
    assert "/account/signup/?next=/join/frontline/" in html.replace("%2F", "/")


def test_visitor_card__none_for_what_is_not_a_live_community(db, client):
    for path in (
        "/common-ground/",
        "/no-such-community/x/",
        "/about/",
        "https://elsewhere.example/",
    ):
        html = client.get("/account/login/", {"next": path}).content.decode()
        assert "community-card" not in html, path


def test_visitor_signs_in__and_returns_where_they_were(db, client, django_user_model):
    from tests.conftest import DEMO_PASSWORD

    response = client.post(
        "/account/login/?next=/frontline/resources/",
        {
            "username": "frontline-member",
            "password": DEMO_PASSWORD,
            "next": "/frontline/resources/",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/frontline/resources/"


def test_non_member__403_names_the_community_in_their_language_with_its_card(client_for):
    response = client_for("bereaved-member").get("/es/frontline/")
    html = response.content.decode()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Cuidadores de primera línea" in html and "/es/join/frontline/" in html
    assert "Apoyo entre pares para quienes trabajan" in html
    assert FRONTLINE_WELCOME not in html


def test_community_home__shows_what_is_new_to_members_only(client_for):
    html = client_for("frontline-member").get("/frontline/").content.decode()
    for heading in ("news-meetings", "news-guides", "news-resources", "news-elections"):
        assert f'id="{heading}"' in html
    assert "/frontline/resources/smart-recovery/" in html
    assert "/bereaved/" not in html.split('class="news"')[1]
    spanish = client_for("frontline-member").get("/es/frontline/").content.decode()
    assert "/es/frontline/resources/smart-recovery/" in spanish and "lang-notice" in spanish
    denied = client_for("bereaved-member").get("/frontline/").content.decode()
    assert 'class="news"' not in denied and "smart-recovery" not in denied


def test_two_step_setup__shows_a_qr_code_drawn_here(client_for):
    html = client_for("frontline-member").get("/account/two-factor/").content.decode()
    svg = html.split('<figure class="qr-code">')[1].split("</figure>")[0]
    assert svg.startswith("<svg") and 'role="img"' in svg and "<path" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_favicon__linked_and_served(db, client):
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html


def test_footer__crisis_lines_are_tap_to_call(db, client):
    html = client.get("/es/").content.decode()
    assert 'href="tel:988"' in html and 'href="tel:911"' in html


@pytest.mark.parametrize("prefix", ["", "/es", "/pt"])
def test_crisis_page__every_number_is_tap_to_call(db, client, prefix):
    """The demo's crisis page: 988, 911 and the state helpline as `tel:` links, in every
    language, and no phone number left as plain text."""
    html = client.get(f"{prefix}/crisis-help/").content.decode()
    main = html.split('<main id="main"')[1].split("</main>")[0]
    for number in ('href="tel:988"', 'href="tel:911"', 'href="tel:+18003275050"'):
        assert number in main
    plain = re.sub(r"<a [^>]*>.*?</a>", "", main)
    assert not re.search(r"\b(988|911|\d{3}-\d{3}-\d{4})\b", plain), plain


def _submit_guide(author_name: str, title: str):
    author = get_user_model().objects.get(username=author_name)
    guides = Page.objects.get(url_path="/home/frontline/guides/")
    page = draft_create(
        user=author,
        page_type="resources.GuidePage",
        parent_id=guides.pk,
        data={
            "title": title,
            "summary": "Waiting for the elected editors.",
            "body": [{"type": "paragraph", "value": "<p>Text.</p>"}],
        },
    )
    return draft_submit(user=author, page=page)


@pytest.mark.parametrize("prefix", ["", "/es", "/pt"])
def test_community_home__shows_my_drafts_in_review_to_me_only(client_for, prefix):
    page = _submit_guide("frontline-member", "My guide under review")
    mine = client_for("frontline-member").get(f"{prefix}/frontline/").content.decode()
    assert 'id="news-my-drafts"' in mine and "My guide under review" in mine
    assert f'href="{prefix}/account/writing/{page.pk}/"' in mine
    # Another member of the same community, and its editor who reviews it: not "my" draft.
    for other in ("member-of-both", "frontline-editor"):
        html = client_for(other).get(f"{prefix}/frontline/").content.decode()
        assert 'id="news-my-drafts"' not in html and "My guide under review" not in html
    # Its author's other community shows none of it.
    common = client_for("frontline-member").get(f"{prefix}/common-ground/").content.decode()
    assert "My guide under review" not in common
