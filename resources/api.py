"""The images endpoint at /api/v2/images/: images in collections you may see, whose
`download_url` goes through the membership check (`views.py`), never the raw media file."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from core.api.documents import FilesMixin, file_schema
from resources.serializers import ImageDownloadUrlField


class PrivateImageSerializer(ImageSerializer):
    download_url = ImageDownloadUrlField()


@extend_schema(tags=["images"])
class NeighborhoodImagesAPIViewSet(
    file_schema("images", ImagesAPIViewSet), FilesMixin, ImagesAPIViewSet
):
    """Images in collections you may see; `download_url` goes through the membership check."""

    base_serializer_class = PrivateImageSerializer
