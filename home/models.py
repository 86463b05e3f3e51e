"""The public front door: home page and plain public pages, the site settings, and a member's
data export."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from community_pages.models import CommonGroundPage
from community_pages.selectors import communities_for_front_door, pending_join_slugs
from core.models import BasePage
from core.visibility import public_pages, visible_pages


class HomePage(BasePage):
    intro = RichTextField(blank=True, help_text=_("The welcome text at the top of the front door."))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "community_pages.CommunityPage",
        "community_pages.CommonGroundPage",
    ]

    class Meta:
        verbose_name = _("Neighborhood home")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Specific (the cards show each page's summary), and public from the restriction index.
        context["public_pages"] = public_pages(StandardPage.objects.child_of(self).live())
        # A signed-in person sees their own spaces first; "Ask to join" is offered only for
        # the communities they do not belong to (and says so when a request is waiting).
        user = request.user
        communities = list(communities_for_front_door(self))
        # One question to the rule for all of them (asking it per community cost a reading of
        # the restrictions each, 200 times with 200 communities).
        visible = (
            set(
                visible_pages(
                    user, Page.objects.filter(pk__in=[c.pk for c in communities]), live=False
                ).values_list("pk", flat=True)
            )
            if user.is_authenticated and communities
            else set()
        )
        mine, others = [], []
        for community in communities:
            (mine if community.pk in visible else others).append(community)
        context["my_communities"] = mine
        context["communities"] = others
        context["common_ground"] = (
            visible_pages(user, CommonGroundPage.objects.child_of(self)).first()
            if user.is_authenticated
            else None
        )
        context["pending_slugs"] = pending_join_slugs(user)
        return context


class StandardPage(BasePage):
    """About, how to join, crisis help: plain public pages."""

    summary = models.CharField(
        max_length=300, blank=True, help_text=_("One or two sentences shown in listings.")
    )
    body = RichTextField(help_text=_("The text of the page."))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = [APIField("summary"), APIField("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("public page")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    crisis_line = models.CharField(
        max_length=200,
        blank=True,
        default="Call or text 988 (Suicide & Crisis Lifeline)",
        help_text=_("Shown in the footer of every page."),
    )

    class Meta:
        verbose_name = _("site settings")


# Where export files live in the storage. Backups leave this folder out (home/backup.py): an
# export is a temporary copy of personal data that must go when it expires.
EXPORTS_FOLDER = "private/exports"


def _export_path(instance, filename: str) -> str:
    # A random name, never the member's: storage listings and logs say nothing about whom.
    return f"{EXPORTS_FOLDER}/{uuid.uuid4().hex}.json"


class DataExport(models.Model):
    """A member's data export (home/exports.py): at most one per member, built by a background
    task into private storage, served only through `account_export_download` to its owner, and
    deleted after `EXPORT_DAYS`, on the next request or with the account."""

    PENDING = "pending"
    READY = "ready"
    STATUS_CHOICES = [(PENDING, _("being prepared")), (READY, _("ready"))]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_export"
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING)
    file = models.FileField(upload_to=_export_path, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")

    def __str__(self) -> str:
        return f"data export {self.pk}"
