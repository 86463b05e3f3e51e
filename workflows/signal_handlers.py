"""Reactions to signals: provisioning a space assigns it the review workflow
(`community_pages.signals.space_provisioned`); and e-mail for elected editor review, through
Wagtail's own notifiers (wagtail/admin/mail.py).

Wagtail tells the author the outcome by itself (`WorkflowStateApprovalEmailNotifier`,
`WorkflowStateRejectionEmailNotifier`, sent to `requested_by`). Who is told that something waits
is ours: the page's current reviewers, never the author and never every superuser
(`WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False` in settings stops Wagtail's own
"submitted" e-mail to staff).
"""

from __future__ import annotations

from wagtail.admin.mail import BaseGroupApprovalTaskStateEmailNotifier
from wagtail.models import TaskState
from wagtail.signals import task_submitted

from community_pages.signals import space_provisioned
from workflows.models import ElectedEditorReviewTask
from workflows.selectors import moderation as selectors
from workflows.services.moderation import community_workflow_ensure


class ElectedEditorReviewTaskStateSubmissionEmailNotifier(BaseGroupApprovalTaskStateEmailNotifier):
    """Tells the page's reviewers that a submission waits for them (template: Wagtail's
    `wagtailadmin/notifications/task_state_submitted*`)."""

    notification = "submitted"

    def can_handle(self, instance, **kwargs):
        return isinstance(instance, TaskState) and isinstance(
            instance.task.specific, ElectedEditorReviewTask
        )

    def get_recipient_users(self, task_state: TaskState, **kwargs):
        page = task_state.workflow_state.content_object
        return selectors.reviewers(page=page).exclude(pk__in=selectors.author_ids(task_state))


elected_review_submission_notifier = ElectedEditorReviewTaskStateSubmissionEmailNotifier()


def space_provisioned_workflow(sender, page, **kwargs) -> list[str]:
    """A community or Common Ground page goes through elected editor review."""
    return community_workflow_ensure(page)


def register_signal_handlers() -> None:
    space_provisioned.connect(space_provisioned_workflow, dispatch_uid="workflows_space_review")
    task_submitted.connect(
        elected_review_submission_notifier,
        sender=TaskState,
        dispatch_uid="elected_editor_review_submitted_email_notification",
    )
