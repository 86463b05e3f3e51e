from django import forms
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
