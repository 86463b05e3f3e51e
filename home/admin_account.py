"""The Wagtail admin's own account page (`/admin/account/`), fitted to pseudonyms.

Wagtail's "Name and Email" panel asks for a first and a last name, both required: a member
who opened it to change a notification setting could not save without typing a surname, and
whatever they typed skipped our display-name rules. Here the panel asks for the display name
only (kept in `first_name`, `last_name` empty, as `home.services.display_name_set` does), with
the same rules as the member account page.

The "Profile picture" panel is switched off: pictures would be personal photos shown to other
communities' editors in the admin, and the media folder is not served (files go only through
membership-checking views), so an uploaded picture could never be shown anyway. Wagtail shows
its default icon (no Gravatar: `WAGTAIL_GRAVATAR_PROVIDER_URL = None`).

Wagtail has no setting for the form of these panels, so `install()` sets them on its classes
once, from `HomeConfig.ready()`.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import account

from home.services import DISPLAY_NAME_MAX_LENGTH, display_name_validate


class DisplayNameEmailForm(forms.ModelForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_(
            "Shown on what you write, on nominations and in the editing screens. "
            "It need not be your real name."
        ),
    )
    email = forms.EmailField(required=True, label=_("Email"))

    class Meta:
        model = get_user_model()
        fields = ["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].initial = " ".join(
            part for part in (self.instance.first_name, self.instance.last_name) if part
        )

    def clean_display_name(self):
        return display_name_validate(self.cleaned_data["display_name"])

    def save(self, commit=True):
        user = super().save(commit=False)
        user.first_name = self.cleaned_data["display_name"]
        user.last_name = ""
        if commit:
            user.save()
        return user


def install() -> None:
    account.NameEmailSettingsPanel.form_class = DisplayNameEmailForm
    account.NameEmailSettingsPanel.title = _("Display name and e-mail")
    account.AvatarSettingsPanel.is_active = lambda self: False
