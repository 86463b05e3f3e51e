"""The member's data export as the account page gives it: asked for, built by the background
task (the immediate backend in the tests builds it at once), then downloaded from its link."""

from __future__ import annotations

import json
from http import HTTPStatus

from home.models import DataExport


def account_export_download(client):
    """The download's response (its body streams)."""
    asked = client.post("/account/export/")
    assert asked.status_code == HTTPStatus.FOUND
    page = client.get("/account/export/")
    link = f"/account/export/{DataExport.objects.get(user=page.wsgi_request.user).key}/"
    assert link.encode() in page.content
    return client.get(link)


def account_export_data(client) -> dict:
    response = account_export_download(client)
    assert response.status_code == HTTPStatus.OK
    return json.loads(b"".join(response.streaming_content))


API_URL = "/api/v2/account/export/"


def api_export_download(client):
    """The API's export: POST asks (202, the status address in `Location` and the body), the
    status then says ready (the immediate backend built it), and its `download_url` gives the
    file. Returns the download's response (its body streams)."""
    asked = client.post(API_URL)
    assert asked.status_code == HTTPStatus.ACCEPTED, asked.content
    status_url = asked.json()["url"]
    assert asked["Location"] == status_url
    status = client.get(status_url)
    assert status.status_code == HTTPStatus.OK
    assert status.json()["status"] == DataExport.READY
    return client.get(status.json()["download_url"])


def api_export_data(client) -> dict:
    response = api_export_download(client)
    assert response.status_code == HTTPStatus.OK
    return json.loads(b"".join(response.streaming_content))
