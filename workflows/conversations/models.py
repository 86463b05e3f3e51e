"""Conversations in a space (docs/community-tools.md, "Conversations").

A **topic** lives in one space (a community or Common Ground, its default-language page): one a
member started in the space's conversations (a title), or the conversation about a guide or a
resource (`page`, its default-language page) or about another tool's object (`key`, such as
"gathering:12"). Its **replies** are plain text; a reply may answer a top-level reply, no deeper.
A reply a moderator hid is gone for everyone but its author; a **report** is one member's, once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

TITLE_MAX = 120
BODY_MAX = 4000
REASON_MAX = 500


class Topic(models.Model):
    space = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    # What the conversation is about, if not a topic of its own: a guide or resource (its page
    # in the default language), or another tool's object by key ("gathering:<id>").
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=TITLE_MAX)
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # A moderator hid the whole topic (its title was the harm): gone for everyone but its starter.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "key"], condition=~Q(key=""), name="one_topic_per_space_key"
            ),
            models.UniqueConstraint(
                fields=["page"], condition=Q(page__isnull=False), name="one_topic_per_page"
            ),
        ]
        indexes = [models.Index(fields=["space", "-last_activity_at"], name="topic_space_recent")]

    def __str__(self):
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Reply(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="replies")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    # None once deleted by its author or with their account (a tombstone, kept only while
    # someone's answer hangs on it).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(max_length=BODY_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["topic", "parent", "created_at"], name="reply_thread")]

    def __str__(self):
        return f"reply {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Report(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a moderator hid the reply, restored it or kept it: off the moderators' list.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reply", "reporter"], name="one_report_per_member")
        ]

    def __str__(self):
        return f"report {self.pk}"
