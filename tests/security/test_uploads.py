"""Uploads: allowed types, a size limit, content that matches its name, nothing active served
inline. Through the admin's own upload forms, as staff."""

from __future__ import annotations

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()


def _collection_id(page_at):
    return page_at("/frontline/").community.collection_id


def _upload_document(client, page_at, name, content, title="Upload"):
    return client.post(
        "/admin/documents/add/",
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            "collection": _collection_id(page_at),
            "tags": "",
        },
    )


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_documents__allowed_type_saved_active_types_refused_with_a_clear_error(client_for, page_at):
    client = client_for("staff")
    before = Document.objects.count()
    ok = _upload_document(client, page_at, "notes.pdf", b"%PDF-1.4\n%%EOF\n", title="Good")
    assert ok.status_code == HTTPStatus.FOUND
    assert Document.objects.count() == before + 1
    refused = {
        "page.html": b"<html><script>alert(1)</script></html>",
        "image.svg": b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        "fake.pdf": b"<html><script>alert(1)</script></html>",
        "notes.txt": b"<!DOCTYPE html><script>alert(1)</script>",
    }
    for name, content in refused.items():
        response = _upload_document(client, page_at, name, content, title=name)
        assert response.status_code == HTTPStatus.OK, name
        text = response.content.decode()
        assert "error-message" in text or "errorlist" in text, name
    assert Document.objects.count() == before + 1


def test_documents__size_limit(client_for, page_at, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    client = client_for("staff")
    before = Document.objects.count()
    big = _upload_document(client, page_at, "big.txt", b"a" * 2048)
    assert big.status_code == HTTPStatus.OK
    assert Document.objects.count() == before
    small = _upload_document(client, page_at, "small.txt", b"a" * 100)
    assert small.status_code == HTTPStatus.FOUND
    assert Document.objects.count() == before + 1


def test_images__svg_refused_png_accepted(client_for, page_at):
    client = client_for("staff")
    before = Image.objects.count()
    svg = client.post(
        "/admin/images/add/",
        {
            "title": "Vector",
            "file": SimpleUploadedFile("v.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "collection": _collection_id(page_at),
        },
    )
    assert svg.status_code == HTTPStatus.OK
    assert Image.objects.count() == before
    png = client.post(
        "/admin/images/add/",
        {
            "title": "Raster",
            "file": SimpleUploadedFile("r.png", _png()),
            "collection": _collection_id(page_at),
        },
    )
    assert png.status_code == HTTPStatus.FOUND
    assert Image.objects.count() == before + 1


def test_document_serving__attachment_unless_pdf_and_nosniff(client_for, page_at):
    from django.core.files.base import ContentFile

    collection_id = _collection_id(page_at)
    text = Document.objects.create(
        title="Plain", file=ContentFile(b"hello", name="plain.txt"), collection_id=collection_id
    )
    pdf = Document.objects.create(
        title="Paper", file=ContentFile(b"%PDF-1.4", name="paper.pdf"), collection_id=collection_id
    )
    member = client_for("frontline-member")
    served_text = member.get(text.url)
    assert served_text.status_code == HTTPStatus.OK
    assert served_text["Content-Disposition"].startswith("attachment")
    assert served_text["X-Content-Type-Options"] == "nosniff"
    served_pdf = member.get(pdf.url)
    assert served_pdf["Content-Disposition"].startswith("inline")
    assert served_pdf["X-Content-Type-Options"] == "nosniff"
    assert "private" in served_pdf["Cache-Control"]
    outsider = client_for("bereaved-member").get(text.url)
    assert outsider.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
