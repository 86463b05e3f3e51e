"""Serve images and renditions only to people who may see their collection."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from wagtail.images import get_image_model

from community_pages.privacy import denied_response
from community_pages.visibility import user_can_view_file


def _serve(request, image, file_field):
    if not user_can_view_file(request.user, image):
        return denied_response(request, community=getattr(image.collection, "community", None))
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=_content_type(file_field.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    patch_cache_control(response, private=True, max_age=3600)
    return response


def _content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
    }.get(extension, "application/octet-stream")


def original(request, image_id: int):
    image = get_object_or_404(get_image_model().objects.select_related("collection"), pk=image_id)
    return _serve(request, image, image.file)


def rendition(request, image_id: int, rendition_id: int):
    image = get_object_or_404(get_image_model().objects.select_related("collection"), pk=image_id)
    found = get_object_or_404(image.renditions, pk=rendition_id)
    return _serve(request, image, found.file)
