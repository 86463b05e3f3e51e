"""Peer-support guides: body blocks, byline, content note, related resources, images."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from wagtail.images import get_image_model

from resources.models import GuidePage, ResourcePage

FRONTLINE_GUIDE = "/frontline/guides/after-a-hard-shift/"
BEREAVED_GUIDE = "/bereaved/guides/the-first-weeks/"


def test_guide__renders_every_block(client_for):
    response = client_for("frontline-member").get(FRONTLINE_GUIDE)
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "<h2>The check-in</h2>" in body
    assert '<ol class="steps">' in body and "Ask, and wait for the answer" in body
    assert "<blockquote>" in body
    assert "callout callout-tip" in body
    assert 'class="crisis-line"' in body and 'href="tel:988"' in body
    assert "By A night-shift outreach worker" in body


def test_guide__image_goes_through_the_membership_view(client_for):
    client = client_for("frontline-member")
    body = client.get(FRONTLINE_GUIDE).content.decode()
    assert 'src="/images/' in body and 'alt="Members of the community sitting together"' in body
    src = body.split('src="/images/')[1].split('"')[0]
    assert client.get(f"/images/{src}").status_code == HTTPStatus.OK
    assert client_for("bereaved-member").get(f"/images/{src}").status_code == 404


def test_guide__content_note_shown_before_the_text(client_for):
    body = client_for("bereaved-member").get(BEREAVED_GUIDE).content.decode()
    assert body.index("Content note") < body.index("Grief after a death from substance use")
    assert "death by overdose" in body


def test_guide__without_content_note_shows_none(client_for):
    body = client_for("frontline-member").get(FRONTLINE_GUIDE).content.decode()
    assert "content-note" not in body


def test_guide__related_resources_link_to_resource_pages(client_for):
    body = client_for("frontline-member").get(FRONTLINE_GUIDE).content.decode()
    assert 'href="/frontline/resources/welcome-pack/"' in body
    assert 'href="/common-ground/resources/988-lifeline/"' in body


def test_guide__related_resource_the_reader_may_not_see_is_left_out(client_for, page_at):
    """Even if a foreign resource slipped in (written past clean()), readers never see it."""
    guide = page_at(FRONTLINE_GUIDE)
    foreign = page_at("/bereaved/resources/live4lali-grief-group/")
    raw = guide.body.raw_data
    for block in raw:
        if block["type"] == "related_resources":
            block["value"]["resources"].append(foreign.pk)
    GuidePage.objects.filter(pk=guide.pk).update(body=guide.body.stream_block.to_python(raw))
    assert "Live4Lali" not in client_for("frontline-member").get(FRONTLINE_GUIDE).content.decode()
    assert "Live4Lali" in client_for("member-of-both").get(FRONTLINE_GUIDE).content.decode()


@pytest.mark.parametrize(
    ("resource_url", "allowed"),
    [
        ("/frontline/resources/smart-recovery/", True),
        ("/common-ground/resources/988-lifeline/", True),
        ("/bereaved/resources/live4lali-grief-group/", False),
    ],
)
def test_guide__related_resources_must_be_visible_to_its_readers(page_at, resource_url, allowed):
    guide = page_at(FRONTLINE_GUIDE)
    resource = page_at(resource_url)
    guide.body.append(("related_resources", {"title": "", "resources": [resource]}))
    if allowed:
        guide.save_revision()
    else:
        with pytest.raises(ValidationError) as raised:
            guide.save_revision()
        assert "another space" in str(raised.value)


def test_common_ground_guide__may_not_link_a_community_resource(page_at):
    guide = page_at("/common-ground/guides/four-kinds-of-peer-support/")
    guide.body.append(
        (
            "related_resources",
            {"title": "", "resources": [page_at("/frontline/resources/smart-recovery/")]},
        )
    )
    with pytest.raises(ValidationError):
        guide.save_revision()


@pytest.mark.parametrize(("space", "allowed"), [("frontline", True), ("bereaved", False)])
def test_guide__image_must_come_from_its_own_space(page_at, space, allowed):
    guide = page_at(FRONTLINE_GUIDE)
    image = get_image_model().objects.get(file__contains=f"{space}-gathering")
    guide.body.append(("figure", {"image": image, "alt_text": "a", "caption": ""}))
    if allowed:
        guide.save_revision()
    else:
        with pytest.raises(ValidationError):
            guide.save_revision()


def test_admin_add_guide__byline_defaults_to_display_name(client_for, page_at, user):
    editor = user("frontline-editor")
    editor.first_name, editor.last_name = "Dana", "Reyes"
    editor.save()
    guides = page_at("/frontline/guides/")
    response = client_for("frontline-editor").get(
        f"/admin/pages/add/resources/guidepage/{guides.pk}/"
    )
    assert response.status_code == HTTPStatus.OK
    assert 'value="Dana Reyes"' in response.content.decode()


def test_admin_add_guide__pseudonym_is_kept(client_for, page_at):
    guides = page_at("/frontline/guides/")
    response = client_for("frontline-editor").post(
        f"/admin/pages/add/resources/guidepage/{guides.pk}/",
        {
            "title": "Pseudonymous",
            "slug": "pseudonymous",
            "summary": "s",
            "byline": "Night Owl",
            "content_note": "",
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-value": '{"blocks":[{"key":"a","text":"Hello","type":"unstyled",'
            '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    assert GuidePage.objects.get(slug="pseudonymous").byline == "Night Owl"


def test_page_types__sit_only_in_their_sections():
    assert ResourcePage.allowed_parent_page_models()[0].__name__ == "ResourceLibraryIndexPage"
    assert GuidePage.allowed_parent_page_models()[0].__name__ == "GuideIndexPage"
    assert ResourcePage.allowed_subpage_models() == []
    assert GuidePage.allowed_subpage_models() == []
