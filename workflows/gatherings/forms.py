"""The gathering form: it reads input; the rules are `services._validated`'s."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from community_pages import schedules
from workflows.gatherings.models import Gathering


def _dates(raw: str) -> list[date]:
    found = []
    for part in raw.replace(",", " ").split():
        try:
            found.append(date.fromisoformat(part))
        except ValueError as error:
            raise forms.ValidationError(
                _("%(value)s is not a date (YYYY-MM-DD).") % {"value": part[:20]}
            ) from error
    return found


class GatheringForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Gathering.Kind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5_000, widget=forms.Textarea({"rows": 4})
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Ends at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64, initial=schedules.DEFAULT_TIME_ZONE
    )
    area = forms.CharField(
        label=_("Town or area"),
        required=False,
        max_length=120,
        help_text=_("Shown to everyone in the space."),
    )
    address = forms.CharField(label=_("Exact address"), required=False, max_length=255)
    address_for_coming_only = forms.BooleanField(
        label=_("Show the exact address only to those who say they are coming"),
        required=False,
        initial=True,
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=10_000,
        help_text=_("Leave empty for no limit. When full, people join a waiting list."),
    )
    bring_list = forms.CharField(
        label=_("Bring-list (one thing per line)"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
    )
    also_on = forms.CharField(
        label=_("Also on these dates"),
        required=False,
        help_text=_(
            "For a gathering held several times: dates as YYYY-MM-DD, separated by spaces."
        ),
    )

    def clean_also_on(self):
        return _dates(self.cleaned_data.get("also_on") or "")

    def clean_bring_list(self):
        return (self.cleaned_data.get("bring_list") or "").splitlines()

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)
