"""Shared fixtures. The test database holds the demo Neighborhood, loaded once per session.

Tests that use `db` run inside a transaction that is rolled back, so each one starts from the
demo. Transactional tests (`transactional_db`, `live_server`) empty the database afterwards;
pytest-django runs them last, and they reload the demo themselves with `demo_loaded`.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from home.demo import PEOPLE, load_demo

DEMO_PASSWORD = "correct-horse-battery-staple-42"
ROLES = list(PEOPLE)  # staff, frontline-member, ..., applicant
ANONYMOUS = "visitor"
ALL_ROLES = [ANONYMOUS, *ROLES]
SPACES = ["frontline", "bereaved", "common-ground"]
# The access matrix's answer key: which private spaces each demo role may read (docs/privacy.md,
# invariants `visitors-see-public-only` and `members-see-own-spaces`).
SEES = {
    ANONYMOUS: set(),
    "staff": {"frontline", "bereaved", "common-ground"},
    "frontline-member": {"frontline", "common-ground"},
    "frontline-editor": {"frontline", "common-ground"},
    "bereaved-member": {"bereaved", "common-ground"},
    "bereaved-editor": {"bereaved", "common-ground"},
    "member-of-both": {"frontline", "bereaved", "common-ground"},
    "applicant": set(),
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo(DEMO_PASSWORD)


@pytest.fixture
def demo_loaded(transactional_db):
    """For transactional tests: the demo, loaded again into the emptied database."""
    load_demo(DEMO_PASSWORD)


@pytest.fixture
def user(db):
    def get(username: str):
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def client_for(db):
    """A test client signed in as a demo role (or anonymous for "visitor")."""

    def make(role: str) -> Client:
        client = Client()
        if role != ANONYMOUS:
            client.force_login(get_user_model().objects.get(username=role))
        return client

    return make


@pytest.fixture
def page_at(db):
    """The live page at a URL path such as "/frontline/resources/"."""

    def get(url_path: str) -> Page:
        return Page.objects.get(url_path=f"/home{url_path}").specific

    return get


@pytest.fixture
def demo_files(db):
    """{(kind, space slug or "public"): file URL} for every demo document and image."""
    files = {}
    for document in get_document_model().objects.all():
        files[("document", document.file.name.split("/")[-1].split("-welcome")[0])] = document.url
    for image in get_image_model().objects.all():
        space = image.file.name.split("/")[-1].split("-gathering")[0]
        files[("image", space)] = image.serve_url
        files[("rendition", space)] = image.get_rendition("fill-80x80").url
    return files
