"""Upload forms: only staff move a file from one collection to another.

Moving a file to another collection can show it to other people (for example from a community
to Common Ground), which is a privacy change (docs/privacy.md, invariant
`only-staff-change-privacy`). Configured through
`WAGTAILDOCS_DOCUMENT_FORM_BASE` and `WAGTAILIMAGES_IMAGE_FORM_BASE`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from core.access import is_staff


class _KeepCollectionMixin:
    def __init__(self, *args, **kwargs):
        self._neighborhood_user = kwargs.get("user")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        user = self._neighborhood_user
        staff = is_staff(user)
        new = cleaned.get("collection")
        if (
            self.instance.pk
            and not staff
            and new is not None
            and new.pk != self.instance.collection_id
        ):
            raise forms.ValidationError(
                _(
                    "Only staff can move a file to another collection: "
                    "it would change who can see it."
                )
            )
        return cleaned


# What an uploaded document must start with, by extension (WAGTAILDOCS_EXTENSIONS checks only
# the name): a file named .pdf that is really HTML is refused (docs/data-protection.md).
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "rtf": (b"{\\rtf",),
}
_ACTIVE_MARKERS = (b"<html", b"<script", b"<svg", b"<!doctype", b"<iframe", b"<?xml")


def validate_document_content(upload) -> None:
    """The content matches the extension; text formats hold no markup a browser would run."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(position)
    signatures = DOCUMENT_SIGNATURES.get(extension)
    if signatures is not None and not head.startswith(signatures):
        raise forms.ValidationError(
            _("This file is not really a .%(extension)s file."), params={"extension": extension}
        )
    if signatures is None and any(marker in head.lower() for marker in _ACTIVE_MARKERS):
        raise forms.ValidationError(_("Files holding web-page markup cannot be uploaded."))


class DocumentForm(_KeepCollectionMixin, BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if (
            upload is not None
            and hasattr(upload, "read")
            and not getattr(upload, "_committed", False)
        ):
            validate_document_content(upload)
        return upload


class ImageForm(_KeepCollectionMixin, BaseImageForm):
    pass


class ResourceFilterForm(forms.Form):
    """The library's filters, read from the query string (`?support=…&topic=…&language=…`).

    Choices come from the taxonomy tables (one query each), and values are checked against them
    in memory, so no unchecked text from the query string reaches the database.
    """

    support = forms.ChoiceField(required=False, label=_("Kind of support"))
    topic = forms.ChoiceField(required=False, label=_("Topic"))
    language = forms.ChoiceField(required=False, label=_("Language"))
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The page number must be a whole number.")},
    )

    def __init__(self, data, *, support_types, topics, languages):
        super().__init__(data)
        anything = [("", _("Any"))]
        self.fields["support"].choices = anything + [(s.slug, str(s)) for s in support_types]
        # Names in the reader's language, in that language's order.
        by_name = lambda choices: sorted(choices, key=lambda choice: choice[1].casefold())  # noqa: E731
        self.fields["topic"].choices = anything + by_name([(t.slug, str(t)) for t in topics])
        self.fields["language"].choices = anything + by_name(
            [(lang.code, str(lang)) for lang in languages]
        )
        for name in ("support", "topic", "language"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "“%(value)s” is not one of the choices: pick one from the list."
            )
