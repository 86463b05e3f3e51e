"""Communities, Common Ground, their sections, and membership (join requests, invitations).

A community *page* exists once per locale; the community *record* (`Community`) exists once per
translation key and holds what provisioning created for it: its groups and its collection.
Every translation of a community shares them, so a translation has exactly its source's privacy.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page
from wagtail.url_routing import RouteResult

from community_pages.visibility import user_can_view_page, visible_pages
from home.models import BasePage

SECTION_TEMPLATE = "community_pages/section_index_page.html"
SECTION_PAGE_TYPES = [
    "community_pages.ResourceLibraryIndexPage",
    "community_pages.GuideIndexPage",
    "community_pages.GroupScheduleIndexPage",
]


class SpacePage(BasePage):
    """A private space: a community or Common Ground, with its three sections."""

    intro = RichTextField(blank=True, help_text=_("Welcome text shown to members."))
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = SECTION_PAGE_TYPES

    class Meta:
        abstract = True

    def route(self, request, path_components):
        # Someone who may not see this space gets the same answer for every path inside it,
        # whether a page exists there or not: existence of a title or slug must not leak.
        if path_components and not user_can_view_page(request.user, self):
            return RouteResult(self)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = visible_pages(request.user, self.get_children()).specific()
        return context


class CommunityPage(SpacePage):
    """A community: private to its members. Creating it provisions groups, privacy and files."""

    template = "community_pages/space_page.html"

    class Meta:
        verbose_name = _("community")

    def save(self, *args, **kwargs):
        from community_pages.provisioning import community_provision

        with transaction.atomic():
            result = super().save(*args, **kwargs)
            community_provision(self)
        return result

    @property
    def community(self):
        return Community.objects.filter(translation_key=self.translation_key).first()


class CommonGroundPage(SpacePage):
    """Shared by the members of every community."""

    template = "community_pages/space_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Common Ground")

    def save(self, *args, **kwargs):
        from community_pages.provisioning import common_ground_provision

        with transaction.atomic():
            result = super().save(*args, **kwargs)
            common_ground_provision()
        return result


class SectionIndexPage(BasePage):
    """A section of a space; lists the child pages the reader may see."""

    intro = RichTextField(blank=True, help_text=_("Shown above the list of pages."))
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["community_pages.CommunityPage", "community_pages.CommonGroundPage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = visible_pages(request.user, self.get_children()).specific()
        return context


class ResourceLibraryIndexPage(SectionIndexPage):
    template = SECTION_TEMPLATE
    subpage_types: list[str] = []  # resource pages arrive with the content issue

    class Meta:
        verbose_name = _("resource library")


class GuideIndexPage(SectionIndexPage):
    template = SECTION_TEMPLATE
    subpage_types: list[str] = []  # guide pages arrive with the content issue

    class Meta:
        verbose_name = _("peer-support guides")


class GroupScheduleIndexPage(SectionIndexPage):
    template = SECTION_TEMPLATE
    subpage_types: list[str] = []  # support-group pages arrive with the content issue

    class Meta:
        verbose_name = _("group schedule")


# Provisioned records -------------------------------------------------------------------------


class Community(models.Model):
    """What provisioning made for one community (all its translations share it)."""

    translation_key = models.UUIDField(unique=True, editable=False)
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255)
    members_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="community_as_members"
    )
    editors_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="community_as_editors"
    )
    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="community"
    )

    class Meta:
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def pages(self):
        return CommunityPage.objects.filter(translation_key=self.translation_key)

    def is_member(self, user) -> bool:
        return user.is_authenticated and user.groups.filter(pk=self.members_group_id).exists()

    def is_editor(self, user) -> bool:
        return user.is_authenticated and user.groups.filter(pk=self.editors_group_id).exists()


class CommonGround(models.Model):
    """The single Common Ground record: its collection."""

    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="common_ground"
    )

    class Meta:
        verbose_name = _("Common Ground record")

    def __str__(self):
        return "Common Ground"


# Membership ----------------------------------------------------------------------------------


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        ADMITTED = "admitted", _("admitted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=models.Q(status="pending"),
                name="one_pending_join_request_per_community",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.community} ({self.status})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use, expiring link that admits whoever opens it to a community.

    Only a hash of the token is stored: the link itself is shown once, to its creator.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(
        max_length=200, blank=True, help_text=_("For your own records: who it is for.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_used",
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation to {self.community}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_used(self) -> bool:
        return self.used_at is not None
