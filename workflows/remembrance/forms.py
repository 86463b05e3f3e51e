"""The remembrance form on the site: plain fields, checked again by `services` (every door)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.remembrance.models import NAME_MAX, REASON_MAX, WORDS_MAX, RemindOn


class DateInput(forms.DateInput):
    input_type = "date"


class RemembranceForm(forms.Form):
    name = forms.CharField(
        label=_("Their name, as you wish to write it"),
        max_length=NAME_MAX,
        help_text=_(
            "We suggest a first name only. A full name with dates can be found by someone "
            "who knows your family; a first name is enough for the people here."
        ),
        widget=forms.TextInput(attrs={"placeholder": _("First name"), "autocomplete": "off"}),
    )
    born = forms.DateField(label=_("Born (optional)"), required=False, widget=DateInput)
    died = forms.DateField(label=_("Died (optional)"), required=False, widget=DateInput)
    words = forms.CharField(
        label=_("A few words"),
        max_length=WORDS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who they were to you, a memory, what you want others to know."),
    )
    photo = forms.TypedChoiceField(label=_("A photo (optional)"), coerce=int, required=False)
    photo_alt = forms.CharField(
        label=_("Describe the photo for people who cannot see it"),
        max_length=250,
        required=False,
    )
    remind_on = forms.ChoiceField(
        label=_("Remind me on this date each year"),
        choices=RemindOn.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only you are reminded, and only if you ask. Nobody else is ever told."),
    )
    hand_to_community = forms.BooleanField(
        label=_("If I delete my account, leave this remembrance with the community"),
        required=False,
        help_text=_(
            "Off unless you tick it: when you delete your account, your remembrance goes with it."
        ),
    )

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].choices = [("", _("No photo"))] + [
            (image.pk, image.title) for image in photos
        ]
        self.fields["photo"].help_text = _(
            "Photos come from your community's own images, which only its members can see."
        )

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["photo"] = data.get("photo") or None
        data["remind_on"] = data.get("remind_on") or ""
        return data


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is hidden (the member who shared it reads this)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
