"""The resource library: filters, pagination, bad input, attachments and query counts."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from resources.models import ResourcePage, SupportType, Topic

LIBRARY = "/common-ground/resources/"


def _titles(response):
    return [resource.title for resource in response.context["resources"]]


@pytest.fixture
def add_resources(page_at):
    """Add n published resources to a library; returns them."""

    def add(library_url: str, n: int, *, support="emotional", topic="bulk"):
        library = page_at(library_url)
        kind = SupportType.objects.get(slug=support)
        subject, _ = Topic.objects.get_or_create(slug=topic, defaults={"name": topic})
        added = []
        for i in range(n):
            page = ResourcePage(
                title=f"Bulk resource {i:03d}", slug=f"bulk-{topic}-{i}", summary="s",
                kind="book",
            )  # fmt: skip
            page.support_types = [kind]
            page.topics = [subject]
            library.add_child(instance=page)
            added.append(page)
        return added

    return add


def test_library__lists_its_resources(client_for):
    response = client_for("frontline-member").get(LIBRARY)
    assert response.status_code == HTTPStatus.OK
    assert "988 Suicide &amp; Crisis Lifeline" in response.content.decode()


def test_library__filter_by_support_type(client_for):
    response = client_for("frontline-member").get(LIBRARY, {"support": "emotional"})
    assert response.status_code == HTTPStatus.OK
    assert _titles(response) == ["988 Suicide & Crisis Lifeline"]


def test_library__filter_by_support_type__other_type_excludes(client_for):
    response = client_for("frontline-member").get(LIBRARY, {"support": "affiliational"})
    assert response.status_code == HTTPStatus.OK
    assert _titles(response) == []
    assert "No resources match these filters." in response.content.decode()


def test_library__filter_by_topic(client_for):
    response = client_for("frontline-member").get(LIBRARY, {"topic": "treatment"})
    assert _titles(response) == [
        "Massachusetts Substance Use Helpline",
        "SAMHSA's National Helpline",
    ]


def test_library__filter_by_language_and_support(client_for):
    response = client_for("bereaved-member").get(
        "/bereaved/resources/", {"language": "en", "support": "affiliational"}
    )
    assert _titles(response) == ["Live4Lali grief group", "Welcome pack for new members"]


def test_library__filter_by_language__unused_language_is_empty(client_for):
    response = client_for("bereaved-member").get("/bereaved/resources/", {"language": "pt"})
    assert response.status_code == HTTPStatus.OK
    assert _titles(response) == []


def test_library__unknown_query_parameters_are_ignored(client_for):
    response = client_for("frontline-member").get(LIBRARY, {"utm_source": "mail"})
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "query",
    [
        {"support": "spiritual"},
        {"topic": "no-such-topic"},
        {"language": "xx"},
        {"topic": "grief\x00"},
        {"language": "e" * 5000},
        {"page": "abc"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "99999"},
        {"page": "9" * 400},
    ],
)
def test_library__bad_filters_get_400_with_a_message(client_for, query):
    response = client_for("frontline-member").get(LIBRARY, query)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.content.decode()
    assert "These filters could not be used" in body
    assert "988 Suicide" not in body  # no listing with a bad filter


def test_library__huge_query_string_gets_400(client_for):
    response = client_for("frontline-member").get(LIBRARY + "?" + "&".join(["x=1"] * 3000))
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_library__paginates(client_for, add_resources):
    add_resources(LIBRARY, 25)
    client = client_for("frontline-member")
    first = client.get(LIBRARY, {"topic": "bulk"})
    second = client.get(LIBRARY, {"topic": "bulk", "page": "2"})
    assert len(first.context["resources"]) == 20
    assert len(second.context["resources"]) == 5
    assert "page=2" in first.content.decode() and "topic=bulk" in first.content.decode()
    assert client.get(LIBRARY, {"topic": "bulk", "page": "3"}).status_code == 400


def test_library__drafts_are_not_listed(client_for, page_at):
    page = page_at("/common-ground/resources/988-lifeline/")
    page.unpublish()
    response = client_for("frontline-member").get(LIBRARY)
    assert "988 Suicide & Crisis Lifeline" not in _titles(response)


def test_library__query_count_is_constant(client_for, add_resources, django_assert_max_num_queries):
    client = client_for("member-of-both")
    add_resources("/frontline/resources/", 3, topic="few")
    add_resources("/bereaved/resources/", 30, topic="many")
    client.get("/frontline/resources/")  # warm caches (site root paths, session)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/frontline/resources/", {"topic": "few"})
    assert len(response.context["resources"]) == 3
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/bereaved/resources/", {"topic": "many"})
    assert len(response.context["resources"]) == 20


def test_resource_page__shows_its_fields(client_for):
    body = client_for("frontline-member").get("/common-ground/resources/samhsa-national-helpline/")
    text = body.content.decode()
    assert body.status_code == HTTPStatus.OK
    assert 'href="tel:18006624357"' in text
    assert "Informational support" in text and "Spanish" in text


# Attachments: only from the page's own space (or public) -------------------------------------


def _document(space_title):
    return get_document_model().objects.get(title=f"{space_title}: welcome pack")


@pytest.mark.parametrize(
    ("document_of", "allowed"),
    [
        ("Frontline care providers", True),
        ("The Neighborhood", True),
        ("Bereaved by substance use", False),
        ("Common Ground", False),
    ],
)
def test_resource__attachment_must_come_from_its_own_space(page_at, document_of, allowed):
    library = page_at("/frontline/resources/")
    before = ResourcePage.objects.count()
    page = ResourcePage(
        title="Attached", slug="attached", summary="s", kind="document",
        document=_document(document_of),
    )  # fmt: skip
    if allowed:
        library.add_child(instance=page)
        assert ResourcePage.objects.count() == before + 1
    else:
        with pytest.raises(ValidationError) as raised:
            library.add_child(instance=page)
        assert "another space's collection" in str(raised.value.message_dict["document"])
        assert ResourcePage.objects.count() == before


def test_resource__attachment_on_edit_is_checked_too(page_at):
    page = page_at("/frontline/resources/welcome-pack/")
    page.document = _document("Bereaved by substance use")
    with pytest.raises(ValidationError):
        page.save_revision()
    page.refresh_from_db()
    assert page.document.collection.name != "Bereaved by substance use"


def _admin_add_form(client, library, document):
    return client.post(
        f"/admin/pages/add/resources/resourcepage/{library.pk}/",
        {
            "title": "Crafted",
            "slug": "crafted",
            "summary": "s",
            "kind": "document",
            "document": document.pk,
            "last_reviewed": "",
            "action-publish": "publish",
        },
    )


@pytest.mark.parametrize(
    ("document_of", "saved"),
    [("Frontline care providers", True), ("Bereaved by substance use", False)],
)
def test_admin_add_resource__foreign_document_is_a_form_error(
    client_for, page_at, document_of, saved
):
    """member-of-both can see both files, but a frontline page may not attach a bereaved one."""
    library = page_at("/frontline/resources/")
    response = _admin_add_form(client_for("staff"), library, _document(document_of))
    exists = ResourcePage.objects.filter(slug="crafted").exists()
    assert exists is saved
    if not saved:
        assert response.status_code == HTTPStatus.OK
        assert "another space" in response.content.decode()


def test_resource__website_needs_a_link(page_at):
    page = ResourcePage(title="No link", slug="no-link", summary="s", kind="website")
    with pytest.raises(ValidationError) as raised:
        page_at("/frontline/resources/").add_child(instance=page)
    assert "link" in raised.value.message_dict
