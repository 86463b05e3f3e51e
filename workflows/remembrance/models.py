"""A remembrance: a member's words for the person they lost, in one community
(docs/community-tools.md, "Remembrance"; docs/privacy.md, "Remembrance, with consent").

It is not a Wagtail page: it is never indexed, never in a feed, never in the pages API. It lives
in the space it was made in (`space`, the community's page in the default language) and is read
only through `workflows.remembrance.selectors`, which ask the one rule (`workflows.spaces`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_MAX = 100
WORDS_MAX = 3000
REASON_MAX = 1000


class RemindOn(models.TextChoices):
    NEVER = "", _("No reminder")
    BORN = "born", _("The day they were born")
    DIED = "died", _("The day they died")


class Remembrance(models.Model):
    space = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("space")
    )
    # None once the author deleted their account and had chosen to hand it to the community.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remembrances",
        verbose_name=_("shared by"),
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    born = models.DateField(_("born"), null=True, blank=True)
    died = models.DateField(_("died"), null=True, blank=True)
    words = models.TextField(_("a few words"), max_length=WORDS_MAX)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    photo_alt = models.CharField(_("what the photo shows"), max_length=250, blank=True)
    hand_to_community = models.BooleanField(_("hand to the community"), default=False)
    remind_on = models.CharField(
        _("remind me"), max_length=8, choices=RemindOn.choices, default=RemindOn.NEVER, blank=True
    )
    # The year of the last reminder sent: one reminder per year, exactly once.
    reminded_year = models.PositiveSmallIntegerField(_("reminded in"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.TextField(_("why it was hidden"), blank=True, max_length=REASON_MAX)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("remembrance")
        verbose_name_plural = _("remembrances")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["space", "created_at"], name="remembrance_space")]

    def __str__(self):
        return f"remembrance {self.pk}"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    def reminder_date(self):
        """The date the author asked to be reminded of (its day and month), or None."""
        if self.remind_on == RemindOn.BORN:
            return self.born
        if self.remind_on == RemindOn.DIED:
            return self.died
        return None
