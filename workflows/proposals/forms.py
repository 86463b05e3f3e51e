"""Proposal forms: they read input; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.proposals.models import ProposalSetting, Response


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("What do you propose?"), max_length=10_000, widget=forms.Textarea({"rows": 6})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Between one hour and 90 days from now."),
    )


class ReviseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), max_length=10_000, widget=forms.Textarea({"rows": 6}))


class RespondForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Your response"), choices=Response.Position.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Your reason"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Required when you disagree or block."),
    )


class WhoMayProposeForm(forms.Form):
    who_may_propose = forms.ChoiceField(
        label=_("Who may propose here"), choices=ProposalSetting.Who.choices
    )
