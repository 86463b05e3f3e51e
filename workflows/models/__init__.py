"""The workflows app's models, by domain: moderation (the elected-editor review task and its
approvals), notifications (what is new for a member) and elections (elections, nominations, the
roll, sealed ballots, receipts, terms). Django loads them from here; import them from here too."""

from workflows.models.elections import (
    ELECTION_CERTIFY,
    ELECTION_CLOSE,
    ELECTION_CREATE,
    ELECTION_OPEN,
    TERM_END,
    TERM_START,
    Ballot,
    BallotReceipt,
    EditorTerm,
    Election,
    EligibleVoter,
    Nomination,
    former_member_or_name,
)
from workflows.models.moderation import APPROVAL_RECORDED, ElectedEditorReviewTask, TaskApproval
from workflows.models.notifications import Notification, NotificationEmailOff, NotificationKind

__all__ = [
    "APPROVAL_RECORDED",
    "ELECTION_CERTIFY",
    "ELECTION_CLOSE",
    "ELECTION_CREATE",
    "ELECTION_OPEN",
    "TERM_END",
    "TERM_START",
    "Ballot",
    "BallotReceipt",
    "EditorTerm",
    "ElectedEditorReviewTask",
    "Election",
    "EligibleVoter",
    "Nomination",
    "Notification",
    "NotificationEmailOff",
    "NotificationKind",
    "TaskApproval",
    "former_member_or_name",
]
