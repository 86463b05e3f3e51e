"""The resource library, peer-support guides and their taxonomy; and private files.

Private files: an image model whose originals and renditions are served only through views
that check membership (Wagtail protects documents, not images; docs/privacy.md, invariant
`no-public-file-urls`).

`PrivateRendition.url` points at `resources.views.rendition`, so every `{% image %}` tag, admin
thumbnail and API rendition goes through the membership check; the media folder is never
mounted at a public URL.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.utils import get_user_display_name
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.models import SummaryPage
from resources.blocks import GuideStreamBlock
from resources.selectors import collection_allowed_for, page_may_link_to
from resources.serializers import DocumentLinkField, SlugListField


class PrivateImage(AbstractImage):
    admin_form_fields = Image.admin_form_fields

    @property
    def serve_url(self) -> str:
        return reverse("image_original", args=[self.pk])


class PrivateRendition(AbstractRendition):
    image = models.ForeignKey(PrivateImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    @property
    def url(self) -> str:
        if self.pk is None:
            # Wagtail's stand-in (never saved) when the original file is missing: a broken
            # image, not a page that fails to render.
            return ""
        return reverse("image_rendition", args=[self.image_id, self.pk])


# Taxonomy ------------------------------------------------------------------------------------


class SupportType(models.Model):
    """The four kinds of peer support: emotional, informational, instrumental, affiliational.

    A fixed list, seeded by a data migration, stored as rows so that pages can be filtered on it
    with a plain join on SQLite and PostgreSQL alike. Labels are translated through gettext.
    """

    class Kind(models.TextChoices):
        EMOTIONAL = "emotional", _("Emotional support")
        INFORMATIONAL = "informational", _("Informational support")
        INSTRUMENTAL = "instrumental", _("Instrumental support")
        AFFILIATIONAL = "affiliational", _("Affiliational support")

    slug = models.SlugField(max_length=32, unique=True, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("support type")

    def __str__(self):
        return str(self.Kind(self.slug).label)


@register_snippet
class Topic(models.Model):
    """What a resource or guide is about (grief, self-care...). Kept by staff as a snippet."""

    name = models.CharField(max_length=80, unique=True, help_text=_("e.g. Grief, Self-care."))
    slug = models.SlugField(
        max_length=80, unique=True, help_text=_("Used in filter links, e.g. 'self-care'.")
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")

    def __str__(self):
        # A topic's name is shown in the reader's language when the catalogs know it
        # (resources/taxonomy_names.py: the usual ones); a new one shows as typed until then.
        return gettext(self.name)


@register_snippet
class Language(models.Model):
    """A language a resource is offered in (not only the site's own: Haitian Creole, Chinese...)."""

    code = models.CharField(
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", _("Use a code such as 'es' or 'zh-hans'.")
            )
        ],
        help_text=_("Its language code (BCP 47, lower case), e.g. 'es'."),
    )
    name = models.CharField(max_length=80, help_text=_("Its name, e.g. Spanish."))

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")

    def __str__(self):
        """The language's name in the reader's language ("Chino" for zh in Spanish)."""
        try:
            return str(get_language_info(self.code)["name_translated"])
        except KeyError:
            return gettext(self.name)


# Pages ---------------------------------------------------------------------------------------


class ContentPageForm(WagtailAdminPageForm):
    """Lets `clean()` of a page not yet in the tree know where it will go (its parent)."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        self.instance._parent_for_clean = parent_page
        if "byline" in self.fields and not self.instance.pk and not self.initial.get("byline"):
            user = self.for_user
            if user is not None and user.is_authenticated:
                self.initial["byline"] = get_user_display_name(user)


class SpaceContentPage(SummaryPage):
    """A page inside a community or Common Ground, whose files must come from that space."""

    base_form_class = ContentPageForm

    class Meta:
        abstract = True

    def _tree_anchor(self):
        """This page, or its future parent while it is being created in the admin."""
        return self if self.path else getattr(self, "_parent_for_clean", None)

    def _check_collection(self, obj, field: str, errors: dict) -> None:
        anchor = self._tree_anchor()
        if obj is None or anchor is None:
            return
        if not collection_allowed_for(anchor, obj.collection):
            errors.setdefault(field, []).append(
                ValidationError(
                    _(
                        "“%(title)s” belongs to another space's collection. Attach only files "
                        "from this space's own collection (or public files), so that they are "
                        "seen by the same people as this page."
                    ),
                    params={"title": obj.title},
                    code="foreign_collection",
                )
            )


class ResourcePage(SpaceContentPage):
    """One entry in a space's resource library: a website, document, phone line, book..."""

    class Kind(models.TextChoices):
        WEBSITE = "website", _("Website")
        DOCUMENT = "document", _("Document")
        PHONE_LINE = "phone", _("Phone line")
        BOOK = "book", _("Book")
        PROGRAM = "program", _("Program")
        ORGANIZATION = "organization", _("Organization")
        APP = "app", _("App")
        VIDEO = "video", _("Video")
        OTHER = "other", _("Other")

    body = RichTextField(
        blank=True, help_text=_("Optional: more about it, and why members recommend it.")
    )
    kind = models.CharField(
        max_length=16, choices=Kind.choices, help_text=_("What sort of resource this is.")
    )
    link = models.URLField(blank=True, help_text=_("Its web address, if it has one."))
    phone = models.CharField(
        max_length=40, blank=True, help_text=_("A number to call, for phone lines.")
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: a file from this space's collection (or a public file)."),
    )
    support_types = ParentalManyToManyField(
        SupportType,
        blank=True,
        related_name="resource_pages",
        help_text=_("The kinds of peer support it offers."),
    )
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="resource_pages", help_text=_("What it is about.")
    )
    audience = models.CharField(
        max_length=200, blank=True, help_text=_("Who it is for, e.g. 'Parents who lost a child'.")
    )
    region = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("Where it is available, e.g. 'Massachusetts' or 'United States'."),
    )
    languages = ParentalManyToManyField(
        Language,
        blank=True,
        related_name="resource_pages",
        help_text=_("The languages it is offered in."),
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text=_("When someone last checked that it is still right.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("link"), FieldPanel("phone"), FieldPanel("document")],
            heading=_("Where to find it"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("support_types", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience"),
                FieldPanel("region"),
                FieldPanel("last_reviewed"),
            ],
            heading=_("Who and what it is for"),
        ),
    ]
    search_fields = [*SummaryPage.search_fields, index.SearchField("body")]
    api_fields = [
        *SummaryPage.api_fields,
        APIField("body"),
        APIField("kind"),
        APIField("link"),
        APIField("phone"),
        APIField("document", serializer=DocumentLinkField()),
        APIField("support_types", serializer=SlugListField()),
        APIField("topics", serializer=SlugListField()),
        APIField("languages", serializer=SlugListField(slug_field="code")),
        APIField("audience"),
        APIField("region"),
        APIField("last_reviewed"),
    ]
    override_translatable_fields = [
        TranslatableField("summary"),
        TranslatableField("body"),
        TranslatableField("audience"),
        TranslatableField("region"),
        SynchronizedField("kind"),
        SynchronizedField("link"),
        SynchronizedField("phone"),
        SynchronizedField("document"),
        SynchronizedField("last_reviewed"),
    ]

    parent_page_types = ["community_pages.ResourceLibraryIndexPage"]
    subpage_types: list[str] = []
    template = "resources/resource_page.html"

    class Meta:
        verbose_name = _("resource")

    def clean(self):
        super().clean()
        errors: dict = {}
        required = {
            self.Kind.WEBSITE: ("link", _("A website needs its web address.")),
            self.Kind.PHONE_LINE: ("phone", _("A phone line needs its number.")),
            self.Kind.DOCUMENT: ("document", _("A document needs its file.")),
        }
        if self.kind in required:
            field, message = required[self.kind]
            if not getattr(self, field if field != "document" else "document_id"):
                errors.setdefault(field, []).append(ValidationError(message, code="required"))
        self._check_collection(self.document, "document", errors)
        if errors:
            raise ValidationError(errors)


class GuidePage(SpaceContentPage):
    """A peer-support guide written by members."""

    content_note = models.TextField(
        blank=True,
        max_length=500,
        help_text=_(
            "Optional: what the guide talks about that may be hard to read (e.g. death by "
            "overdose). Shown before the text."
        ),
    )
    byline = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "The name shown as the author. Your display name by default; a pseudonym is fine."
        ),
    )
    support_types = ParentalManyToManyField(
        SupportType,
        blank=True,
        related_name="guide_pages",
        help_text=_("The kinds of peer support this guide offers."),
    )
    body = StreamField(GuideStreamBlock(), help_text=_("The guide itself."))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("byline"),
        FieldPanel("content_note"),
        FieldPanel("support_types", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    search_fields = [*SummaryPage.search_fields, index.SearchField("body")]
    api_fields = [
        *SummaryPage.api_fields,
        APIField("byline"),
        APIField("content_note"),
        APIField("support_types", serializer=SlugListField()),
        APIField("body"),
    ]
    override_translatable_fields = [
        TranslatableField("summary"),
        TranslatableField("content_note"),
        TranslatableField("body"),
        SynchronizedField("byline"),
    ]

    parent_page_types = ["community_pages.GuideIndexPage"]
    subpage_types: list[str] = []
    template = "resources/guide_page.html"

    class Meta:
        verbose_name = _("peer-support guide")

    def clean(self):
        super().clean()
        errors: dict = {}
        for block in self.body or []:
            if block.block_type == "figure":
                self._check_collection(block.value["image"], "body", errors)
            elif block.block_type == "related_resources":
                self._check_related(block.value["resources"], errors)
        if errors:
            raise ValidationError(errors)

    def _check_related(self, pages, errors: dict) -> None:
        anchor = self._tree_anchor()
        if anchor is None:
            return
        for page in pages:
            if page is not None and not page_may_link_to(anchor, page):
                errors.setdefault("body", []).append(
                    ValidationError(
                        _(
                            "“%(title)s” is in another space: link only resources from this "
                            "space or from Common Ground."
                        ),
                        params={"title": page.title},
                        code="foreign_page",
                    )
                )
