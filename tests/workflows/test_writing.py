"""The authoring loop on the site and through the API, end to end (docs/moderation.md).

A member writes a guide with the plain form, sends it; the elected editor reads the exact text
and asks for changes; the author sees the comment, changes the text, sends it back; the editor
approves and the guide is live, published once. Then the API's side: quorum, a reviewer who
changed the text, and whose names an author may read.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from community_pages.models import Community
from resources.models import GuidePage
from tests.api.conftest import make_api_client
from tests.concurrency import run_at_once
from workflows.models import ElectedEditorReviewTask
from workflows.services.drafts import draft_create
from workflows.writing_forms import guide_form_initial


def _form(**extra) -> dict:
    return {
        "title": "After the funeral",
        "summary": "What the weeks after were like.",
        "content_note": "Mentions death by overdose.",
        "support_types": ["emotional"],
        "text": "The house was quiet.\n\nFriends came, then stopped coming & that was hard.",
        "steps": "Eat something\nCall one person",
        "quote": "One hour at a time.",
        "quote_attribution": "Ana",
        "crisis_name": "988 Lifeline",
        "crisis_phone": "988",
        **extra,
    }


def _files(space: str):
    image = get_image_model().objects.get(title__startswith=space)
    document = get_document_model().objects.get(title__startswith=space)
    return image, document


def test_site__write_send_review_change_approve_publish(db, client_for):
    author, editor = client_for("bereaved-member"), client_for("bereaved-editor")
    image, document = _files("Bereaved")
    form = author.get("/bereaved/write/").content.decode()
    assert f'value="{image.pk}"' in form and f'value="{document.pk}"' in form
    assert 'aria-describedby="id_text_helptext"' in form  # help text read by screen readers
    sent = author.post(
        "/bereaved/write/",
        _form(image=image.pk, image_alt="Candles", document=document.pk, submit="1"),
    )
    assert sent.status_code == HTTPStatus.FOUND, sent.content.decode()[:3000]
    guide = GuidePage.objects.get(title="After the funeral")
    kinds = [block.block_type for block in guide.body]
    assert kinds == ["paragraph", "paragraph", "steps", "quote", "crisis_line", "figure"] + [
        "paragraph"
    ]
    assert "Friends came, then stopped coming &amp; that was hard." in str(guide.body[1].value)
    assert (guide.live, guide.owner.username) == (False, "bereaved-member")
    assert "Waiting for the editors" in author.get("/account/writing/").content.decode()

    # The editor reads the exact text, and must say what should change.
    listed = editor.get("/account/reviews/").content.decode()
    assert "After the funeral" in listed
    review = editor.get(f"/account/reviews/{guide.pk}/").content.decode()
    assert "Friends came, then stopped coming" in review and "Eat something" in review
    decision = {"revision_id": guide.latest_revision_id, "action": "request_changes"}
    empty = editor.post(f"/account/reviews/{guide.pk}/", {**decision, "comment": ""})
    assert empty.status_code == HTTPStatus.BAD_REQUEST
    asked = editor.post(
        f"/account/reviews/{guide.pk}/", {**decision, "comment": "Please add a title step."}
    )
    assert asked.status_code == HTTPStatus.FOUND

    # The author sees the comment, changes the text (the form shows it back) and resends.
    mine = author.get(f"/account/writing/{guide.pk}/")
    page = mine.content.decode()
    assert "Please add a title step." in page and "Changes requested" in page
    assert "Eat something\nCall one person" in page  # the form holds the text as written
    data = _form(image=image.pk, image_alt="Candles", document=document.pk)
    data["steps"] += "\nWrite it down"
    assert author.post(f"/account/writing/{guide.pk}/", data).status_code == HTTPStatus.FOUND
    assert author.post(f"/account/writing/{guide.pk}/submit/").status_code == HTTPStatus.FOUND
    guide.refresh_from_db()

    # Approved: live, published once, readable by the community.
    approved = editor.post(
        f"/account/reviews/{guide.pk}/",
        {"revision_id": guide.latest_revision_id, "action": "approve", "comment": ""},
    )
    assert approved.status_code == HTTPStatus.FOUND
    # A double click: the second is told, never a 404 or 500; to others the id stays missing.
    second = {"revision_id": guide.latest_revision_id, "action": "approve", "comment": ""}
    again = editor.post(f"/account/reviews/{guide.pk}/", second, follow=True)
    assert "already been decided" in again.content.decode()
    assert author.post(f"/account/reviews/{guide.pk}/", second).status_code == 404
    api_again = _post(
        make_api_client("bereaved-editor", "token"), f"/api/v2/reviews/{guide.pk}/approve/"
    )
    assert api_again.status_code == HTTPStatus.CONFLICT and api_again.json()["code"] == "decided"
    guide.refresh_from_db()
    assert guide.live and not guide.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=guide, action="wagtail.publish").count() == 1
    live = client_for("member-of-both").get(guide.url)
    assert live.status_code == HTTPStatus.OK and "Write it down" in live.content.decode()
    assert client_for("frontline-member").get(guide.url).status_code == HTTPStatus.NOT_FOUND
    state = make_api_client("bereaved-member", "token").get(f"/api/v2/drafts/{guide.pk}/")
    assert state.json()["state"] == "published"


def test_site__bad_form_is_400_with_the_field_named_and_creates_nothing(db, client_for):
    author = client_for("bereaved-member")
    foreign, _document = _files("Frontline")
    before = Revision.objects.count()
    response = author.post(
        "/bereaved/write/", _form(crisis_phone="", image=foreign.pk, image_alt="x")
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.content.decode()
    assert 'id="id_crisis_phone_error"' in body or "needs both its name" in body
    assert 'aria-invalid="true"' in body
    assert Revision.objects.count() == before
    assert not GuidePage.objects.filter(title="After the funeral").exists()


def test_form__a_body_it_cannot_show_is_left_to_the_admin(db, page_at, client_for):
    demo = page_at("/bereaved/guides/the-first-weeks/")
    assert guide_form_initial(demo) is None  # headings, callouts: the simple form would lose them


# The API's side of the review --------------------------------------------------------------


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _new_editor(slug: str, username: str):
    community = Community.objects.get(slug=slug)
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "x")
    user.groups.add(community.members_group, community.editors_group)
    return user


def _submitted_guide(role: str, section: str, page_at) -> int:
    client = make_api_client(role, "token")
    data = {
        "type": "resources.GuidePage",
        "parent": page_at(section).pk,
        "title": "Shared across communities",
        "summary": "For everyone.",
        "body": [{"type": "paragraph", "value": "<p>Hello.</p>"}],
    }
    page_id = _post(client, "/api/v2/drafts/", data).json()["id"]
    assert _post(client, f"/api/v2/drafts/{page_id}/submit/").status_code == HTTPStatus.OK
    return page_id


def test_api__quorum_and_a_reviewer_who_changed_the_text(db, page_at):
    ElectedEditorReviewTask.objects.update(quorum=2)
    page_id = _submitted_guide("frontline-member", "/frontline/guides/", page_at)
    second = _new_editor("frontline", "second-editor")
    first = make_api_client("frontline-editor", "token")
    detail = first.get(f"/api/v2/reviews/{page_id}/").json()
    assert detail["content"]["body"][0]["value"] == "<p>Hello.</p>"
    revision = detail["revision_id"]
    once = _post(first, f"/api/v2/reviews/{page_id}/approve/", {"revision_id": revision})
    assert once.json() == {
        "id": page_id,
        "decision": "in_progress",
        "published": False,
        "approvals": {"count": 1, "quorum": 2},
    }
    twice = _post(first, f"/api/v2/reviews/{page_id}/approve/", {"revision_id": revision})
    assert twice.status_code == HTTPStatus.CONFLICT
    mine = make_api_client("frontline-member", "token").get(f"/api/v2/drafts/{page_id}/").json()
    assert mine["state"] == "in_review" and mine["approvals"] == {"count": 1, "quorum": 2}
    assert [d["decision"] for d in mine["decisions"]] == ["approved"]

    # A reviewer who changes the text becomes one of its authors: another editor decides.
    GuidePage.objects.get(pk=page_id).save_revision(user=second)
    refused = _post(
        make_api_client(second.username, "token"), f"/api/v2/reviews/{page_id}/approve/"
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN and refused.json()["code"] == "author"
    stale = _post(first, f"/api/v2/reviews/{page_id}/approve/", {"revision_id": revision})
    assert stale.status_code == HTTPStatus.CONFLICT and stale.json()["code"] == "changed"
    assert not GuidePage.objects.get(pk=page_id).live


def test_api__an_author_never_learns_another_communitys_editors(db, page_at):
    """A Common Ground draft is reviewed by every community's editors; the bereaved editor's
    name would tell a frontline member who belongs to the bereaved community."""
    page_id = _submitted_guide("frontline-member", "/common-ground/guides/", page_at)
    editor = make_api_client("bereaved-editor", "token")
    empty = _post(editor, f"/api/v2/reviews/{page_id}/request-changes/", {"comment": " "})
    assert empty.status_code == HTTPStatus.BAD_REQUEST and empty.json()["field"] == "comment"
    asked = _post(editor, f"/api/v2/reviews/{page_id}/request-changes/", {"comment": "Shorter?"})
    assert asked.status_code == HTTPStatus.OK
    seen = make_api_client("frontline-member", "token").get(f"/api/v2/drafts/{page_id}/").json()
    assert seen["state"] == "changes_requested" and seen["comment"] == "Shorter?"
    assert seen["decisions"][0]["reviewer"] == "an elected editor"
    assert "bereaved-editor" not in json.dumps(seen)
    # Its twin: the same decision, read by a member of the bereaved community, is named.
    both = get_user_model().objects.get(username="member-of-both")
    GuidePage.objects.filter(pk=page_id).update(owner=both)
    named = make_api_client("member-of-both", "token").get(f"/api/v2/drafts/{page_id}/").json()
    assert named["decisions"][0]["reviewer"] == "bereaved-editor"


# At once, on PostgreSQL ------------------------------------------------------------------------


@pytest.mark.usefixtures("demo_loaded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_at_once__two_api_submissions_and_an_edit__one_review_nothing_slips_in():
    author = get_user_model().objects.get(username="bereaved-member")
    guides = Page.objects.get(url_path="/home/bereaved/guides/")
    page = draft_create(
        user=author,
        page_type="resources.GuidePage",
        parent_id=guides.pk,
        data={
            "title": "At once",
            "summary": "S.",
            "body": [{"type": "quote", "value": {"quote": "Q"}}],
        },
    )
    clients = [make_api_client("bereaved-member", "session") for _ in range(3)]
    url = f"/api/v2/drafts/{page.pk}/"
    outcomes = run_at_once(
        lambda: clients[0].post(f"{url}submit/"),
        lambda: clients[1].post(f"{url}submit/"),
        lambda: clients[2].patch(url, json.dumps({"summary": "Edited"}), "application/json"),
        catch=Exception,
    )
    submits = sorted(o.status_code for o in outcomes[:2])
    assert submits == [HTTPStatus.OK, HTTPStatus.CONFLICT], outcomes
    assert outcomes[2].status_code in (HTTPStatus.OK, HTTPStatus.CONFLICT)
    page.refresh_from_db()
    assert WorkflowState.objects.for_instance(page).count() == 1
    task_state = TaskState.objects.for_instance(page).get()
    # The text under review is the latest: an edit either came before the submission (and is
    # in it) or was refused; none was saved after it.
    assert task_state.revision_id == page.latest_revision_id
    edited = outcomes[2].status_code == HTTPStatus.OK
    assert (page.get_latest_revision_as_object().summary == "Edited") == edited
