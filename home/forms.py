from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm):
    """A new account. The e-mail address is for password resets; only staff can see it."""

    class Meta:
        model = get_user_model()
        fields = ("username", "email")
        help_texts = {
            "username": _("The name others will see. It need not be your real name."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "We send a link there to finish creating your account; later, only to reset your "
            "password."
        )

    # Whether the name is taken is not said here: the form answers the same for a taken and a
    # free name, and the e-mail tells only the address's owner (`home.services.signup_start`).
    def clean_username(self):
        return self.cleaned_data.get("username")

    def validate_unique(self):
        pass


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_(
            "Shown on what you write, on nominations and in the editing screens. "
            "It need not be your real name."
        ),
    )


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for the password again and what to do with published pages."""

    KEEP = "keep"
    UNPUBLISH = "unpublish"

    published_pages = forms.ChoiceField(
        label=_("Pages of yours that are published"),
        choices=[
            (KEEP, _("Keep them, credited to “a former member”")),
            (UNPUBLISH, _("Unpublish them")),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="password_incorrect")
        return password

    @property
    def keep_published(self) -> bool:
        return self.cleaned_data["published_pages"] == self.KEEP


class StaffMemberDeleteForm(forms.Form):
    """Staff delete an account for a member who asks: the same choice, no password."""

    published_pages = AccountDeleteForm.base_fields["published_pages"]
    confirm_username = forms.CharField(
        label=_("Type the username to confirm"),
        help_text=_("The account and its personal data are deleted; this cannot be undone."),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_confirm_username(self):
        value = self.cleaned_data["confirm_username"]
        if value != self.member.get_username():
            raise forms.ValidationError(_("That is not this account's username."))
        return value

    @property
    def keep_published(self) -> bool:
        return self.cleaned_data["published_pages"] == AccountDeleteForm.KEEP


class TwoFactorTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return token
