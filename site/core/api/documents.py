"""The files endpoints' shared behaviour, and the documents endpoint at /api/v2/documents/.

Wagtail's viewsets exclude restricted collections by looping over them; here each asks the one
rule (`visible_files`). The images endpoint is `resources/api.py` (images are ours: their
`download_url` goes through the membership check).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from wagtail.documents.api.v2.views import DocumentsAPIViewSet

from core.api.views import V2Mixin
from core.visibility import visible_files


class FilesMixin(V2Mixin):
    def get_queryset(self):
        files = visible_files(self.request.user, self.model.objects.all())
        if "search" in self.request.GET:  # search backends filter on indexed fields only
            return self.model.objects.filter(pk__in=files.values("pk")).order_by("id")
        return files.order_by("id")


_FILE_LIST_PARAMETERS = [
    *(OpenApiParameter(name, str) for name in ("fields", "search", "search_operator", "order")),
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
]


def file_schema(name: str) -> type:
    """The OpenAPI description of a files endpoint (Wagtail's action names are not REST's)."""

    class FileSchemaMixin:
        @extend_schema(
            operation_id=f"{name}_list",
            parameters=_FILE_LIST_PARAMETERS,
            responses=OpenApiTypes.OBJECT,
        )
        def listing_view(self, request):
            return super().listing_view(request)

        @extend_schema(
            operation_id=f"{name}_detail",
            parameters=[OpenApiParameter("fields", str)],
            responses=OpenApiTypes.OBJECT,
        )
        def detail_view(self, request, pk):
            return super().detail_view(request, pk)

        @extend_schema(
            operation_id=f"{name}_find",
            parameters=[OpenApiParameter("id", int)],
            responses={302: None, 404: OpenApiTypes.OBJECT},
        )
        def find_view(self, request):
            return super().find_view(request)

    return FileSchemaMixin


@extend_schema(tags=["documents"])
class NeighborhoodDocumentsAPIViewSet(file_schema("documents"), FilesMixin, DocumentsAPIViewSet):
    """Documents in collections you may see; `download_url` goes through the membership check."""
