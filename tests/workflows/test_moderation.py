"""Moderation by elected editors, end to end through Wagtail's admin views.

A member writes a resource in the admin and submits it; the community's editors approve it (or
request changes) through the workflow action URL; the page goes live only when the quorum is
reached. Every allowed case has its denied twin on the same setup.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from wagtail.models import Page, PageLogEntry, TaskState, WorkflowPage, WorkflowState

from community_pages.models import CommonGroundPage, CommunityPage
from community_pages.provisioning import reconcile_all
from resources.models import ResourcePage
from tests.concurrency import run_at_once
from workflows.models import ElectedEditorReviewTask, TaskApproval
from workflows.services.moderation import WORKFLOW_NAME

LIBRARY = "/frontline/resources/"


def _form(title: str, slug: str, action: str = "action-submit", **extra) -> dict:
    return {
        "title": title,
        "slug": slug,
        "summary": "Shared by a member.",
        "kind": "website",
        "link": "https://example.org/",
        "last_reviewed": "",
        action: "Submit",
        **extra,
    }


def _submit(client: Client, library: Page, slug: str = "peer-line") -> ResourcePage:
    # Notifications are e-mailed once the transaction commits: run those callbacks here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/admin/pages/add/resources/resourcepage/{library.pk}/", _form("Peer line", slug)
        )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    return ResourcePage.objects.get(slug=slug, path__startswith=library.path)


def _task_state(page: Page) -> TaskState:
    return TaskState.objects.for_instance(page).get(status=TaskState.STATUS_IN_PROGRESS)


def _act(client: Client, page: Page, action: str, comment: str = ""):
    task_state = TaskState.objects.for_instance(page).order_by("-pk").first()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
            {"comment": comment},
        )


def _done(response, page: Page) -> bool:
    """The admin carried out the action (and went back to the page's editor)."""
    return response.status_code == HTTPStatus.FOUND and response.url == _edit_url(page)


def _refused(response) -> bool:
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    Someone who may not see the draft at all (neither its author nor an editor of its space)
    gets the 404 of a missing page (docs/privacy.md, "Admin screens")."""
    return response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND) or (
        response.status_code == HTTPStatus.FOUND and response.url == "/admin/"
    )


def _edit_url(page: Page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def _awaits_review(client: Client, page: Page) -> bool:
    """The dashboard's "Awaiting your review" panel offers an action on this page."""
    return f"/admin/pages/workflow/action/{page.pk}/" in client.get("/admin/").content.decode()


def _live(page: Page) -> bool:
    page.refresh_from_db()
    return page.live


def _new_editor(community_slug: str, username: str):
    community = CommunityPage.objects.get(slug=community_slug, locale__language_code="en")
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "x")
    user.groups.add(community.community.members_group, community.community.editors_group)
    return user


def _set_quorum(quorum: int) -> None:
    ElectedEditorReviewTask.objects.update(quorum=quorum)


# Provisioning ---------------------------------------------------------------------------------


def test_provisioning__every_space_page_has_the_elected_review_workflow(db):
    spaces = [*CommunityPage.objects.all(), *CommonGroundPage.objects.all()]
    assert len(spaces) >= 9  # three spaces in three languages
    for space in spaces:
        assert WorkflowPage.objects.get(page=space).workflow.name == WORKFLOW_NAME
    assert reconcile_all() == []  # idempotent


def test_provisioning__repairs_a_missing_or_foreign_workflow(db, page_at):
    from wagtail.models import Workflow

    frontline = page_at("/frontline/")
    WorkflowPage.objects.filter(page=frontline).delete()
    other = Workflow.objects.create(name="Anything goes")
    WorkflowPage.objects.filter(page=page_at("/bereaved/")).update(workflow=other)
    repairs = reconcile_all()
    assert any("assigned the workflow" in r and "Frontline" in r for r in repairs)
    assert any("replaced the workflow “Anything goes”" in r for r in repairs)
    assert WorkflowPage.objects.get(page=frontline).workflow.name == WORKFLOW_NAME
    assert reconcile_all() == []


# Submit and approve ---------------------------------------------------------------------------


def test_member_submits__community_editor_approves__page_goes_live(client_for, page_at, user):
    mail.outbox.clear()
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    assert not page.live
    workflow_state = WorkflowState.objects.for_instance(page).get()
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert workflow_state.requested_by == user("frontline-member")

    # Only the community's current editors are told; not staff, not other communities' editors.
    waiting = [m for m in mail.outbox if "awaits your review" in m.subject]
    assert [m.to for m in waiting] == [["frontline-editor@example.org"]]

    editor = client_for("frontline-editor")
    assert _awaits_review(editor, page)
    assert not _awaits_review(client_for("bereaved-editor"), page)
    assert not _awaits_review(client_for("frontline-member"), page)

    mail.outbox.clear()
    assert _done(_act(editor, page, "approve"), page)
    assert _live(page)
    assert WorkflowState.objects.for_instance(page).get().status == WorkflowState.STATUS_APPROVED
    approval = TaskApproval.objects.get(task_state__workflow_state__object_id=str(page.pk))
    assert approval.reviewer == user("frontline-editor")
    # The author is told the outcome.
    assert [m.to for m in mail.outbox] == [["frontline-member@example.org"]]
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("frontline-editor", True), ("bereaved-editor", False), ("frontline-member", False)],
)
def test_approve__only_the_pages_community_editors(client_for, page_at, role, allowed):
    page = _submit(client_for("member-of-both"), page_at(LIBRARY))
    response = _act(client_for(role), page, "approve")
    assert (_done(response, page), _refused(response)) == (allowed, not allowed)
    assert _live(page) is allowed


def test_approve__staff_are_not_reviewers(client_for, page_at):
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    assert _refused(_act(client_for("staff"), page, "approve"))
    assert not _live(page)


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_author_who_is_an_editor__cannot_review_own_submission(client_for, page_at, action):
    author = client_for("frontline-editor")
    page = _submit(author, page_at(LIBRARY))
    # Not offered...
    assert "data-workflow-action-name" not in author.get(_edit_url(page)).content.decode()
    assert not _awaits_review(author, page)
    # ...and refused when posted directly.
    assert _refused(_act(author, page, action, "fine by me"))
    assert not _live(page)
    assert _task_state(page).status == TaskState.STATUS_IN_PROGRESS
    # The same action from another editor of the community works.
    other = Client()
    other.force_login(_new_editor("frontline", "second-frontline-editor"))
    assert _awaits_review(other, page)
    assert "data-workflow-action-name" in other.get(_edit_url(page)).content.decode()
    assert _done(_act(other, page, action), page)


def test_author_who_is_an_editor__on_action_refuses_even_when_called_directly(
    client_for, page_at, user
):
    from django.core.exceptions import PermissionDenied

    page = _submit(client_for("frontline-editor"), page_at(LIBRARY))
    task_state = _task_state(page)
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, user("frontline-editor"), "approve")
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, user("bereaved-editor"), "approve")
    assert not _live(page)


def test_editor_email__the_author_editor_is_not_told_of_own_submission(client_for, page_at):
    second = _new_editor("frontline", "second-frontline-editor")
    mail.outbox.clear()
    _submit(client_for("frontline-editor"), page_at(LIBRARY))
    waiting = [m.to for m in mail.outbox if "awaits your review" in m.subject]
    assert waiting == [[second.email]]


# Quorum -------------------------------------------------------------------------------------


def test_quorum_two__needs_two_different_editors(client_for, page_at):
    _set_quorum(2)
    second = Client()
    second.force_login(_new_editor("frontline", "second-frontline-editor"))
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    first = client_for("frontline-editor")

    assert _done(_act(first, page, "approve", "looks right"), page)
    assert not _live(page)
    assert _task_state(page).status == TaskState.STATUS_IN_PROGRESS
    assert PageLogEntry.objects.filter(page=page, action="workflows.approval_recorded").exists()
    # The same editor approving twice does not count twice.
    assert _refused(_act(first, page, "approve"))
    assert not _live(page)

    assert _done(_act(second, page, "approve"), page)
    assert _live(page)
    reviewers = TaskApproval.objects.filter(
        task_state__workflow_state__object_id=str(page.pk)
    ).values_list("reviewer__username", flat=True)
    assert sorted(reviewers) == ["frontline-editor", "second-frontline-editor"]


def test_reviewer_who_changes_the_text__cannot_approve_it__earlier_approvals_lapse(
    client_for, page_at
):
    """Wagtail's edit screen lets a reviewer edit and approve in one go. Whoever changes the text
    becomes one of its authors: another editor must approve it, and approvals given to the
    earlier text no longer count (each of those editors may approve again)."""
    _set_quorum(2)
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    first = client_for("frontline-editor")
    rewriter = Client()
    rewriter.force_login(_new_editor("frontline", "rewriting-editor"))
    third = Client()
    third.force_login(_new_editor("frontline", "third-frontline-editor"))
    assert _done(_act(first, page, "approve"), page)

    # The rewriting editor changes the title and presses "Approve" in the editor.
    rewrite = _form(
        "Rewritten by an editor",
        page.slug,
        action="action-workflow-action",
        **{"workflow-action-name": "approve"},
    )
    response = rewriter.post(_edit_url(page), rewrite)
    # Refused with a message, back on the edit screen (tests/workflows/test_review.py).
    assert response.status_code == HTTPStatus.FOUND and response.url == _edit_url(page)
    assert not _live(page)
    assert page.get_latest_revision().user.username == "rewriting-editor"
    # Not offered the action any more; refused when posted directly.
    assert not _awaits_review(rewriter, page)
    assert _refused(_act(rewriter, page, "approve"))
    # The third editor's approval alone does not reach the quorum of two: the first editor's
    # approval was of the earlier text.
    assert _done(_act(third, page, "approve"), page)
    assert not _live(page)
    # The first editor approves the new text: two approvals of it, the page goes live.
    assert _done(_act(first, page, "approve"), page)
    assert _live(page)
    assert page.title == "Rewritten by an editor"


def test_reviewer_who_changes_nothing__approves_from_the_editor(client_for, page_at):
    """The twin: the same "Approve" from the edit screen, with the text unchanged, is counted."""
    page = _submit(client_for("frontline-member"), page_at(LIBRARY))
    same = _form(
        page.title,
        page.slug,
        action="action-workflow-action",
        **{"workflow-action-name": "approve"},
    )
    response = client_for("frontline-editor").post(_edit_url(page), same)
    assert response.status_code == HTTPStatus.FOUND
    assert _live(page)


# Request changes ------------------------------------------------------------------------------


def test_request_changes__returns_to_author_with_comment__author_resubmits(client_for, page_at):
    author = client_for("frontline-member")
    page = _submit(author, page_at(LIBRARY))
    editor = client_for("frontline-editor")
    mail.outbox.clear()

    assert _done(_act(editor, page, "reject", "Please add the phone number."), page)
    workflow_state = WorkflowState.objects.for_instance(page).get()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert workflow_state.current_task_state.comment == "Please add the phone number."
    assert not _live(page)
    # The author is told, with the comment.
    assert [m.to for m in mail.outbox] == [["frontline-member@example.org"]]
    assert "Please add the phone number." in mail.outbox[0].body
    log = PageLogEntry.objects.get(page=page, action="wagtail.workflow.reject")
    assert log.data["comment"] == "Please add the phone number."

    # The author edits and resubmits; the editors are told again; an editor approves.
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = author.post(
            f"/admin/pages/{page.pk}/edit/",
            _form("Peer line", "peer-line", phone="0800 000 000"),
        )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert [m.to for m in mail.outbox if "awaits your review" in m.subject] == [
        ["frontline-editor@example.org"]
    ]
    assert _done(_act(editor, page, "approve"), page)
    page.refresh_from_db()
    assert page.live and page.phone == "0800 000 000"


# Common Ground ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["frontline-editor", "bereaved-editor"])
def test_common_ground__any_communitys_editor_reviews(client_for, page_at, role):
    library = page_at("/common-ground/resources/")
    page = _submit(client_for("frontline-member"), library, slug="shared-line")
    assert _refused(_act(client_for("bereaved-member"), page, "approve"))
    assert _done(_act(client_for(role), page, "approve"), page)
    assert _live(page)


# Two editors at once (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_editors_approving_at_once__publish_once(demo_loaded):
    library = Page.objects.get(url_path=f"/home{LIBRARY}")
    author = Client()
    author.force_login(get_user_model().objects.get(username="frontline-member"))
    page = _submit(author, library)
    task_state = _task_state(page)
    editors = [
        get_user_model().objects.get(username="frontline-editor"),
        _new_editor("frontline", "second-frontline-editor"),
    ]

    def approve(editor):
        client = Client()
        client.force_login(editor)
        return lambda: client.post(
            f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""}
        )

    responses = run_at_once(*[approve(editor) for editor in editors])

    # Both are answered with a redirect and a message (never a 500): the second either found
    # the review decided before it began (Wagtail's "not awaiting moderation") or waited for
    # the first one's lock and was refused by the review service.
    assert all(r.status_code == HTTPStatus.FOUND for r in responses)
    assert _live(page)
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1
    assert PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve").count() == 1
    assert TaskApproval.objects.filter(task_state=task_state).count() == 1
    page.refresh_from_db()
    assert page.live_revision == task_state.revision  # the one submitted, published once


# What members may do in the admin: only staff publish without review ----------------------------


@pytest.mark.parametrize(
    ("role", "live"),
    [("staff", True), ("frontline-editor", False), ("frontline-member", False)],
)
def test_publish_on_create__only_staff_publish_directly_in_a_community(
    client_for, page_at, role, live
):
    """Editors too go through review: "publish" posted directly only saves a draft."""
    library = page_at(LIBRARY)
    response = client_for(role).post(
        f"/admin/pages/add/resources/resourcepage/{library.pk}/",
        _form("Straight out", "straight-out", action="action-publish"),
    )
    assert response.status_code == HTTPStatus.FOUND
    assert ResourcePage.objects.filter(slug="straight-out").exists()
    assert ResourcePage.objects.filter(slug="straight-out", live=True).exists() is live


@pytest.mark.parametrize(("role", "offered"), [("staff", True), ("frontline-editor", False)])
def test_edit_view__publish_button_offered_only_to_staff(client_for, page_at, role, offered):
    page = page_at(LIBRARY).get_children().live().first()
    body = client_for(role).get(_edit_url(page)).content.decode()
    assert ('name="action-publish"' in body) is offered


@pytest.mark.parametrize(("role", "live"), [("staff", True), ("frontline-editor", False)])
def test_edit_view__editor_posting_publish_on_own_edit_only_saves_a_draft(
    client_for, page_at, role, live
):
    page = page_at(LIBRARY).get_children().live().first().specific
    before = page.live_revision_id
    form = _form("Edited title", page.slug, action="action-publish")
    form["summary"] = page.summary
    response = client_for(role).post(_edit_url(page), form)
    assert response.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert (page.title == "Edited title") is live
    assert (page.live_revision_id != before) is live
    assert page.get_latest_revision().content["title"] == "Edited title"


def test_editor_own_submission__another_editor_approves__workflow_publishes(client_for, page_at):
    """The approver publishes through the workflow although no editor holds the Publish button."""
    _new_editor("frontline", "second-editor")
    page = _submit(client_for("frontline-editor"), page_at(LIBRARY), slug="editor-wrote")
    assert not _awaits_review(client_for("frontline-editor"), page)
    assert _done(_act(client_for("second-editor"), page, "approve"), page)
    assert _live(page)
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1


@pytest.mark.parametrize(
    ("role", "allowed"), [("frontline-editor", True), ("bereaved-editor", False)]
)
def test_unpublish__editors_take_their_communitys_pages_down(client_for, page_at, role, allowed):
    """Editors keep unpublish (a harmful page comes down at once), in their community only."""
    page = page_at(LIBRARY).get_children().live().first()
    client_for(role).post(f"/admin/pages/{page.pk}/unpublish/")
    assert _live(page) is not allowed


@pytest.mark.parametrize(("role", "live"), [("staff", True), ("frontline-editor", False)])
def test_bulk_publish__refused_to_editors(client_for, page_at, role, live):
    author = client_for("frontline-member")
    author.post(
        f"/admin/pages/add/resources/resourcepage/{page_at(LIBRARY).pk}/",
        _form("Bulk", "bulk-draft", action="action-save-draft"),
    )
    page = ResourcePage.objects.get(slug="bulk-draft")
    client_for(role).post(
        f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/",
        {"include_descendants": ""},
    )
    assert _live(page) is live


@pytest.mark.parametrize(
    ("role", "may_edit"), [("frontline-member", True), ("member-of-both", False)]
)
def test_edit__a_member_edits_only_their_own_draft(client_for, page_at, role, may_edit):
    author = client_for("frontline-member")
    response = author.post(
        f"/admin/pages/add/resources/resourcepage/{page_at(LIBRARY).pk}/",
        _form("Draft", "draft", action="action-save-draft"),
    )
    assert response.status_code == HTTPStatus.FOUND
    page = ResourcePage.objects.get(slug="draft")
    response = client_for(role).get(_edit_url(page))
    assert (response.status_code == HTTPStatus.OK) is may_edit
