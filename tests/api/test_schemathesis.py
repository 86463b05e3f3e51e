"""The OpenAPI document against the server, inside `make test`: schemathesis generates a few
requests for every operation of /api/schema/ (state-changing ones too, rolled back with the
test) and checks that the answer is never a 5xx and that its status, content type and body are
the documented ones. As a visitor and with a member's Bearer token. The long run, fifty
generated cases per operation against a live server, is `.ci/schemathesis` (docs/api.md, "The
contract")."""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from wagtail.models import APIToken

from tests.conftest import shared_setup

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Loaded when the tests are collected: the document is made from the URL map, the views and the
# settings, and asking for it reads nothing from the database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(scope="module")
def member_token(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        user = get_user_model().objects.get(username="member-of-both")
        token, plaintext = APIToken.create_token(user=user, name="schemathesis")
        # An id no generated DELETE /api/v2/account/tokens/{id}/ will hit.
        APIToken.objects.filter(pk=token.pk).update(id=1_987_654_321)
        yield plaintext


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """schemathesis calls the WSGI handler itself, whose request signals close the database
    connection (`close_old_connections`): on PostgreSQL that ends the test's transaction. Django's
    test Client disconnects them for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


SETTINGS = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@SETTINGS
def test_api__answers_a_visitor_as_its_openapi_document_says(case, db):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@SETTINGS
def test_api__answers_a_member_as_its_openapi_document_says(case, member_token, db):
    case.call_and_validate(headers={"Authorization": f"Bearer {member_token}"}, checks=CHECKS)
