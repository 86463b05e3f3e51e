"""The review step, in one place: submit, approve, request changes (docs/moderation.md).

Every door calls these: the admin's edit view and its workflow action view
(`workflows/admin_review_views.py`, a page viewset; `ElectedEditorReviewTask.on_action`
delegates here), and the API. Each decision runs in one transaction that first locks the page's
row and then the task state's row (always in that order), so:

- two approvals at once (a double click, two tabs, two editors) are serialised: the second finds
  the decision of the first and is refused with `ReviewRefused` (never a 500);
- an edit racing the approval waits for it (saving a revision updates the page row) or, if it
  came first, the approver who names the revision they read (`revision_id`) is refused;
- what is published is the latest revision as the approval saw it: nothing can change it until
  the transaction ends, and nothing else is written, so no revision nobody wrote appears.

The outcome is told (notifications, e-mail) through Wagtail's signals, whose receivers here send
e-mail only once the transaction has committed (`workflows/signal_handlers.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, TaskState, WorkflowState

from workflows.models import APPROVAL_RECORDED, ElectedEditorReviewTask, TaskApproval
from workflows.selectors import moderation as selectors


class ReviewRefused(Exception):
    """A review action that may not happen. `message` is for the person (translated), `code`
    for programs: "decided", "not_reviewer", "author", "changed", "already_approved",
    "in_review", "no_workflow", "not_allowed"."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ReviewOutcome:
    """What an action did: the task state acted on; for an approval, whether the page was
    published and how many approvals of the current text there are of how many needed."""

    task_state: TaskState
    published: bool = False
    approvals: int = 0
    quorum: int = 0


def _lock_page(page: Page) -> Page:
    """Lock the page's row (edits, publication and decisions of this page queue here) and
    return it freshly read, as its most specific class."""
    locked = Page.objects.select_for_update().filter(pk=page.pk).first()
    if locked is None:
        raise ReviewRefused(_("This draft no longer exists."), code="decided")
    return locked.specific


def locked_review_task_state(page: Page) -> TaskState | None:
    """The page's task state in progress, its row locked (call inside a transaction, after
    locking the page: `page_lock`)."""
    return (
        TaskState.objects.for_instance(page)
        .select_for_update(of=("self",))
        .filter(status=TaskState.STATUS_IN_PROGRESS)
        .order_by("-pk")
        .first()
    )


def page_lock(page: Page) -> Page:
    """Public form of the page lock, for the admin views that wrap Wagtail's own writes."""
    return _lock_page(page)


def _decided() -> ReviewRefused:
    return ReviewRefused(
        _("This review has already been decided: nothing was changed."), code="decided"
    )


def _check_reviewer(page: Page, user, task_state: TaskState) -> None:
    if not selectors.user_is_reviewer(user=user, page=page):
        raise ReviewRefused(
            _("Only the elected editors of this draft's community review it."),
            code="not_reviewer",
        )
    if user.pk in selectors.author_ids(task_state):
        raise ReviewRefused(
            _("You wrote or changed this draft: another editor must review it."), code="author"
        )


def _open_review(page: Page, user, task_state_id: int | None, revision_id: int | None):
    """Lock, then check: the review is open (and is the one the person acted on), they review
    it, they did not write it, and the text is the one they read."""
    page = _lock_page(page)
    task_state = locked_review_task_state(page)
    if task_state is None or (task_state_id is not None and task_state.pk != task_state_id):
        raise _decided()
    task = task_state.task.specific
    if not isinstance(task, ElectedEditorReviewTask):
        raise ReviewRefused(_("This draft is not reviewed by elected editors."), code="decided")
    _check_reviewer(page, user, task_state)
    if revision_id is not None and page.latest_revision_id != int(revision_id):
        raise ReviewRefused(
            _("The draft changed since you opened it: read the new version, then decide."),
            code="changed",
        )
    return page, task, task_state


@transaction.atomic
def review_approve(
    *,
    page: Page,
    user,
    comment: str = "",
    revision_id: int | None = None,
    task_state_id: int | None = None,
) -> ReviewOutcome:
    """Approve the text as it is now. With `revision_id` (the revision the reviewer read), a
    draft changed since is refused. When the approvals of the current text reach the quorum, the
    task is approved and the workflow publishes that text (`workflows/publishing.py`)."""
    page, task, task_state = _open_review(page, user, task_state_id, revision_id)
    # An approval counts for the text as it is now: approvals given before the latest revision
    # are of another text and no longer count (each of those editors may approve again).
    changed_at = page.latest_revision.created_at if page.latest_revision_id else None
    current = TaskApproval.objects.filter(task_state=task_state)
    if changed_at is not None:
        current = current.filter(created_at__gte=changed_at)
    if current.filter(reviewer=user).exists():
        raise ReviewRefused(_("You have already approved this text."), code="already_approved")
    TaskApproval.objects.update_or_create(
        task_state=task_state,
        reviewer=user,
        defaults={"comment": comment, "created_at": timezone.now()},
    )
    count = current.count()
    if count >= task.quorum:
        task_state.approve(user=user, comment=comment)
        return ReviewOutcome(task_state, published=True, approvals=count, quorum=task.quorum)
    log(
        instance=page,
        action=APPROVAL_RECORDED,
        user=user,
        revision=task_state.revision,
        data={
            "task_state_id": task_state.pk,
            "approvals": count,
            "quorum": task.quorum,
            "comment": comment,
        },
    )
    return ReviewOutcome(task_state, approvals=count, quorum=task.quorum)


@transaction.atomic
def review_request_changes(
    *, page: Page, user, comment: str, task_state_id: int | None = None
) -> ReviewOutcome:
    """Send the draft back to its author with `comment` (what should change; the API requires
    one, the admin's modal leaves it optional). Wagtail's reject: the comment is kept on the
    task state and in the audit log; the approvals start again when the author resubmits."""
    comment = (comment or "").strip()
    _page, _task, task_state = _open_review(page, user, task_state_id, None)
    task_state.reject(user=user, comment=comment)
    return ReviewOutcome(task_state)


def review_act(*, page: Page, user, action: str, comment: str = "", **kwargs) -> ReviewOutcome:
    """The admin's door: Wagtail names the action "approve" or "reject"."""
    if action == "approve":
        return review_approve(page=page, user=user, comment=comment, **kwargs)
    if action == "reject":
        kwargs.pop("revision_id", None)
        return review_request_changes(page=page, user=user, comment=comment, **kwargs)
    raise ReviewRefused(_("Unknown review action."), code="not_allowed")


@transaction.atomic
def review_submit(*, page: Page, user) -> WorkflowState:
    """Submit the page's latest revision for review, once: a second submission (a double
    click, two tabs) finds the review open and is refused. A draft sent back for changes
    resumes its review (Wagtail's own behaviour in the edit view)."""
    page = _lock_page(page)
    if page.workflow_in_progress:
        raise ReviewRefused(_("This draft is already waiting for review."), code="in_review")
    if not page.permissions_for_user(user).can_submit_for_moderation():
        raise ReviewRefused(_("You may not submit this draft."), code="not_allowed")
    workflow_state = page.current_workflow_state
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        workflow_state.resume(user)
        return workflow_state
    workflow = page.get_workflow()
    if workflow is None:
        raise ReviewRefused(_("Nobody reviews pages here."), code="no_workflow")
    return workflow.start(page, user)
