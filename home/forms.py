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
        self.fields["email"].help_text = _("Used only to reset your password.")
