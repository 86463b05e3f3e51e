"""The review step under repetition and concurrency (workflows/services/review.py).

A double click on "Approve and publish" in the edit view posts twice: the first approves and
publishes, the second is told the review is decided, saves nothing, and never answers 500. The
same holds for the service the API calls. On PostgreSQL, real threads and connections: two
approvals at once, an approval racing an edit, two submissions at once: one outcome each.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from resources.models import ResourcePage
from tests.concurrency import run_at_once
from tests.workflows.test_moderation import (
    LIBRARY,
    _edit_url,
    _form,
    _live,
    _new_editor,
    _set_quorum,
    _submit,
    _task_state,
)
from workflows.models import TaskApproval
from workflows.services.review import (
    ReviewRefused,
    review_approve,
    review_request_changes,
    review_submit,
)


def _approve_in_editor(client: Client, page: Page, **extra):
    """What the edit screen's "Approve" posts: the form as loaded, and the action."""
    page.refresh_from_db()
    text = page.get_latest_revision_as_object()
    return client.post(
        _edit_url(page),
        _form(
            text.title,
            text.slug,
            action="action-workflow-action",
            **{
                "workflow-action-name": "approve",
                "loaded_revision_id": str(page.latest_revision_id),
                **extra,
            },
        ),
    )


def _messages(response) -> list[str]:
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


def _revisions(page: Page) -> int:
    return Revision.objects.for_instance(page).count()


# A double POST from the edit view (sequential: the second arrives after the first committed) ---


def test_edit_view_double_approve__second_is_told__page_live__no_extra_revision(
    client_for, page_at
):
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    editor = client_for("frontline-editor")
    stale = Page.objects.get(pk=page.pk).specific  # the page as the edit screen loaded it
    revisions = _revisions(page)

    first = _approve_in_editor(editor, stale)
    assert first.status_code == HTTPStatus.FOUND
    assert _live(page)
    # The second click: what the same screen posts again (its loaded revision is the same).
    second = editor.post(
        _edit_url(page),
        _form(
            stale.title,
            stale.slug,
            action="action-workflow-action",
            **{"workflow-action-name": "approve", "loaded_revision_id": str(revisions)},
        ),
    )
    assert second.status_code == HTTPStatus.FOUND
    assert second.url == _edit_url(page)
    assert "This review has already been decided: nothing was changed." in _messages(second)
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert _revisions(page) == revisions  # no revision nobody wrote
    assert page.live_revision_id == page.latest_revision_id
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1


def test_edit_view_submit_twice__second_is_told__one_review(client_for, page_at):
    author = client_for("frontline-member")
    page = _submit(author, page_at(LIBRARY))
    again = author.post(_edit_url(page), _form(page.title, page.slug))
    assert again.status_code == HTTPStatus.FOUND
    assert "This draft is already waiting for review: nothing was changed." in _messages(again)
    assert WorkflowState.objects.for_instance(page).count() == 1


def test_edit_view__reviewer_who_edits__refused_with_message__edit_kept(client_for, page_at):
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    response = client_for("frontline-editor").post(
        _edit_url(page),
        _form(
            "Rewritten",
            page.slug,
            action="action-workflow-action",
            **{"workflow-action-name": "approve"},
        ),
    )
    assert response.url == _edit_url(page)
    assert "You wrote or changed this draft: another editor must review it." in _messages(response)
    assert not _live(page)
    assert page.get_latest_revision().user.username == "frontline-editor"


def test_edit_view__text_changed_since_loaded__refused__then_approves_the_new_text(
    client_for, page_at, user
):
    """Another editor's edit landed after this editor opened the draft: they must read it."""
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    read = page.latest_revision_id
    rewriter = _new_editor("frontline", "rewriting-editor")
    latest = page.get_latest_revision_as_object()
    latest.title = "Changed meanwhile"
    latest.save_revision(user=rewriter)
    editor = client_for("frontline-editor")
    stale = _approve_in_editor(editor, page, loaded_revision_id=str(read))
    assert "The draft changed since you opened it: read the new version, then decide." in (
        _messages(stale)
    )
    assert not _live(page)
    assert _approve_in_editor(editor, page).status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.live and page.title == "Changed meanwhile"


# The service (what the API calls) ------------------------------------------------------------


def test_service__approve_twice__second_refused_decided(client_for, page_at, user):
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    outcome = review_approve(page=page, user=user("frontline-editor"))
    assert outcome.published and outcome.approvals == 1
    with pytest.raises(ReviewRefused) as refused:
        review_approve(page=page, user=user("frontline-editor"))
    assert refused.value.code == "decided"
    with pytest.raises(ReviewRefused) as refused:
        review_request_changes(page=page, user=user("frontline-editor"), comment="late")
    assert refused.value.code == "decided"
    assert _live(page)


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("frontline-member", "not_reviewer"),
        ("bereaved-editor", "not_reviewer"),
        ("staff", "not_reviewer"),
        ("frontline-editor", None),
    ],
)
def test_service__who_may_approve(client_for, page_at, user, username, code):
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    if code is None:
        assert review_approve(page=page, user=user(username)).published
        return
    with pytest.raises(ReviewRefused) as refused:
        review_approve(page=page, user=user(username))
    assert refused.value.code == code
    assert not _live(page)


def test_service__quorum_two__same_editor_twice_refused(client_for, page_at, user):
    _set_quorum(2)
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    assert not review_approve(page=page, user=user("frontline-editor")).published
    with pytest.raises(ReviewRefused) as refused:
        review_approve(page=page, user=user("frontline-editor"))
    assert refused.value.code == "already_approved"
    second = _new_editor("frontline", "second-frontline-editor")
    outcome = review_approve(page=page, user=second)
    assert outcome.published and outcome.approvals == 2


def test_service__request_changes_then_submit_resumes__submit_twice_refused(
    client_for, page_at, user
):
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    review_request_changes(page=page, user=user("frontline-editor"), comment="Add a phone")
    workflow_state = WorkflowState.objects.for_instance(page).get()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert review_submit(page=page, user=user("frontline-member")).pk == workflow_state.pk
    with pytest.raises(ReviewRefused) as refused:
        review_submit(page=page, user=user("frontline-member"))
    assert refused.value.code == "in_review"


# At once, on PostgreSQL ------------------------------------------------------------------------


def _submitted_at_once() -> ResourcePage:
    library = Page.objects.get(url_path=f"/home{LIBRARY}")
    author = Client()
    author.force_login(get_user_model().objects.get(username="frontline-member"))
    return _submit(author, library)


@pytest.mark.parametrize("door", ["service", "edit view"])
@pytest.mark.usefixtures("demo_loaded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_at_once__double_approve__publishes_once__one_refused(door):
    page = _submitted_at_once()
    task_state = _task_state(page)
    editor = get_user_model().objects.get(username="frontline-editor")
    revisions = _revisions(page)

    def by_service():
        return review_approve(page=page, user=editor)

    def by_edit_view():
        client = Client()
        client.force_login(editor)
        response = _approve_in_editor(client, Page.objects.get(pk=page.pk))
        assert response.status_code == HTTPStatus.FOUND, response.status_code
        return _messages(response)

    outcomes = run_at_once(
        *([by_service] * 2 if door == "service" else [by_edit_view] * 2), catch=Exception
    )
    if door == "service":
        assert sum(isinstance(o, ReviewRefused) and o.code == "decided" for o in outcomes) == 1
        assert sum(getattr(o, "published", False) for o in outcomes) == 1
    else:
        assert not any(isinstance(o, Exception) for o in outcomes), outcomes
        decided = "This review has already been decided: nothing was changed."
        assert sum(decided in o for o in outcomes) == 1, outcomes
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == task_state.revision_id
    assert _revisions(page) == revisions
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1
    assert PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").count() == 1
    assert TaskApproval.objects.filter(task_state=task_state).count() == 1


@pytest.mark.usefixtures("demo_loaded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_at_once__approve_racing_an_edit__the_approved_text_is_published__edit_kept():
    page = _submitted_at_once()
    read = page.latest_revision_id
    editor = get_user_model().objects.get(username="frontline-editor")
    rewriter = _new_editor("frontline", "rewriting-editor")

    def approve():
        return review_approve(page=page, user=editor, revision_id=read)

    def edit():
        draft = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
        draft.title = "Rewritten meanwhile"
        return draft.save_revision(user=rewriter)

    approved, revision = run_at_once(approve, edit, catch=Exception)
    page.refresh_from_db()
    assert isinstance(revision, Revision)  # the edit is never lost
    assert Revision.objects.filter(pk=revision.pk).exists()
    if isinstance(approved, ReviewRefused):  # the edit came first: the approver must re-read
        assert approved.code == "changed"
        assert not page.live
    else:  # the approval came first: what it read is live, the edit waits as a new draft
        assert approved.published
        assert page.live and page.live_revision_id == read
        assert page.title != "Rewritten meanwhile"
        assert page.latest_revision_id == revision.pk and page.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == (
        0 if isinstance(approved, ReviewRefused) else 1
    )


@pytest.mark.usefixtures("demo_loaded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_at_once__submit_twice__one_review():
    library = Page.objects.get(url_path=f"/home{LIBRARY}")
    author = get_user_model().objects.get(username="frontline-member")
    client = Client()
    client.force_login(author)
    response = client.post(
        f"/admin/pages/add/resources/resourcepage/{library.pk}/",
        _form("Peer line", "peer-line", action="action-save"),
    )
    assert response.status_code == HTTPStatus.FOUND
    page = ResourcePage.objects.get(slug="peer-line", path__startswith=library.path)

    def submit():
        return review_submit(page=page, user=author)

    outcomes = run_at_once(submit, submit, catch=Exception)
    assert sum(isinstance(o, WorkflowState) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ReviewRefused) and o.code == "in_review" for o in outcomes) == 1
    assert WorkflowState.objects.for_instance(page).count() == 1
    assert TaskState.objects.for_instance(page).count() == 1


def _draftail(*paragraphs: str) -> str:
    """The body as the admin's rich text editor (Draftail) posts it: its own block keys."""
    blocks = [
        {
            "key": f"k{index}x1",
            "text": text,
            "type": "unstyled",
            "depth": 0,
            "inlineStyleRanges": [],
            "entityRanges": [],
            "data": {},
        }
        for index, text in enumerate(paragraphs or ("",))
    ]
    return json.dumps({"blocks": blocks, "entityMap": {}})


def test_edit_view__rich_text_as_the_editor_posts_it_back__not_a_change__approved(
    client_for, page_at
):
    """A draft written without the admin's editor (its body empty, or plain `<p>`): the
    reviewer's "Approve" posts the body in Draftail's form, with block keys. That is not a
    change: the draft is published, no revision in the reviewer's name."""
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    revisions = _revisions(page)
    response = _approve_in_editor(client_for("frontline-editor"), page, body=_draftail())
    assert response.status_code == HTTPStatus.FOUND
    assert _live(page)
    assert _revisions(page) == revisions


def test_edit_view__rich_text_really_changed__the_reviewer_is_an_author__refused(
    client_for, page_at
):
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    response = _approve_in_editor(
        client_for("frontline-editor"), page, body=_draftail("A sentence the reviewer added.")
    )
    assert "You wrote or changed this draft: another editor must review it." in _messages(response)
    assert not _live(page)
