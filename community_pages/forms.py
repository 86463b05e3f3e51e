from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from community_pages.services import MESSAGE_MAX_LENGTH


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A short message for the community's editors (optional)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the editors of this community and staff will read it."),
    )


class InvitationForm(forms.Form):
    community = forms.ModelChoiceField(queryset=None, label=_("Community"))
    note = forms.CharField(
        label=_("Note for your records (who it is for)"), max_length=200, required=False
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=14)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class ScheduleFilterForm(forms.Form):
    """The group finder's filters (all optional; an unknown value is a 400 naming the field).

    Town choices are the towns of the groups the reader may see, so the list reveals nothing
    the schedule itself does not."""

    WHEN = [("", _("The next four weeks")), ("week", _("This week")), ("today", _("Today"))]
    TIMES = [
        ("", _("Any time")),
        ("morning", _("Morning (before noon)")),
        ("afternoon", _("Afternoon (noon to 5 pm)")),
        ("evening", _("Evening (from 5 pm)")),
    ]

    when = forms.ChoiceField(label=_("When"), choices=WHEN, required=False)
    day = forms.TypedChoiceField(label=_("Day"), required=False, coerce=int, empty_value=None)
    time = forms.ChoiceField(label=_("Time of day"), choices=TIMES, required=False)
    attendance = forms.ChoiceField(label=_("Format"), required=False)
    kind = forms.ChoiceField(label=_("Kind of group"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    accessible = forms.BooleanField(label=_("Wheelchair accessible"), required=False)

    def __init__(self, *args, towns, attendance, kinds, languages, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["day"].choices = [("", _("Any day"))] + [
            (str(number), name) for number, name in WEEKDAYS.items()
        ]
        self.fields["attendance"].choices = any_choice + list(attendance)
        self.fields["kind"].choices = any_choice + list(kinds)
        self.fields["town"].choices = any_choice + [(town, town) for town in towns]
        self.fields["language"].choices = any_choice + list(languages)

    def error_messages_named(self) -> list[str]:
        """Each error with the name of its field: "Town: Select a valid choice…"."""
        return [
            f"{self.fields[name].label}: {message}" if name in self.fields else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]
