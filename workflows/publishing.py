"""What happens when a review is approved: the workflow publishes, not the last approver.

Inside a community or Common Ground nobody but staff holds the Publish button
(`core.permissions.NeighborhoodPagePermissionTester.can_publish`): every publication there goes
through the elected editors' review. Wagtail's default finish action
(`wagtail.workflows.publish_workflow_state`) publishes "as" the approving editor and checks that
editor's publish permission, which would refuse it. The workflow's decision is the authority, so
the revision is published with the approver recorded as the publisher and Wagtail's permission
check skipped. Wired by `WAGTAIL_FINISH_WORKFLOW_ACTION` in the settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by wagtail.models itself, through the setting: no runtime import
    from wagtail.models import WorkflowState


def workflow_state_publish(workflow_state: WorkflowState, user=None) -> None:
    """Publish the revision that the workflow approved (its latest), as Wagtail does."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
