"""The files endpoints' shared behaviour, and the documents endpoint at /api/v2/documents/.

Wagtail's viewsets exclude restricted collections by looping over them; here each asks the one
rule (`visible_files`). The images endpoint is `resources/api.py` (images are ours: their
`download_url` goes through the membership check).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from wagtail.documents.api.v2.views import DocumentsAPIViewSet

from core.api.parameters import DETAIL_FIELDS, FIND_ID, FOUND, ITEM, LISTING, common_parameters
from core.api.views import V2Mixin
from core.visibility import visible_files


class FilesMixin(V2Mixin):
    def get_queryset(self):
        files = visible_files(self.request.user, self.model.objects.all())
        if "search" in self.request.GET:  # search backends filter on indexed fields only
            return self.model.objects.filter(pk__in=files.values("pk")).order_by("id")
        return files.order_by("id")


def file_schema(name: str, viewset) -> type:
    """The OpenAPI description of a files endpoint (Wagtail's action names are not REST's)."""

    class FileSchemaMixin:
        @extend_schema(
            operation_id=f"{name}_list",
            parameters=common_parameters(
                viewset.get_available_fields(viewset.model, db_fields_only=True)
            ),
            responses={200: LISTING},
        )
        def listing_view(self, request):
            return super().listing_view(request)

        @extend_schema(
            operation_id=f"{name}_detail",
            parameters=[DETAIL_FIELDS],
            responses={200: ITEM},
        )
        def detail_view(self, request, pk):
            return super().detail_view(request, pk)

        @extend_schema(
            operation_id=f"{name}_find",
            parameters=[FIND_ID],
            responses={302: FOUND},
        )
        def find_view(self, request):
            return super().find_view(request)

    return FileSchemaMixin


@extend_schema(tags=["documents"])
class NeighborhoodDocumentsAPIViewSet(
    file_schema("documents", DocumentsAPIViewSet), FilesMixin, DocumentsAPIViewSet
):
    """Documents in collections you may see; `download_url` goes through the membership check."""
