"""Moderation by the editors a community elected (docs/moderation.md).

`ElectedEditorReviewTask` adapts Wagtail's `GroupApprovalTask`
(wagtail/models/workflows.py): instead of fixed groups, its reviewers are the *current* editors
of the community the page lives in (for Common Ground: the editors of every community), an author
never reviews their own submission, and a task may ask for several approvals (a quorum), each
recorded as a `TaskApproval`. Wagtail's `on_action` checks no permission by itself, so ours does:
https://docs.wagtail.org/en/stable/extending/custom_tasks.html
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState

from core.access import is_staff
from workflows.selectors import moderation as selectors

APPROVAL_RECORDED = "workflows.approval_recorded"


class ElectedEditorReviewTask(Task):
    """Approved by the current editors of the page's community, never by its author."""

    quorum = models.PositiveSmallIntegerField(
        _("approvals needed"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many different editors must approve before the page is published. "
            "Any one editor may request changes."
        ),
    )

    admin_form_fields = [*Task.admin_form_fields, "quorum"]

    class Meta:
        verbose_name = _("elected editor review")
        verbose_name_plural = _("elected editor reviews")

    @classmethod
    def get_description(cls):
        return _("The editors elected by the page's community approve it; authors never do.")

    # Who may act --------------------------------------------------------------------------

    def _may_review(self, obj, user, task_state: TaskState | None) -> bool:
        if not selectors.user_is_reviewer(user=user, page=obj):
            return False
        return task_state is None or user.pk not in selectors.author_ids(task_state)

    def user_can_access_editor(self, obj, user):
        return selectors.user_is_reviewer(user=user, page=obj)

    def locked_for_user(self, obj, user):
        # Staff keep Wagtail's usual rights; everyone else edits only as a reviewer.
        return not (is_staff(user) or selectors.user_is_reviewer(user=user, page=obj))

    def user_can_lock(self, obj, user):
        return selectors.user_is_reviewer(user=user, page=obj)

    def get_actions(self, obj, user):
        task_state = obj.current_workflow_task_state
        if task_state is None or task_state.task_id != self.pk:
            return []
        if not self._may_review(obj, user, task_state):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        paths = selectors.reviewable_space_paths(user=user)
        if not paths:
            return TaskState.objects.none()
        under = Q()
        for path in paths:
            under |= Q(path__startswith=path)
        page_ids = Page.objects.filter(under).annotate(sid=Cast("pk", CharField())).values("sid")
        return (
            self.task_states.filter(
                status=TaskState.STATUS_IN_PROGRESS, workflow_state__object_id__in=page_ids
            )
            .exclude(workflow_state__requested_by=user)
            .exclude(revision__user=user)
        )

    # Acting ---------------------------------------------------------------------------------

    def on_action(self, task_state, user, action_name, **kwargs):
        """Approve or request changes: decided by `workflows.services.review`, which locks the
        page and the task state and checks who may act, because Wagtail's views are not the
        only door and Wagtail's `on_action` checks no permission by itself. A refusal is
        Wagtail's `PermissionDenied` here (the admin's workflow action view catches the service's
        own `ReviewRefused` first and shows its message)."""
        # cycle: services.review imports these models
        from workflows.services.review import ReviewRefused, review_act

        try:
            review_act(
                page=task_state.workflow_state.content_object,
                user=user,
                action=action_name,
                comment=kwargs.get("comment", ""),
                task_state_id=task_state.pk,
            )
        except ReviewRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        return None


class TaskApproval(models.Model):
    """One reviewer's approval of one submission; the task is approved when enough agree."""

    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("review")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_approvals",
        verbose_name=_("reviewer"),
    )
    created_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "reviewer"], name="one_approval_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} approved {self.task_state_id}"
