"""What proposals register (called from `AppConfig.ready`): the notification subject and the
close's notifications in the scheduled job."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.gatherings.selectors import space_ids_of, subject_space_ids
from workflows.models import NotificationKind
from workflows.notification_subjects import register_subject
from workflows.proposals.models import Proposal
from workflows.proposals.services import SUBJECT, closed_notify
from workflows.services.scheduled import register_scheduled


def proposal_path(proposal) -> str:
    return reverse("proposal", args=[proposal.space.slug, proposal.pk])


def _visible(notification, user) -> bool:
    """The proposal still exists and the recipient is in its space (two queries per request,
    however many notifications are counted)."""
    found = subject_space_ids(user, Proposal, SUBJECT)
    space_id = found.get(notification.subject_id)
    if space_id is None:  # made after the cache was read, or gone
        space_id = (
            Proposal.objects.filter(pk=notification.subject_id)
            .values_list("space_id", flat=True)
            .first()
        )
    return space_id is not None and space_id in space_ids_of(user)


def _describe(notification) -> dict:
    proposal = Proposal.objects.select_related("space").get(pk=notification.subject_id)
    if notification.kind == NotificationKind.PROPOSAL_CLOSED:
        text = _("A proposal closed: %(title)s. See the outcome.")
    else:
        text = _("A new proposal: %(title)s.")
    return {
        "text": text % {"title": proposal.title},
        "path": proposal_path(proposal),
        "comment": "",
    }


def register() -> None:
    register_subject(
        SUBJECT,
        visible=_visible,
        describe=_describe,
        subject=gettext_lazy("News of a proposal"),
    )
    register_scheduled(closed_notify)
