from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from workflows.models import APPROVAL_RECORDED


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    @actions.register_action(APPROVAL_RECORDED)
    class ApprovalRecorded(LogFormatter):
        """An approval below the quorum: the task goes on, and the page's history shows it."""

        label = _("Approve (quorum not yet reached)")

        def format_message(self, log_entry):
            return _("Approved: %(approvals)s of %(quorum)s approvals needed") % {
                "approvals": log_entry.data.get("approvals"),
                "quorum": log_entry.data.get("quorum"),
            }
