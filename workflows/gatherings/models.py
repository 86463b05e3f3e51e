"""Gatherings (docs/community-tools.md, "Gatherings"): a potluck, a social, a remembrance walk in
a space, with RSVPs, a waiting list, a bring-list and reminders.

The time is stored as an aware moment (`starts_at`) with the time-zone name it was given in
(the community's zone, as support groups store theirs). A gathering held several times (three
times a year) is a `GatheringSeries` with one `Gathering` per date: each occurrence has its own
RSVPs, waiting list and bring-list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community_pages import schedules
from community_pages.models import validate_time_zone


class GatheringSeries(models.Model):
    space = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"series #{self.pk}"


class Gathering(models.Model):
    class Kind(models.TextChoices):
        POTLUCK = "potluck", _("Potluck")
        SOCIAL = "social", _("Social")
        WALK = "walk", _("Remembrance walk")
        OTHER = "other", _("Other")

    space = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(
        GatheringSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="gatherings"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SOCIAL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5_000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=schedules.DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
    )
    area = models.CharField(_("town or area"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_for_coming_only = models.BooleanField(
        _("show the exact address only to those coming"), default=True
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the day-before reminder, once
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["space", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, schedules.time_zone(self.time_zone))

    @property
    def local_end(self):
        if self.ends_at is None:
            return None
        return timezone.localtime(self.ends_at, schedules.time_zone(self.time_zone))


class Rsvp(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Coming")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("Not coming")
        WAITING = "waiting", _("On the waiting list")

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    waiting_since = models.DateTimeField(null=True, blank=True)  # first in line comes first
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["gathering", "user"], name="one_rsvp_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.answer} #{self.pk}"


class BringItem(models.Model):
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="bring_items")
    what = models.CharField(_("what to bring"), max_length=120)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.what
