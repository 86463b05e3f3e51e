"""`/healthz`, `/readyz` and the 503 while the database is down (core/health.py).

The database outage is simulated by making every new cursor of the default connection fail as
a refused connection does (`OperationalError`), the way a server whose PostgreSQL is stopped or
restarting sees it; the real outage (PostgreSQL stopped under two gunicorn servers) is the
deployment test, tests/deploy/.
"""

from __future__ import annotations

import contextlib
import json
from http import HTTPStatus

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import health
from tests.api.conftest import make_api_client
from tests.conftest import ALL_ROLES, ROLES

CALLERS = [(role, "session") for role in ALL_ROLES] + [(role, "token") for role in ROLES]
# Words that would tell a prober something about the communities or the people in them.
TELLING = (b"frontline", b"bereaved", b"common", b"member", b"community", b"@")


@contextlib.contextmanager
def _refusing(message='connection to server at "db", port 5432 failed: refused'):
    """Inside this block every new cursor of this thread meets a database refusing connections."""

    def refuse(*args, **kwargs):
        raise OperationalError(message)

    wrapper = connections["default"]
    wrapper.ensure_connection = refuse
    try:
        yield
    finally:
        del wrapper.ensure_connection  # the class's own method again


@pytest.fixture
def database_down(db):
    with _refusing():
        yield


def _client(role, auth) -> Client:
    client = make_api_client(role, auth)
    client.raise_request_exception = False  # see the answer a browser gets, not the exception
    return client


# The endpoints ---------------------------------------------------------------------------------


def test_healthz__answers_ok_without_touching_the_database(db):
    with CaptureQueriesContext(connection) as captured:
        response = Client().get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    assert captured.captured_queries == []


def test_healthz__answers_ok_while_the_database_is_down(db, database_down):
    response = Client().get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok\n"


def test_readyz__ok_when_database_cache_and_storage_answer(db):
    response = Client().get("/readyz")
    assert response.status_code == HTTPStatus.OK
    assert "Retry-After" not in response
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "status": "ok",
    }


def test_readyz__503_with_retry_after_while_the_database_is_down(db, database_down):
    response = Client().get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    assert response.json()["database"] == "unavailable"
    assert response.json()["status"] == "unavailable"
    assert b"refused" not in response.content  # the reason stays in the log


@pytest.mark.parametrize(
    ("component", "target", "name"),
    [
        ("cache", "core.health.cache", "set"),
        ("storage", "core.health.default_storage", "exists"),
    ],
)
def test_readyz__503_when_the_cache_or_the_storage_fails(db, monkeypatch, component, target, name):
    def fail(*args, **kwargs):
        raise ConnectionError("unreachable")

    monkeypatch.setattr(f"{target}.{name}", fail)
    response = Client().get("/readyz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    body = response.json()
    assert body[component] == "unavailable"
    assert body["database"] == "ok"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health__only_get(db, path):
    response = Client().post(path)
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health__every_caller_gets_the_same_answer_and_nothing_about_communities(db, path):
    """Access matrix: every role, by session and by token, gets the visitor's bytes."""
    answers = {}
    for role, auth in CALLERS:
        response = make_api_client(role, auth).get(path)
        answers[(role, auth)] = (response.status_code, response.content)
    assert set(answers.values()) == {answers[("visitor", "session")]}
    status, body = answers[("visitor", "session")]
    assert status == HTTPStatus.OK
    for word in TELLING:
        assert word not in body.lower()


# While the database is down ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "auth"), [("visitor", "session"), ("frontline-member", "session")]
)
@pytest.mark.parametrize("path", ["/", "/frontline/", "/es/", "/search/?q=grief"])
def test_outage__pages_answer_a_short_503_not_a_500(db, role, auth, path):
    client = _client(role, auth)
    with _refusing():
        response = client.get(path)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    title = {"/es/": "Brevemente no disponible"}.get(path, "Briefly unavailable")
    assert f"<title>{title}" in body and "988" in body
    assert "Traceback" not in body and "refused" not in body and "5432" not in body


@pytest.mark.parametrize(("role", "auth"), [("visitor", "session"), ("frontline-member", "token")])
@pytest.mark.parametrize(
    "path", ["/api/v2/pages/", "/api/v2/pages/?search=grief", "/api/search/?q=grief"]
)
def test_outage__the_api_answers_a_json_503_in_the_v2_error_shape(db, role, auth, path):
    client = _client(role, auth)
    with _refusing():
        response = client.get(path)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    body = json.loads(response.content)
    assert set(body) == {"message"}
    assert "refused" not in body["message"]


def test_outage__the_page_is_translated(db, database_down):
    response = _client("visitor", "session").get("/es/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert '<html lang="es">' in response.content.decode()


def test_outage__recovery_needs_nothing_by_hand(db):
    client = _client("frontline-member", "session")
    assert client.get("/frontline/").status_code == HTTPStatus.OK
    with _refusing("the database system is shutting down"):
        assert client.get("/frontline/").status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert client.get("/readyz").status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert client.get("/frontline/").status_code == HTTPStatus.OK
    assert client.get("/readyz").status_code == HTTPStatus.OK


def test_server_error__other_failures_stay_the_plain_500(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("core.visibility.denied_page_paths", broken)
    response = _client("frontline-member", "session").get("/frontline/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()
