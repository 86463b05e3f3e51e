"""Upload forms: only staff move a file from one collection to another.

Moving a file to another collection can show it to other people (for example from a community
to Common Ground), which is a privacy change (DESIGN.md invariant 9). Configured through
`WAGTAILDOCS_DOCUMENT_FORM_BASE` and `WAGTAILIMAGES_IMAGE_FORM_BASE`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm


class _KeepCollectionMixin:
    def __init__(self, *args, **kwargs):
        self._neighborhood_user = kwargs.get("user")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        user = self._neighborhood_user
        staff = user is not None and user.is_active and user.is_superuser
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


class DocumentForm(_KeepCollectionMixin, BaseDocumentForm):
    pass


class ImageForm(_KeepCollectionMixin, BaseImageForm):
    pass
