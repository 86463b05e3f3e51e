"""A translation has exactly its source's privacy, however it was made (docs/privacy.md,
invariant `translations-share-privacy`); and the guard for wagtail-localize issue 773 (stale
`numchild` after translating a subtree)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale, Page, PageViewRestriction

from home.models import StandardPage
from tests.conftest import ANONYMOUS, ROLES

PATHS = [
    "/",
    "/about/",
    "/frontline/",
    "/frontline/resources/",
    "/frontline/guides/",
    "/bereaved/",
    "/bereaved/groups/",
    "/common-ground/",
    "/common-ground/resources/",
]


def _status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize("role", [*ROLES, ANONYMOUS])
def test_translated_pages__access_matrix_equals_the_source(client_for, role):
    client = client_for(role)
    for path in PATHS:
        english = _status(client, path)
        assert english in (
            HTTPStatus.OK,
            HTTPStatus.FOUND,
            HTTPStatus.FORBIDDEN,
            HTTPStatus.NOT_FOUND,
        )
        for language in ("es", "pt"):
            assert _status(client, f"/{language}{path}") == english, (role, language, path)


def test_spanish_guide__only_its_community_reads_it(client_for):
    url = "/es/bereaved/guides/the-first-weeks/"
    assert _status(client_for("bereaved-member"), url) == HTTPStatus.OK
    assert _status(client_for("frontline-member"), url) == HTTPStatus.NOT_FOUND  # inside a space
    assert _status(client_for(ANONYMOUS), url) == HTTPStatus.FOUND


def _restrict(page, group):
    restriction = PageViewRestriction(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.save()
    restriction.groups.set([group])
    return restriction


def test_restriction_set_on_a_page__reaches_every_translation(client_for, page_at):
    about = page_at("/about/")
    group = Group.objects.get(name="Frontline care providers: members")
    restriction = _restrict(about, group)
    for language in ("es", "pt"):
        assert _status(client_for("frontline-member"), f"/{language}/about/") == HTTPStatus.OK
        # Restricted outside any space: 404 like a missing page (docs/privacy.md).
        assert _status(client_for("bereaved-member"), f"/{language}/about/") == 404
        assert _status(client_for(ANONYMOUS), f"/{language}/about/") == 404
    # Changing its groups, then removing it, follows too.
    restriction.groups.add(Group.objects.get(name="Bereaved by substance use: members"))
    assert _status(client_for("bereaved-member"), "/pt/about/") == HTTPStatus.OK
    restriction.delete()
    for language in ("es", "pt"):
        assert _status(client_for(ANONYMOUS), f"/{language}/about/") == HTTPStatus.OK


def test_restriction_set_on_a_translation__reaches_the_source(client_for, page_at):
    spanish = page_at("/about/").get_translation(Locale.objects.get(language_code="es"))
    _restrict(spanish, Group.objects.get(name="Bereaved by substance use: members"))
    assert _status(client_for("frontline-member"), "/about/") == HTTPStatus.NOT_FOUND
    assert _status(client_for("bereaved-member"), "/about/") == HTTPStatus.OK


def test_deleting_a_translation__leaves_the_source_private(page_at):
    about = page_at("/about/")
    _restrict(about, Group.objects.get(name="Frontline care providers: members"))
    about.get_translation(Locale.objects.get(language_code="pt")).delete()
    assert PageViewRestriction.objects.filter(page=about).count() == 1
    assert PageViewRestriction.objects.filter(page__translation_key=about.translation_key).count()


def test_copy_for_translation_under_a_private_parent__keeps_the_page_restriction(page_at):
    """Wagtail's copy skips a page's restriction when the new parent is restricted."""
    resources = page_at("/frontline/resources/")
    editors = Group.objects.get(name="Frontline care providers: editors")
    pt = Locale.objects.get(language_code="pt")
    resources.get_translation(pt).delete()
    _restrict(resources, editors)
    copy = resources.copy_for_translation(pt)
    [restriction] = PageViewRestriction.objects.filter(page=copy)
    assert list(restriction.groups.all()) == [editors]


def test_translate_view_of_wagtail_localize__keeps_privacy(client_for, page_at, user):
    home = page_at("/")
    secret = StandardPage(title="Editors' notes", slug="editors-notes", body="<p>Notes</p>")
    home.add_child(instance=secret)
    secret.save_revision().publish()
    _restrict(secret, Group.objects.get(name="Bereaved by substance use: editors"))
    es = Locale.objects.get(language_code="es")
    staff = client_for("staff")
    response = staff.post(
        reverse("wagtail_localize:submit_page_translation", args=[secret.pk]),
        {"locales": [es.pk]},
    )
    assert response.status_code == HTTPStatus.FOUND
    spanish = secret.get_translation(es)
    spanish.save_revision().publish()
    assert _status(client_for("bereaved-editor"), "/es/editors-notes/") == HTTPStatus.OK
    assert _status(client_for("bereaved-member"), "/es/editors-notes/") == 404
    assert _status(client_for(ANONYMOUS), "/es/editors-notes/") == 404


def _translate_subtree_via_admin(client_for, page_at, django_capture_on_commit_callbacks):
    """wagtail-localize's own path: the admin's "Translate" with "include subtree"."""
    resources = page_at("/frontline/resources/")
    pt = Locale.objects.get(language_code="pt")
    resources.get_translation(pt).delete()
    assert resources.get_children().count() >= 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post(
            reverse("wagtail_localize:submit_page_translation", args=[resources.pk]),
            {"locales": [pt.pk], "include_subtree": "on"},
        )
    assert response.status_code == HTTPStatus.FOUND
    return resources, Page.objects.get(pk=resources.get_translation(pt).pk)


def test_issue_773__subtree_translation_keeps_numchild(
    client_for, page_at, django_capture_on_commit_callbacks
):
    source, translated = _translate_subtree_via_admin(
        client_for, page_at, django_capture_on_commit_callbacks
    )
    children = translated.get_children()
    assert children.count() == source.get_children().count()
    assert translated.numchild == children.count()
    # The admin explorer lists them.
    response = client_for("staff").get(reverse("wagtailadmin_explore", args=[translated.pk]))
    assert response.status_code == HTTPStatus.OK
    for child in children:
        assert child.title in response.content.decode()
    # And they keep the community's privacy.
    url = f"/pt/frontline/resources/{children.first().slug}/"
    assert _status(client_for("frontline-member"), url) == HTTPStatus.OK
    assert _status(client_for("bereaved-member"), url) == HTTPStatus.NOT_FOUND


def test_issue_773__a_stale_numchild_is_repaired_when_the_translation_is_published(
    client_for, page_at, django_capture_on_commit_callbacks
):
    """The state issue 773 leaves behind (the translated parent's `numchild` 0 while its
    children exist) is repaired by the guard as soon as the parent is published again."""
    _, translated = _translate_subtree_via_admin(
        client_for, page_at, django_capture_on_commit_callbacks
    )
    Page.objects.filter(pk=translated.pk).update(numchild=0)
    translated.specific.save_revision().publish()
    assert Page.objects.get(pk=translated.pk).numchild == translated.get_children().count() > 0
