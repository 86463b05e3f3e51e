"""Files on S3-compatible object storage (docs/deploy.md, "Files"), against moto's stand-alone
server, started once per test session on a free port.

Documents, image originals and renditions stored in a private bucket reach exactly the people
the visibility rule lets through, streamed by the file views; everyone else gets the same 404 as
for a file that does not exist. Nothing in the bucket is public, and an address the storage
makes is signed and short-lived.
"""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import APIToken

from community_pages.models import CommunityPage
from config.storage import file_storage
from tests.conftest import ALL_ROLES, SEES, shared_setup
from tests.test_existence_pairs import _shape, assert_pair

KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server (`moto[server]`, pinned), for the whole session."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", "from moto.server import main; main()", "-H", "127.0.0.1"]
        + ["-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=2)  # noqa: S310
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def bucket(s3_endpoint):
    name = f"nbh-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    return name, client


@pytest.fixture(scope="module")
def on_s3(bucket, s3_endpoint):
    """The settings the environment variables give (config/storage.py), pointed at moto, for
    the module."""
    name, client = bucket
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {
            **KEYS,
            "AWS_STORAGE_BUCKET_NAME": name,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": REGION,
        }.items():
            patch.setenv(key, value)
        with override_settings(STORAGES={**settings.STORAGES, "default": file_storage()}):
            yield name, client


def _png() -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 90)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="s3-photo.png")


@pytest.fixture(scope="module")
def frontline_files(on_s3, django_db_setup, django_db_blocker):
    """A document and an image (and one rendition) in Frontline's private collection, on S3;
    uploaded once for the module (its tests only read them), the rows rolled back after it."""
    with shared_setup(django_db_blocker):
        community = CommunityPage.objects.get(url_path="/home/frontline/").community
        secret = f"private to frontline {uuid.uuid4().hex}".encode()
        document = get_document_model().objects.create(
            title="S3 pack",
            collection=community.collection,
            file=ContentFile(secret, "s3-pack.txt"),
        )
        image = get_image_model().objects.create(
            title="S3 photo", collection=community.collection, file=_png()
        )
        rendition = image.get_rendition("fill-20x20")
        yield {
            "document": (document.url, secret),
            "original": (image.serve_url, image.file.read()),
            "rendition": (rendition.url, rendition.file.read()),
            "names": [document.file.name, image.file.name, rendition.file.name],
        }


def test_files__are_stored_in_the_bucket__private__with_only_signed_short_lived_addresses(
    frontline_files, on_s3
):
    name, client = on_s3
    stored = {item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])}
    for key in frontline_files["names"]:
        assert key in stored
        grants = client.get_object_acl(Bucket=name, Key=key)["Grants"]
        assert not [g for g in grants if "URI" in g["Grantee"]], grants  # no AllUsers etc.
        query = urllib.parse.parse_qs(urllib.parse.urlparse(default_storage.url(key)).query)
        assert "X-Amz-Signature" in query
        assert int(query["X-Amz-Expires"][0]) <= 60


def _missing_twin(url: str) -> str:
    """The same address with an id that does not exist."""
    return re.sub(r"^/(documents|images)/\d+/", r"/\1/999999/", url)


@pytest.mark.parametrize("kind", ["document", "original", "rendition"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_file_on_s3__reaches_members_only__hidden_answers_like_missing(
    frontline_files, client_for, role, kind
):
    url, content = frontline_files[kind]
    client = client_for(role)
    response = client.get(url)
    if "frontline" in SEES[role]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert "private" in response["Cache-Control"]
    else:
        assert_pair(client, url, _missing_twin(url))


@pytest.mark.parametrize(("role", "sees"), [("frontline-member", True), ("bereaved-member", False)])
def test_file_on_s3__by_bearer_token(frontline_files, user, role, sees):
    url, content = frontline_files["document"]
    _token, plaintext = APIToken.create_token(user=user(role), name="s3")
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    if sees:
        assert b"".join(response.streaming_content) == content
    else:
        missing = Client().get(_missing_twin(url), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        assert response.status_code == 404
        assert _shape(response, url) == _shape(missing, _missing_twin(url))


def test_without_a_bucket__files_stay_on_the_local_disk(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    assert file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
