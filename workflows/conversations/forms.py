"""Forms for the conversation pages. They only read input: the rules are `services`'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.conversations.models import BODY_MAX, REASON_MAX, TITLE_MAX


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("What would you like to say?"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text. Web addresses become links."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text. Web addresses become links."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong (optional)"), max_length=REASON_MAX, required=False
    )
