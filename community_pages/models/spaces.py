"""Communities and Common Ground (the spaces), their sections, and the records provisioning
keeps for them.

A community *page* exists once per locale; the community *record* (`Community`) exists once per
translation key and holds what provisioning created for it: its groups and its collection.
Every translation of a community shares them, so a translation has exactly its source's privacy.
"""

from collections.abc import Callable, Set

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core.languages import in_reader_language, language_name, under_translations
from core.models import BasePage
from core.per_request import per_request
from core.routes import reserved_space_slugs
from core.visibility import user_can_view_page, visible_pages

SECTION_TEMPLATE = "community_pages/section_index_page.html"
SECTION_PAGE_TYPES = [
    "community_pages.ResourceLibraryIndexPage",
    "community_pages.GuideIndexPage",
    "community_pages.GroupScheduleIndexPage",
]


class _ReservedSpaceSlugs(Set):
    """Slugs a community or Common Ground may not take, read from the URL configuration when
    first asked (`core.routes.reserved_space_slugs`): the site's own addresses outside the page
    tree and the language prefixes. A space is served at /<slug>/ and its feeds at
    /feeds/<slug>/: a space called "public" would share /feeds/public/meetings.json, one called
    "admin" or "es" would never be reached."""

    def __contains__(self, slug) -> bool:
        return slug in reserved_space_slugs()

    def __iter__(self):
        return iter(reserved_space_slugs())

    def __len__(self) -> int:
        return len(reserved_space_slugs())


RESERVED_SPACE_SLUGS = _ReservedSpaceSlugs()


def validate_space_slug(slug: str) -> None:
    """Raise a ValidationError (on the slug field) if a space may not take this slug."""
    if (slug or "").lower() in RESERVED_SPACE_SLUGS:
        raise ValidationError(
            {
                "slug": _(
                    "“%(slug)s” is reserved for the site's own addresses (such as /admin/, "
                    "/feeds/public/ or the language prefixes /es/ and /pt/). Please choose "
                    "another slug."
                )
                % {"slug": slug}
            }
        )


# Views that an app above serves a section page with, by page type label: a small registry, so
# that `community_pages` imports no app above it. `resources` registers the library's listing.
SECTION_VIEWS: dict[str, Callable] = {}


def section_view_register(label: str, view: Callable) -> None:
    """Serve pages of type `label` ("app.Model") with `view(request, page)`."""
    SECTION_VIEWS[label] = view


class SpaceCopyForm(CopyForm):
    """The admin's copy form for a space: the new slug obeys the same reserved list."""

    def clean_new_slug(self):
        slug = self.cleaned_data["new_slug"]
        try:
            validate_space_slug(slug)
        except ValidationError as error:
            raise ValidationError(error.message_dict["slug"]) from error
        return slug


class SpacePage(BasePage):
    """A private space: a community or Common Ground, with its three sections."""

    copy_form_class = SpaceCopyForm

    intro = RichTextField(blank=True, help_text=_("Welcome text shown to members."))
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = SECTION_PAGE_TYPES

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        validate_space_slug(self.slug)  # CommunityPage and CommonGroundPage alike

    def route(self, request, path_components):
        # Someone who may not see this space gets the same answer for every path inside it,
        # whether a page exists there or not: existence of a title or slug must not leak. A
        # visitor is sent to sign in (the space's own answer); a signed-in person gets the 404
        # of a missing page (docs/privacy.md).
        if path_components and self.live and not user_can_view_page(request.user, self):
            if request.user.is_authenticated:
                raise Http404
            return RouteResult(self)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Specific for their type (the news asks which section is which), their own fields
        # deferred: one query, not one more per section type (only titles and addresses show).
        context["sections"] = visible_pages(request.user, self.get_children()).specific(defer=True)
        return context


class CommunityPage(SpacePage):
    """A community: private to its members. Creating it provisions groups, privacy and files."""

    template = "community_pages/space_page.html"

    public_description = models.TextField(
        blank=True,
        max_length=500,
        help_text=_(
            "Public: shown to anyone, signed in or not, on the front door and when a visitor "
            "opens this community. Say who it is for and how to join; nothing private."
        ),
    )
    content_panels = [*SpacePage.content_panels, FieldPanel("public_description")]
    api_fields = [*SpacePage.api_fields, APIField("public_description")]

    class Meta:
        verbose_name = _("community")

    def save(self, *args, **kwargs):
        # cycle: provisioning imports these models.
        from community_pages.provisioning import community_provision

        with transaction.atomic():
            result = super().save(*args, **kwargs)
            community_provision(self)
        return result

    @property
    def community(self):
        # Asked by the page's template and its news alike: read once per reading request.
        return per_request(
            ("community_pages.community", self.translation_key),
            lambda: Community.objects.filter(translation_key=self.translation_key).first(),
        )


class CommonGroundPage(SpacePage):
    """Shared by the members of every community."""

    template = "community_pages/space_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Common Ground")

    def save(self, *args, **kwargs):
        # cycle: provisioning imports these models.
        from community_pages.provisioning import common_ground_provision

        with transaction.atomic():
            result = super().save(*args, **kwargs)
            common_ground_provision()
        return result


class SectionIndexPage(BasePage):
    """A section of a space; lists the child pages the reader may see."""

    intro = RichTextField(blank=True, help_text=_("Shown above the list of pages."))
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["community_pages.CommunityPage", "community_pages.CommonGroundPage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The section's pages in the reader's language, or in English until translated.
        children = visible_pages(request.user, Page.objects.filter(under_translations(self)))
        context["children"] = (
            in_reader_language(children, get_language())
            .order_by("title", "pk")
            .select_related("locale")
            .specific()
        )
        return context


class ResourceLibraryIndexPage(SectionIndexPage):
    template = SECTION_TEMPLATE
    subpage_types = ["resources.ResourcePage"]

    def serve(self, request, *args, **kwargs):
        # The library filters and paginates its resources: `resources` registers that view
        # (resources/apps.py), since this app may not import the apps above it.
        view = SECTION_VIEWS.get(self._meta.label)
        if view is None:
            return super().serve(request, *args, **kwargs)
        return view(request, self)

    class Meta:
        verbose_name = _("resource library")


class GuideIndexPage(SectionIndexPage):
    template = SECTION_TEMPLATE
    subpage_types = ["resources.GuidePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.permissions_for_user(request.user).can_add_subpage():
            # "Write a guide" is the workflows app's form (an app above): named by its URL.
            context["write_url"] = reverse("write_guide", args=[self.get_parent().slug])
        return context

    class Meta:
        verbose_name = _("peer-support guides")


class GroupScheduleIndexPage(SectionIndexPage):
    """Lists the next four weeks of meetings, by day, of the groups the reader may see."""

    template = "community_pages/group_schedule_index_page.html"
    subpage_types = ["community_pages.SupportGroupPage"]

    def get_context(self, request, *args, **kwargs):
        # cycle: forms and selectors import these models.
        from community_pages.forms import ScheduleFilterForm
        from community_pages.models.support_groups import SupportGroupPage
        from community_pages.selectors import (
            finder_choices,
            schedule_found,
            support_groups_in_language,
        )

        context = super().get_context(request, *args, **kwargs)
        groups = list(support_groups_in_language(request.user, self, get_language()))
        choices = finder_choices(groups)
        form = ScheduleFilterForm(
            request.GET,
            towns=choices["towns"],
            attendance=SupportGroupPage.Attendance.choices,
            kinds=SupportGroupPage.Kind.choices,
            languages=[(code, language_name(code)) for code in choices["language_codes"]],
        )
        context["filter_form"] = form
        if not form.is_valid():
            context.update(filter_errors=form.error_messages_named(), days=[])
            return context
        filters = form.cleaned_data
        context["days"] = schedule_found(groups, filters)
        context["has_meetings"] = any(meetings for _day, meetings in context["days"])
        context["filtered"] = any(filters.values())
        context["window"] = filters["when"]
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data.get("filter_errors"):
            response.status_code = 400  # a filter the finder does not know: say which
        return response

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

    @cached_property
    def local_name(self) -> str:
        """The community's name in the reader's language: its page's translated title (its
        English name until translated). Names are public (docs/privacy.md)."""
        language = (get_language() or "").split("-")[0]
        page = self.pages().live().filter(locale__language_code=language).only("title").first()
        return page.title if page else self.name

    # Who is a member or an editor: `core.access` (is_member, is_editor).


class CommonGround(models.Model):
    """The single Common Ground record: its collection."""

    collection = models.OneToOneField(
        Collection, on_delete=models.PROTECT, related_name="common_ground"
    )

    class Meta:
        verbose_name = _("Common Ground record")

    def __str__(self):
        return "Common Ground"
