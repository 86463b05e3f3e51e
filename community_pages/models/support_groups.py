"""Support groups ("meetings") and their schedules.

A group's schedule is a set of rules (weekly, monthly on the nth weekday, single dates) and
cancelled dates, kept as orderable child rows so editors add them in an InlinePanel. What the
rules mean is `community_pages/schedules.py` (dateutil's rrule); feeds are `feeds.py`.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from community_pages import schedules
from community_pages.admin_panels import PublicListingPanel
from community_pages.models import validate_time_zone
from community_pages.models.support_group_form import SupportGroupPageForm
from community_pages.serializers import GroupLocationField, GroupOnlineField, GroupScheduleField
from core.languages import content_language_codes
from core.models import BasePage

validate_phone = RegexValidator(
    r"^\+?[0-9][0-9,*#]{6,40}$",
    _("Digits only, optionally starting with + (commas, * and # allowed for one-tap dialling)."),
)
validate_first_name = RegexValidator(
    r"^[^\s@]{1,40}$",
    _("First name only: no last name, initial or e-mail address (members' anonymity)."),
)
# The languages a group meets in: the site's own (settings.WAGTAIL_CONTENT_LANGUAGES).
LANGUAGE_CODES = content_language_codes()
validate_languages = RegexValidator(
    r"^({codes})(,({codes}))*$".format(codes="|".join(LANGUAGE_CODES)),
    format_lazy(
        _("Language codes separated by commas, from: {codes} (for example: {example})."),
        codes=", ".join(LANGUAGE_CODES),
        example=",".join(LANGUAGE_CODES[:2]),
    ),
)


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
            "List this group in the public meetings feed: name, day, time, kind and town, and "
            "only the ways in given under “Public meetings feed” (never the members' link or "
            "phone)."
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
    public_conference_url = models.URLField(
        _("public video-call link"),
        blank=True,
        help_text=_(
            "Optional, PUBLIC: a link that opens the meeting, for the public feed (a recognised "
            "service such as Zoom, Google Meet or Jitsi). Leave empty to keep the link for "
            "members."
        ),
    )
    public_conference_phone = models.CharField(
        _("public dial-in number"),
        max_length=50,
        blank=True,
        validators=[validate_phone],
        help_text=_("Optional, PUBLIC: a dial-in number for the public feed."),
    )
    public_join_url = models.URLField(
        _("public “how to join” page"),
        blank=True,
        help_text=_(
            "Optional, PUBLIC: a page that explains how to join (the feed's meeting URL). Alone "
            "it does not list an online meeting."
        ),
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
        help_text=format_lazy(
            _("Language codes, comma-separated: {codes}."), codes=", ".join(LANGUAGE_CODES)
        ),
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
        MultiFieldPanel(
            [
                PublicListingPanel(),
                FieldPanel("is_public"),
                FieldPanel("publish_address"),
                FieldPanel("public_conference_url"),
                FieldPanel("public_conference_phone"),
                FieldPanel("public_join_url"),
            ],
            heading=_("Public meetings feed"),
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
    # The pages endpoint (core/api/pages.py) prefetches these for `?type=`: no N+1 queries.
    api_prefetch_related = ("schedule_rules", "cancellations")
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
                "public_conference_url",
                "public_conference_phone",
                "public_join_url",
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
