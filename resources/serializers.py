"""API representations of resource, guide and image fields: useful values, never bare ids.

Below the models (`models.py` names them in `api_fields`); the endpoints are `api.py`.
"""

from rest_framework import serializers


class SlugListField(serializers.Field):
    """A many-to-many taxonomy as a list of {slug, name}."""

    def __init__(self, *, slug_field: str = "slug", **kwargs):
        self.slug_field = slug_field
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.field_name).all()

    def to_representation(self, value):
        return [{"slug": getattr(item, self.slug_field), "name": str(item)} for item in value]


class DocumentLinkField(serializers.Field):
    """An attached document as {id, title, url}; its URL is served through the membership check."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, document):
        if document is None:
            return None
        return {"id": document.pk, "title": document.title, "url": document.url}


class ImageDownloadUrlField(serializers.Field):
    """An image's `download_url`: its original, served through the membership-checking view
    (`resources/views.py`), never the raw media file that Wagtail's own field points to."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, image):
        # app registry: wagtail.api.v2.utils loads the Page model when imported, and this
        # module is imported while the models load (models.py names these fields).
        from wagtail.api.v2.utils import get_full_url

        return get_full_url(self.context["request"], image.serve_url)
