"""What's new for a member (docs/moderation.md, "Notifications"): one row per event they are
told of, shown on the site and, unless they turned that kind off, e-mailed.

A notification stores what happened (its kind, the page or community, a reviewer's comment),
never a text: what it says is drawn when it is shown, for the person looking, and only if they
may still see what it names (`workflows.selectors.notifications`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DRAFT_APPROVED = "draft_approved", _("My draft was approved")
    DRAFT_SENT_BACK = "draft_sent_back", _("My draft was sent back for changes")
    REVIEW_WAITING = "review_waiting", _("A draft awaits my review")
    JOIN_DECIDED = "join_decided", _("My request to join was decided")
    # The community tools' kinds name a subject (`subject_type`, `subject_id`) that the tool
    # registered (`workflows.notification_subjects`): it decides who may see it and what it says.
    REPLY_NEW = "reply_new", _("A new reply in a conversation I take part in")
    REPLY_MODERATED = "reply_moderated", _("An editor hid or restored my reply")
    PROPOSAL_NEW = "proposal_new", _("A new proposal in my community")
    PROPOSAL_CLOSED = "proposal_closed", _("A proposal I responded to has closed")
    GATHERING_NEW = "gathering_new", _("A new gathering in my community")
    GATHERING_REMINDER = "gathering_reminder", _("A gathering I am coming to is tomorrow")
    GATHERING_PLACE = "gathering_place", _("A place opened for me at a gathering")
    REMEMBRANCE_DATE = "remembrance_date", _("A remembrance date I asked to be reminded of")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("page"),
    )
    community = models.ForeignKey(
        "community_pages.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    # What a community tool's notification is about: a registered subject type ("reply",
    # "proposal", "gathering", ...) and the id of that object. Not a foreign key: the tools live
    # in their own apps, and a notification whose subject is gone is simply not shown.
    subject_type = models.CharField(_("subject type"), max_length=32, blank=True)
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    admitted = models.BooleanField(_("admitted"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"


class NotificationEmailOff(models.Model):
    """A kind of notification a member does not want by e-mail (they still see it on the site)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_email_off",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("notification e-mail turned off")
        verbose_name_plural = _("notification e-mails turned off")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_email_off_per_kind")
        ]

    def __str__(self):
        return f"{self.kind} e-mail off for {self.user_id}"
