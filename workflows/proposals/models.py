"""Proposals (docs/community-tools.md, "Proposals"): a member proposes in a space, members respond
until the closing time, the outcome is shown with the counts and the reasons.

A proposal belongs to one space (the default-language community or Common Ground page). Each
person responds once (`one_response_per_person`); changing the response while the proposal is
open updates that row. `version` counts the proposer's revisions: a response keeps the version
it answered, so a response to an older text is shown as such.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Proposal(models.Model):
    space = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=10_000)
    closes_at = models.DateTimeField(_("closing time"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    revised_at = models.DateTimeField(null=True, blank=True)
    # When the PROPOSAL_CLOSED notifications went out (the scheduled job, once).
    closed_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-closes_at", "-pk"]
        indexes = [models.Index(fields=["space", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.closes_at


class Response(models.Model):
    class Position(models.TextChoices):
        AGREE = "agree", _("Agree")
        ABSTAIN = "abstain", _("Abstain")
        DISAGREE = "disagree", _("Disagree")
        BLOCK = "block", _("Block")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="responses")
    # NULL once the person deleted their account: a closed proposal's record stays.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.CharField(max_length=10, choices=Position.choices)
    reason = models.TextField(blank=True, max_length=2_000)
    version = models.PositiveIntegerField(default=1)  # the proposal's text it answered
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_response_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.position} #{self.pk}"


class ProposalSetting(models.Model):
    """Who may propose in a space: everyone in it (the default) or its editors only."""

    class Who(models.TextChoices):
        EVERYONE = "everyone", _("Everyone in the space")
        EDITORS = "editors", _("Editors only")

    space = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    who_may_propose = models.CharField(max_length=10, choices=Who.choices, default=Who.EVERYONE)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.who_may_propose
