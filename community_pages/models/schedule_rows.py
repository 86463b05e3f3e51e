"""The rows of a support group's schedule: its rules and its cancelled dates (edited in
InlinePanels on the group's page; what they mean is `community_pages/schedules.py`)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from community_pages import schedules
from community_pages.models.support_groups import SupportGroupPage


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
