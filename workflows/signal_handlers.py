"""Reactions to signals: provisioning a space assigns it the review workflow
(`community_pages.signals.space_provisioned`); the review's outcomes and a decided request to
join become notifications (`workflows.services.notifications.notify`: on the site, and by
e-mail once the transaction has committed).

- A submission waiting: the page's current reviewers are told, never its authors, never every
  superuser (`WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False` stops Wagtail's own
  "submitted" e-mail to staff).
- Approved or sent back: the person who submitted it is told (with the comment). These receivers
  take the `dispatch_uid`s of Wagtail's own e-mail notifiers (wagtail/admin/signal_handlers.py):
  this app's `ready()` runs before `wagtail.admin`'s (INSTALLED_APPS), and a signal keeps the
  first receiver registered under a uid, so Wagtail's, which e-mail at once, inside the
  transaction, are not connected (tests/workflows/test_notifications.py checks it).
- A request to join decided (`community_pages.signals.join_request_decided`): the person who
  asked is told.
"""

from __future__ import annotations

from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

from community_pages.signals import join_request_decided, space_provisioned
from workflows.models import ElectedEditorReviewTask, NotificationKind
from workflows.selectors import moderation as selectors
from workflows.services.moderation import community_workflow_ensure
from workflows.services.notifications import notify

WAGTAIL_APPROVED_UID = "workflow_state_approved_email_notification"
WAGTAIL_REJECTED_UID = "workflow_state_rejected_email_notification"


def review_waiting_notify(sender, instance: TaskState, user=None, **kwargs) -> None:
    """A submission waits: each of the page's reviewers who did not write it is told."""
    if not isinstance(instance.task.specific, ElectedEditorReviewTask):
        return
    page = instance.workflow_state.content_object
    if not isinstance(page, Page):
        return
    authors = selectors.author_ids(instance)
    for reviewer in selectors.reviewers(page=page).exclude(pk__in=authors):
        notify(reviewer, NotificationKind.REVIEW_WAITING, page=page)


def _outcome_notify(kind: str, instance: WorkflowState, user, comment: str = "") -> None:
    page = instance.content_object
    author = instance.requested_by
    if not isinstance(page, Page) or author is None or (user is not None and author == user):
        return
    notify(author, kind, page=page, comment=comment)


def draft_approved_notify(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    _outcome_notify(NotificationKind.DRAFT_APPROVED, instance, user)


def draft_sent_back_notify(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    task_state = instance.current_task_state
    comment = task_state.get_comment() if task_state is not None else ""
    _outcome_notify(NotificationKind.DRAFT_SENT_BACK, instance, user, comment)


def join_request_decided_notify(sender, join_request, **kwargs) -> None:
    notify(
        join_request.user,
        NotificationKind.JOIN_DECIDED,
        community=join_request.community,
        admitted=join_request.status == join_request.Status.ADMITTED,
    )


def space_provisioned_workflow(sender, page, **kwargs) -> list[str]:
    """A community or Common Ground page goes through elected editor review."""
    return community_workflow_ensure(page)


def register_signal_handlers() -> None:
    space_provisioned.connect(space_provisioned_workflow, dispatch_uid="workflows_space_review")
    task_submitted.connect(
        review_waiting_notify,
        sender=TaskState,
        dispatch_uid="elected_editor_review_submitted_email_notification",
    )
    workflow_approved.connect(
        draft_approved_notify, sender=WorkflowState, dispatch_uid=WAGTAIL_APPROVED_UID
    )
    workflow_rejected.connect(
        draft_sent_back_notify, sender=WorkflowState, dispatch_uid=WAGTAIL_REJECTED_UID
    )
    join_request_decided.connect(join_request_decided_notify, dispatch_uid="workflows_join_told")
