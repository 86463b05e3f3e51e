"""Private files: an image model whose originals and renditions are served only through views
that check membership (Wagtail protects documents, not images; DESIGN.md invariant 4).

`PrivateRendition.url` points at `resources.views.rendition`, so every `{% image %}` tag, admin
thumbnail and API rendition goes through the membership check; the media folder is never
mounted at a public URL.
"""

from django.db import models
from django.urls import reverse
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class PrivateImage(AbstractImage):
    admin_form_fields = Image.admin_form_fields

    @property
    def serve_url(self) -> str:
        return reverse("image_original", args=[self.pk])


class PrivateRendition(AbstractRendition):
    image = models.ForeignKey(PrivateImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    @property
    def url(self) -> str:
        return reverse("image_rendition", args=[self.image_id, self.pk])
