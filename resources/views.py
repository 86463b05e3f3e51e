"""Serve images, renditions and documents only to people who may see their collection; the
library listing.

A hidden file, a missing id, a rendition of another image and a wrong document file name all get
the same answer: the site's 404 page, returned (not raised) so that `DEBUG`'s technical 404 says
nothing more than production's (docs/privacy.md, "Files").
"""

import mimetypes
from http import HTTPStatus

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.documents.views.serve import serve as wagtail_document_serve
from wagtail.images import get_image_model

from community_pages.privacy import not_found
from core import csp
from core.api.schema import binary_content
from core.languages import in_reader_language, under_translations
from core.routes import api_reading_view
from core.visibility import user_can_view_file, visible_pages
from resources.forms import ResourceFilterForm
from resources.models import Language, ResourcePage, SupportType, Topic


def _serve(request, image, file_field):
    if not user_can_view_file(request.user, image):
        return not_found(request)
    try:
        handle = file_field.open("rb")
    except FileNotFoundError:
        return not_found(request)
    response = FileResponse(handle, content_type=_content_type(file_field.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = csp.FILE_POLICY
    patch_cache_control(response, private=True, max_age=3600)
    return response


_IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
}
FALLBACK_TYPE = "application/octet-stream"
# What the file URLs are served as, for the OpenAPI document (the image types above; a
# document as Wagtail serves it: its type guessed from the extensions uploads may have).
IMAGE_CONTENT = binary_content(*sorted(set(_IMAGE_TYPES.values())), FALLBACK_TYPE)
DOCUMENT_CONTENT = binary_content(
    *sorted(
        {mimetypes.guess_type(f"x.{extension}")[0] for extension in settings.WAGTAILDOCS_EXTENSIONS}
        - {None}
    ),
    FALLBACK_TYPE,
)


def _content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return _IMAGE_TYPES.get(extension, FALLBACK_TYPE)


def _image(image_id: int):
    return get_image_model().objects.select_related("collection").filter(pk=image_id).first()


@api_reading_view(
    summary="An image's original file, if its collection is yours to see.",
    tags=["files"],
    content=IMAGE_CONTENT,
)
def original(request, image_id: int):
    image = _image(image_id)
    if image is None:
        return not_found(request)
    return _serve(request, image, image.file)


@api_reading_view(
    summary="A rendition of an image (as in guide bodies), if the image is yours to see.",
    tags=["files"],
    content=IMAGE_CONTENT,
)
def rendition(request, image_id: int, rendition_id: int):
    image = _image(image_id)
    found = image.renditions.filter(pk=rendition_id).first() if image is not None else None
    if found is None:
        return not_found(request)
    return _serve(request, image, found.file)


@api_reading_view(
    summary="A document's file (the `download_url`), if its collection is yours to see.",
    tags=["files"],
    content=DOCUMENT_CONTENT,
    path_names=("document_id", "filename"),
)
def document(request, document_id, document_filename):
    """Wagtail's document view (its `before_serve_document` hooks check membership), with every
    refusal turned into the one 404: Wagtail raises `Http404` with different messages for a
    missing id and a wrong file name, which `DEBUG` would print."""
    try:
        return wagtail_document_serve(request, document_id, document_filename)
    except Http404:
        return not_found(request)


def password_form_not_found(request, *args, **kwargs):
    """Wagtail's password forms (pages and documents) answer 404 for every id: password
    restrictions are switched off here, and the forms told whether a restriction id exists."""
    return not_found(request)


# The resource library --------------------------------------------------------------------------

RESOURCES_PER_PAGE = 20
MAX_QUERY_STRING = 2000
LIBRARY_TEMPLATE = "resources/resource_library_index_page.html"


def resource_library_serve(request, page):
    """A library page: its resources the reader may see, filtered and paginated.

    Bad filters get a 400 that says what was wrong, never a 500. The number of queries does
    not depend on the number of resources (taxonomy, count, one page, three prefetches).
    """
    context = page.get_context(request)
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return _bad_filters(request, page, context, [_("The address is too long.")])
    form = ResourceFilterForm(
        request.GET,
        support_types=SupportType.objects.all(),
        topics=Topic.objects.all(),
        languages=Language.objects.all(),
    )
    context["filter_form"] = form
    if not form.is_valid():
        messages = [error for errors in form.errors.values() for error in errors]
        return _bad_filters(request, page, context, messages)

    filters = form.cleaned_data
    # The library's resources in the reader's language, or in English until translated.
    resources = in_reader_language(
        visible_pages(request.user, ResourcePage.objects.filter(under_translations(page))),
        get_language(),
    )
    if filters["support"]:
        resources = resources.filter(support_types__slug=filters["support"])
    if filters["topic"]:
        resources = resources.filter(topics__slug=filters["topic"])
    if filters["language"]:
        resources = resources.filter(languages__code=filters["language"])
    resources = (
        resources.order_by("title", "pk")
        .select_related("document", "locale")
        .prefetch_related("support_types", "topics", "languages")
    )
    paginator = Paginator(resources, RESOURCES_PER_PAGE)
    number = filters["page"] or 1
    if number > paginator.num_pages:
        message = _("There is no page %(number)s: this list has %(count)s.") % {
            "number": number,
            "count": paginator.num_pages,
        }
        return _bad_filters(request, page, context, [message])
    context.update(
        resources=paginator.page(number),
        filtered=any(filters[name] for name in ("support", "topic", "language")),
    )
    return TemplateResponse(request, LIBRARY_TEMPLATE, context)


def _bad_filters(request, page, context, messages):
    context.update(filter_errors=messages, resources=None)
    return TemplateResponse(request, LIBRARY_TEMPLATE, context, status=HTTPStatus.BAD_REQUEST)
