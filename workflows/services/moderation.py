"""Writes for moderation: the shared "Elected editor review" workflow and its assignment to
every community and Common Ground page (docs/moderation.md)."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

from workflows.models import (
    ElectedEditorReviewTask,
)

WORKFLOW_NAME = "Elected editor review"
TASK_NAME = "Elected editor review"


def _is_elected_review(workflow: Workflow) -> bool:
    return workflow.active and any(
        isinstance(task.specific, ElectedEditorReviewTask) and task.active
        for task in workflow.tasks
    )


def elected_review_workflow_ensure() -> tuple[Workflow, list[str]]:
    """The shared workflow with one elected editor review task (quorum 1). Idempotent."""
    repairs: list[str] = []
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        repairs.append(f"created the workflow “{WORKFLOW_NAME}”")
    elif not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
        repairs.append(f"reactivated the workflow “{WORKFLOW_NAME}”")
    if not _is_elected_review(workflow):
        task = ElectedEditorReviewTask.objects.filter(name=TASK_NAME, active=True).first()
        if task is None:
            task = ElectedEditorReviewTask.objects.create(name=TASK_NAME)
            repairs.append(f"created the task “{TASK_NAME}”")
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=workflow.workflow_tasks.count()
        )
        repairs.append(f"added the task “{TASK_NAME}” to the workflow “{WORKFLOW_NAME}”")
    return workflow, repairs


@transaction.atomic
def community_workflow_ensure(page: Page) -> list[str]:
    """Make `page` (a community or Common Ground page) go through elected editor review.

    A workflow already assigned there is kept if it is active and has an active elected editor
    review task (staff may give a community its own, e.g. with a larger quorum); any other is
    replaced by the shared one. Returns a sentence per repair.
    """
    assigned = WorkflowPage.objects.filter(page=page).select_related("workflow").first()
    if assigned and _is_elected_review(assigned.workflow):
        return []
    workflow, repairs = elected_review_workflow_ensure()
    if assigned:
        repairs.append(f"replaced the workflow “{assigned.workflow.name}” on “{page.title}”")
        assigned.workflow = workflow
        assigned.save(update_fields=["workflow"])
    else:
        WorkflowPage.objects.create(page=page, workflow=workflow)
        repairs.append(f"assigned the workflow “{workflow.name}” to “{page.title}”")
    return repairs
