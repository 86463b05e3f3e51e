"""Communities, Common Ground, their sections, and membership (join requests, invitations).

A community *page* exists once per locale; the community *record* (`Community`) exists once per
translation key and holds what provisioning created for it: its groups and its collection.
Every translation of a community shares them, so a translation has exactly its source's privacy.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Collection, Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult
from wagtail_localize.fields import SynchronizedField, TranslatableField

from community_pages import schedules
from community_pages.api import GroupLocationField, GroupOnlineField, GroupScheduleField
from community_pages.visibility import user_can_view_page, visible_pages
from home.models import BasePage

SECTION_TEMPLATE = "community_pages/section_index_page.html"
SECTION_PAGE_TYPES = [
    "community_pages.ResourceLibraryIndexPage",
    "community_pages.GuideIndexPage",
    "community_pages.GroupScheduleIndexPage",
]

# Slugs a community or Common Ground may not take: the project's own URL prefixes outside the
# page tree (site/config/urls.py, community_pages/urls.py) and the language prefixes. A space is
# served at /<slug>/ and its feeds at /feeds/<slug>/: a space called "public" would share
# /feeds/public/meetings.json, one called "admin" or "es" would never be reached.
RESERVED_SPACE_SLUGS = frozenset(
    {
        "admin",
        "documents",
        "images",
        "feeds",
        "api",
        "account",
        "search",
        "join",
        "invitation",
        "leave",
        "static",
        "media",
        "public",
        "your-data",
        "en",
        "es",
        "pt",
        *(code.lower() for code, _name in settings.LANGUAGES),
    }
)


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
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

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
    subpage_types = ["resources.ResourcePage"]

    def serve(self, request, *args, **kwargs):
        # The library filters and paginates its resources: see resources/views.py.
        from resources.views import resource_library_serve

        return resource_library_serve(request, self)

    class Meta:
        verbose_name = _("resource library")


class GuideIndexPage(SectionIndexPage):
    template = SECTION_TEMPLATE
    subpage_types = ["resources.GuidePage"]

    class Meta:
        verbose_name = _("peer-support guides")


class GroupScheduleIndexPage(SectionIndexPage):
    """Lists the next four weeks of meetings, by day, of the groups the reader may see."""

    template = "community_pages/group_schedule_index_page.html"
    subpage_types = ["community_pages.SupportGroupPage"]

    def get_context(self, request, *args, **kwargs):
        from community_pages.selectors import schedule_days, support_groups_visible

        context = super().get_context(request, *args, **kwargs)
        context["days"] = schedule_days(support_groups_visible(request.user, self))
        context["has_meetings"] = any(meetings for _day, meetings in context["days"])
        return context

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

    # Who is a member or an editor: `community_pages.access` (is_member, is_editor).


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


# Support groups ------------------------------------------------------------------------------
# A group's schedule is a set of rules (weekly, monthly on the nth weekday, single dates) and
# cancelled dates, kept as orderable child rows so editors add them in an InlinePanel. What the
# rules mean is `community_pages/schedules.py` (dateutil's rrule); feeds are `feeds.py`.


def validate_time_zone(value: str) -> None:
    try:
        schedules.time_zone(value)
    except ValueError as error:
        raise ValidationError(str(error), code="unknown_time_zone") from error


validate_phone = RegexValidator(
    r"^\+?[0-9][0-9,*#]{6,40}$",
    _("Digits only, optionally starting with + (commas, * and # allowed for one-tap dialling)."),
)
validate_first_name = RegexValidator(
    r"^[^\s@]{1,40}$",
    _("First name only: no last name, initial or e-mail address (members' anonymity)."),
)
validate_languages = RegexValidator(
    r"^(en|es|pt)(,(en|es|pt))*$",
    _("Language codes separated by commas, from: en, es, pt (for example: en,es)."),
)


class SupportGroupPageForm(WagtailAdminPageForm):
    """Checks the whole schedule (rules, times, zone, cancellations) with clear messages.

    The rows live in formsets, which the page model cannot see while the form is validated, so
    the cross-row checks are made here, by the same function the model and demo use.
    """

    def clean(self):
        cleaned = super().clean()
        if not all(formset.is_valid() for formset in self.formsets.values()):
            return cleaned  # the rows' own errors come first
        rules = [
            schedules.Rule(
                kind=data.get("kind"),
                weekday=data.get("weekday"),
                nth=data.get("nth"),
                on=data.get("on"),
            )
            for data in self._rows("schedule_rules")
            if data.get("kind")
        ]
        cancelled = frozenset(data["on"] for data in self._rows("cancellations") if data.get("on"))
        if not (cleaned.get("start_time") and cleaned.get("end_time")):
            return cleaned
        schedule = schedules.Schedule(
            rules=tuple(rules),
            start_time=cleaned["start_time"],
            end_time=cleaned["end_time"],
            time_zone=cleaned.get("time_zone") or "",
            starts_on=cleaned.get("starts_on"),
            ends_on=cleaned.get("ends_on"),
            cancelled=cancelled,
        )
        for name, messages in schedules.schedule_errors(schedule).items():
            for message in messages:
                if name in ("rules", "cancelled"):
                    self.add_error(None, message)
                elif name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def _rows(self, name):
        formset = self.formsets.get(name)
        if formset is None:
            return []
        return [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class SupportGroupPage(BasePage):
    """A support group (a "meeting") and its schedule, inside a community's group schedule."""

    class Kind(models.TextChoices):
        SMART_RECOVERY = "smart-recovery", _("SMART Recovery")
        SMART_FAMILY = "smart-family", _("SMART Family & Friends")
        REFUGE_RECOVERY = "refuge-recovery", _("Refuge Recovery")
        GRIEF = "grief", _("Grief group")
        SOCIAL = "social", _("Social gathering")
        OTHER = "other", _("Other")

    class Attendance(models.TextChoices):
        IN_PERSON = "in-person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid (in person and online)")

    description = models.TextField(
        blank=True, help_text=_("Plain text: what happens at the group and who it is for.")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text=_("The kind of group."))
    attendance = models.CharField(
        max_length=12,
        choices=Attendance.choices,
        default=Attendance.IN_PERSON,
        help_text=_("How people attend."),
    )
    is_open = models.BooleanField(
        _("open"),
        default=True,
        help_text=_(
            "Open: any member may come. Closed: only for the people the group is for; a closed "
            "group is never listed in the public feed."
        ),
    )
    is_public = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_(
            "List this group in the public meetings feed: name, day, time, kind and town only "
            "(never the online link or phone)."
        ),
    )
    starts_on = models.DateField(
        default=timezone.localdate, help_text=_("The date of the first meeting.")
    )
    ends_on = models.DateField(
        null=True, blank=True, help_text=_("Optional: the date of the last meeting.")
    )
    start_time = models.TimeField(help_text=_("Wall-clock time in the group's time zone."))
    end_time = models.TimeField(help_text=_("Must be after the start time, the same day."))
    time_zone = models.CharField(
        max_length=64,
        default=schedules.DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("A time-zone name such as America/New_York."),
    )
    location_name = models.CharField(
        max_length=200, blank=True, help_text=_("Building or landmark, e.g. 'Grace Church hall'.")
    )
    address = models.CharField(max_length=255, blank=True, help_text=_("Street address."))
    city = models.CharField(max_length=100, blank=True, help_text=_("Town or city."))
    state = models.CharField(max_length=50, blank=True, default="MA", help_text=_("State."))
    postal_code = models.CharField(max_length=20, blank=True, help_text=_("ZIP code."))
    region = models.CharField(
        max_length=100, blank=True, help_text=_("Region or neighbourhood, e.g. 'Greater Boston'.")
    )
    publish_address = models.BooleanField(
        default=False,
        help_text=_(
            "Show the street address in the public feed too. Otherwise only the town and region "
            "are public; members always see the address."
        ),
    )
    location_notes = models.TextField(
        blank=True, help_text=_("How to find the room: 'side door, upstairs'.")
    )
    online_url = models.URLField(
        blank=True, help_text=_("Video-call link that opens the meeting (members only).")
    )
    online_url_notes = models.CharField(
        max_length=200, blank=True, help_text=_("E.g. the meeting password (members only).")
    )
    phone = models.CharField(
        max_length=50,
        blank=True,
        validators=[validate_phone],
        help_text=_("Dial-in number (members only)."),
    )
    facilitator = models.CharField(
        max_length=40,
        blank=True,
        validators=[validate_first_name],
        help_text=_("The facilitator's first name only."),
    )
    languages = models.CharField(
        max_length=20,
        default="en",
        validators=[validate_languages],
        help_text=_("Language codes, comma-separated: en, es, pt."),
    )
    wheelchair_accessible = models.BooleanField(
        default=False, help_text=_("The room is wheelchair accessible.")
    )
    accessibility_notes = models.TextField(
        blank=True, help_text=_("Anything else about access: parking, hearing loop, captions.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("attendance"),
                FieldPanel("is_open"),
                FieldPanel("is_public"),
                FieldPanel("facilitator"),
                FieldPanel("languages"),
            ],
            heading=_("About the group"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("start_time"),
                FieldPanel("end_time"),
                FieldPanel("time_zone"),
                FieldPanel("starts_on"),
                FieldPanel("ends_on"),
            ],
            heading=_("Time"),
        ),
        InlinePanel("schedule_rules", label=_("Schedule rule"), min_num=1),
        InlinePanel("cancellations", label=_("Cancelled date")),
        MultiFieldPanel(
            [
                FieldPanel("location_name"),
                FieldPanel("address"),
                FieldPanel("city"),
                FieldPanel("state"),
                FieldPanel("postal_code"),
                FieldPanel("region"),
                FieldPanel("publish_address"),
                FieldPanel("location_notes"),
            ],
            heading=_("Place"),
        ),
        MultiFieldPanel(
            [FieldPanel("online_url"), FieldPanel("online_url_notes"), FieldPanel("phone")],
            heading=_("Online (members only)"),
        ),
        MultiFieldPanel(
            [FieldPanel("wheelchair_accessible"), FieldPanel("accessibility_notes")],
            heading=_("Accessibility"),
        ),
    ]
    api_fields = [
        APIField("description"),
        APIField("kind"),
        APIField("attendance"),
        APIField("is_open"),
        APIField("languages"),
        APIField("facilitator"),
        APIField("wheelchair_accessible"),
        APIField("accessibility_notes"),
        APIField("schedule", serializer=GroupScheduleField()),
        APIField("location", serializer=GroupLocationField()),
        # The online link and phone: only for those who may read the group (its members).
        APIField("online", serializer=GroupOnlineField()),
    ]
    base_form_class = SupportGroupPageForm
    # wagtail-localize: translators translate the words; the facts of the meeting (when, where,
    # how to join, who may come, whether it is listed publicly) stay the source's. Without this,
    # the time zone, phone, address, password and language codes would be offered as text to
    # translate. Privacy and joining details cannot be overridden in a translation; a building
    # or region name may be (e.g. "community room"). The title and slug stay translatable.
    override_translatable_fields = [
        TranslatableField("description"),
        TranslatableField("location_notes"),
        TranslatableField("accessibility_notes"),
        *(
            SynchronizedField(name, overridable=False)
            for name in (
                "kind",
                "attendance",
                "is_open",
                "is_public",
                "publish_address",
                "starts_on",
                "ends_on",
                "start_time",
                "end_time",
                "time_zone",
                "address",
                "city",
                "state",
                "postal_code",
                "online_url",
                "online_url_notes",
                "phone",
                "facilitator",
                "languages",
                "wheelchair_accessible",
                "schedule_rules",
                "cancellations",
            )
        ),
        SynchronizedField("location_name"),
        SynchronizedField("region"),
    ]

    parent_page_types = ["community_pages.GroupScheduleIndexPage"]
    subpage_types: list[str] = []
    template = "community_pages/support_group_page.html"

    class Meta:
        verbose_name = _("support group")

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError(
                {"end_time": _("The end time must be after the start time, the same day.")}
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last date must not be before the first.")})

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def is_online(self) -> bool:
        return self.attendance in (self.Attendance.ONLINE, self.Attendance.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.attendance in (self.Attendance.IN_PERSON, self.Attendance.HYBRID)

    def schedule(self) -> schedules.Schedule:
        """The schedule as plain values (reads prefetched rows: no query when prefetched)."""
        return schedules.Schedule(
            rules=tuple(rule.as_rule() for rule in self.schedule_rules.all()),
            start_time=self.start_time,
            end_time=self.end_time,
            time_zone=self.time_zone,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            cancelled=frozenset(c.on for c in self.cancellations.all()),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        context["upcoming"] = schedules.occurrences(
            self.schedule(), today, today + timedelta(days=GROUP_SCHEDULE_DAYS)
        )
        context["rules"] = [schedules.describe_rule(r.as_rule()) for r in self.schedule_rules.all()]
        return context


GROUP_SCHEDULE_DAYS = 28  # the group schedule shows the next four weeks


class SupportGroupScheduleRule(Orderable):
    page = ParentalKey(SupportGroupPage, on_delete=models.CASCADE, related_name="schedule_rules")
    kind = models.CharField(
        max_length=10,
        choices=[
            (schedules.WEEKLY_RULE, _("Weekly")),
            (schedules.MONTHLY_RULE, _("Monthly, on the nth weekday")),
            (schedules.DATE_RULE, _("A single date")),
        ],
        default=schedules.WEEKLY_RULE,
        help_text=_("Weekly on a day; monthly on the 1st–4th or last weekday; or one date."),
    )
    weekday = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=[(n, _(name)) for n, name in enumerate(schedules.WEEKDAY_NAMES)],
        help_text=_("Weekly and monthly rules: the day of the week."),
    )
    nth = models.SmallIntegerField(
        _("week of the month"),
        null=True,
        blank=True,
        choices=[(1, _("1st")), (2, _("2nd")), (3, _("3rd")), (4, _("4th")), (-1, _("Last"))],
        help_text=_("Monthly rules: which one in the month."),
    )
    on = models.DateField(
        _("date"), null=True, blank=True, help_text=_("Single-date rules: the date.")
    )

    panels = [FieldPanel("kind"), FieldPanel("weekday"), FieldPanel("nth"), FieldPanel("on")]

    class Meta(Orderable.Meta):
        verbose_name = _("schedule rule")

    def __str__(self):
        return schedules.describe_rule(self.as_rule())

    def as_rule(self) -> schedules.Rule:
        return schedules.Rule(kind=self.kind, weekday=self.weekday, nth=self.nth, on=self.on)

    def clean(self):
        super().clean()
        errors = schedules.rule_errors(self.as_rule())
        if errors:
            raise ValidationError(errors)


class SupportGroupCancellation(Orderable):
    page = ParentalKey(SupportGroupPage, on_delete=models.CASCADE, related_name="cancellations")
    on = models.DateField(_("date"), help_text=_("A meeting date that will not take place."))
    note = models.CharField(max_length=200, blank=True, help_text=_("E.g. 'Thanksgiving'."))

    panels = [FieldPanel("on"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("cancelled date")
        ordering = ["on"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d}"


class FeedToken(models.Model):
    """The secret in a member's personal calendar-feed URLs (a calendar app sends no cookie).

    Only a hash is stored; the URLs are shown once, when made. Regenerating revokes the old one.
    A feed opened with the token sees exactly what its user may see, through `visibility.py`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Feed token of {self.user} ({'revoked' if self.revoked_at else 'active'})"
