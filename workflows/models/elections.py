"""Elections of a community's editors (docs/elections.md).

An election belongs to a community's `Community` record, so it is the same election in every
language. Ballots are secret: a `Ballot` row holds what was chosen and nothing else (a random
UUID key, no voter, no time); a `BallotReceipt` row records that a member voted, with no time
and no link to the ballot. Both are written in one transaction.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.utils import get_user_display_name

from workflows import ballots


def former_member_or_name(user) -> str:
    """A person's display name, or "a former member" once their account is deleted."""
    return get_user_display_name(user) if user is not None else str(_("a former member"))


ELECTION_CREATE = "neighborhood.election.create"
ELECTION_OPEN = "neighborhood.election.open"
ELECTION_CLOSE = "neighborhood.election.close"
ELECTION_CERTIFY = "neighborhood.election.certify"
TERM_START = "neighborhood.term.start"
TERM_END = "neighborhood.term.end"


class Election(models.Model):
    """Staff create it (draft), open it, close it (tally, seed) and certify it (terms start)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        CERTIFIED = "certified", _("certified")

    community = models.ForeignKey(
        "community_pages.Community",
        on_delete=models.CASCADE,
        related_name="elections",
        verbose_name=_("community"),
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        validators=[MinValueValidator(1)],
        help_text=_("How many editors are elected. Each voter may approve up to this many."),
    )
    nominations_open = models.DateTimeField(_("nominations open"))
    nominations_close = models.DateTimeField(
        _("nominations close"),
        help_text=_("Members who joined before this moment may vote."),
    )
    voting_open = models.DateTimeField(_("voting opens"))
    voting_close = models.DateTimeField(_("voting closes"))
    term_days = models.PositiveSmallIntegerField(
        _("term (days)"),
        validators=[MinValueValidator(1)],
        help_text=_("How long the winners serve as editors, counted from certification."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    roll_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    certified_at = models.DateTimeField(_("certified"), null=True, blank=True, editable=False)
    seed = models.CharField(
        _("seed for drawing lots"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Random, drawn at close and published with the results."),
    )
    electorate = models.PositiveIntegerField(_("eligible voters"), null=True, editable=False)
    turnout = models.PositiveIntegerField(_("ballots cast"), null=True, editable=False)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-voting_close", "-pk"]

    def __str__(self):
        return _("Editors of %(community)s, voting closes %(date)s") % {
            "community": self.community.name,
            "date": timezone.localtime(self.voting_close).date().isoformat(),
        }

    def phase(self, now=None) -> str:
        """draft, before, nominating, between, voting, counting, closed or certified."""
        if self.status != self.Status.OPEN:
            return self.status
        now = now or timezone.now()
        if now < self.nominations_open:
            return "before"
        if now < self.nominations_close:
            return "nominating"
        if now < self.voting_open:
            return "between"
        if now < self.voting_close:
            return "voting"
        return "counting"

    @property
    def results_published(self) -> bool:
        return self.status in (self.Status.CLOSED, self.Status.CERTIFIED)


class Nomination(models.Model):
    """A member put forward (by themselves or another member); a candidate once accepted."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nominations")
    # A nominee who deletes their account leaves the election's record and results as they
    # were, under "a former member" (their statement goes with them: home.services.member_delete).
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    statement = models.TextField(_("statement"), max_length=1000, blank=True)
    votes = models.PositiveIntegerField(null=True, editable=False)
    lot = models.PositiveSmallIntegerField(
        null=True, editable=False, help_text="Place in the seeded draw among equal votes."
    )
    elected = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "nominee"], name="one_nomination_per_nominee"
            )
        ]

    def __str__(self):
        return f"{self.nominee_name} in election {self.election_id}"

    @property
    def nominee_name(self) -> str:
        return former_member_or_name(self.nominee)


class EligibleVoter(models.Model):
    """The roll: who may vote, taken once nominations close. It says nothing about votes."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="roll")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "user"], name="one_roll_entry_per_user")
        ]

    def __str__(self):
        return f"{self.user} may vote in election {self.election_id}"


class Ballot(models.Model):
    """What one voter chose, sealed, and nothing that could say who or when.

    A random UUID key (no sequence to order ballots against receipts), no voter, no timestamp.
    `sealed` is the sorted list of chosen nomination ids, padded and encrypted with a key the
    database does not hold (`workflows/ballots.py`); `choices` reads and writes it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    sealed = models.TextField(editable=False)

    @property
    def choices(self) -> list[int]:
        return ballots.unseal(self.election_id, self.sealed)

    @choices.setter
    def choices(self, value: list[int]) -> None:
        self.sealed = ballots.seal(self.election_id, value)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["id"]

    def __str__(self):
        return f"Ballot {self.pk}"


class BallotReceipt(models.Model):
    """That a member voted in an election: stops a second ballot. No time, no ballot link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="receipts")
    # When a member deletes their account the receipt stays, unlinked: the count of receipts
    # still matches the ballots cast.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="ballot_receipts",
    )

    class Meta:
        verbose_name = _("ballot receipt")
        verbose_name_plural = _("ballot receipts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "voter"], name="one_ballot_per_voter")
        ]

    def __str__(self):
        return f"{self.voter or 'a former member'} voted in election {self.election_id}"


class EditorTerm(models.Model):
    """A certified winner's term as editor of a community: editors group membership follows."""

    # Kept when the editor deletes their account: who edited when stays on record, unnamed.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="editor_terms",
    )
    community = models.ForeignKey(
        "community_pages.Community", on_delete=models.CASCADE, related_name="editor_terms"
    )
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="terms")
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("editor term")
        verbose_name_plural = _("editor terms")
        ordering = ["community", "-ends"]
        constraints = [
            models.UniqueConstraint(fields=["election", "user"], name="one_term_per_election")
        ]

    def __str__(self):
        return f"{self.user_name} edits {self.community} until {self.ends:%Y-%m-%d}"

    @property
    def user_name(self) -> str:
        return former_member_or_name(self.user)
