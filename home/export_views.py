"""The member's data export: ask for it, see it being prepared, download it (home/exports.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from home.exports import EXPORT_DAYS, data_export_of, data_export_owned, data_export_request
from home.models import DataExport


@login_required
@require_http_methods(["GET", "POST"])
def account_export(request):
    """GET: the export's state; POST: ask for a fresh one (built by a background task)."""
    if request.method == "POST":
        if data_export_request(user=request.user):
            messages.success(request, _("Your data export is being prepared."))
        else:
            messages.info(request, _("Your data export is already being prepared."))
        return redirect("account_export")
    response = TemplateResponse(
        request,
        "home/account_export.html",
        {"export": data_export_of(request.user), "days": EXPORT_DAYS},
    )
    add_never_cache_headers(response)
    return response


def download_response(export: DataExport) -> FileResponse:
    """The export's file as the download the site and the API give (never cached)."""
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename="neighborhood-my-data.json",
        content_type="application/json",
    )
    add_never_cache_headers(response)
    return response


@login_required
def account_export_download(request, key):
    """The file, to its owner only; anyone else's, an expired or a missing one: 404 alike."""
    export = data_export_owned(request.user, key)
    if export is None or export.status != DataExport.READY:
        raise Http404
    return download_response(export)
