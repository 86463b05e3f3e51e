"""The community tools' spaces (workflows/spaces.py): who is in one, who moderates, and that a
translation of a space or a page inside it leads to the same (default-language) space."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page

from tests.conftest import ANONYMOUS, ROLES, SEES
from workflows import spaces

pytestmark = pytest.mark.django_db

MODERATES = {
    "staff": {"frontline", "bereaved", "common-ground"},
    "frontline-editor": {"frontline", "common-ground"},
    "bereaved-editor": {"bereaved", "common-ground"},
}


def test_spaces__one_per_community_and_common_ground__in_the_default_language():
    assert sorted(spaces.spaces().values_list("slug", flat=True)) == sorted(
        ["frontline", "bereaved", "common-ground"]
    )


@pytest.mark.parametrize("role", [ANONYMOUS, *ROLES])
def test_who_is_in_a_space_and_who_moderates__the_rule_and_the_elected_editors(role, user):
    person = None if role == ANONYMOUS else user(role)

    person = person or AnonymousUser()
    assert {s.slug for s in spaces.spaces_of(person)} == SEES[role]
    for space in spaces.spaces():
        assert spaces.in_space(person, space) == (space.slug in SEES[role])
        assert spaces.may_moderate(person, space) == (space.slug in MODERATES.get(role, set()))


def test_a_page_and_its_translations_lead_to_the_same_source_space(page_at):
    guide_index = page_at("/bereaved/guides/")
    space = spaces.source_space(guide_index)
    assert space.slug == "bereaved" and space.locale.language_code == "en"
    translations = Page.objects.filter(translation_key=guide_index.translation_key).exclude(
        pk=guide_index.pk
    )
    for translation in translations:
        assert spaces.source_space(translation).pk == space.pk
    assert spaces.source_space(page_at("/")) is None
    assert spaces.space_by_slug("bereaved").pk == space.pk
    assert spaces.space_by_slug("nowhere") is None


def test_people_in__members_of_the_community__every_community_for_common_ground():
    bereaved = spaces.space_by_slug("bereaved")
    common = spaces.space_by_slug("common-ground")
    assert {u.username for u in spaces.people_in(bereaved)} >= {
        "bereaved-member",
        "bereaved-editor",
    }
    assert "frontline-member" not in {u.username for u in spaces.people_in(bereaved)}
    assert {u.username for u in spaces.people_in(common)} >= {"bereaved-member", "frontline-member"}
    assert spaces.is_common_ground(common) and not spaces.is_common_ground(bereaved)
