"""Forms for the election pages (members) and screens (staff). Validation of the election rules
themselves lives in `workflows/services/elections.py`: these forms only read input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.utils import get_user_display_name

from workflows.services.elections import STATEMENT_MAX_LENGTH, TERM_DAYS_MAX


class NominateForm(forms.Form):
    nominee = forms.TypedChoiceField(label=_("Who do you nominate?"), coerce=int)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        choices = sorted(
            ((user.pk, get_user_display_name(user)) for user in members), key=lambda c: c[1]
        )
        self.fields["nominee"].choices = choices


class RespondForm(forms.Form):
    statement = forms.CharField(
        label=_("Your statement (if you accept)"),
        max_length=STATEMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few words for the voters: why you would like to be an editor."),
    )


class BallotForm(forms.Form):
    candidates = forms.TypedMultipleChoiceField(
        label=_("Your choices"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here: the service refuses non-candidates with a clear message.
        self.fields["candidates"].choices = [(c.pk, c.nominee_name) for c in candidates]
        self.fields["candidates"].valid_value = lambda value: True


class ElectionForm(forms.Form):
    community = forms.ModelChoiceField(queryset=None, label=_("Community"))
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=50, initial=2)
    nominations_open = forms.DateTimeField(
        label=_("Nominations open"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    nominations_close = forms.DateTimeField(
        label=_("Nominations close"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_open = forms.DateTimeField(
        label=_("Voting opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_close = forms.DateTimeField(
        label=_("Voting closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    term_days = forms.IntegerField(
        label=_("Term (days)"), min_value=1, max_value=TERM_DAYS_MAX, initial=365
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
