"""Conversations in the access matrix: for every demo role, what it may see and what it must not,
on the site and in the API; a topic or reply it may not read answers exactly like a missing one
(existence pairs: tests/test_existence_pairs.py's comparison), with the allowed twin on the same
setup."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from tests.api.conftest import make_api_client
from tests.conftest import ALL_ROLES, ANONYMOUS, ROLES, SEES, SPACES
from tests.test_existence_pairs import _shape, assert_pair

pytestmark = pytest.mark.django_db
MISSING = 987654
MODERATES = {
    "staff": {"frontline", "bereaved", "common-ground"},
    "frontline-editor": {"frontline", "common-ground"},
    "bereaved-editor": {"bereaved", "common-ground"},
}
CALLERS = [(ANONYMOUS, "none")] + [(role, auth) for role in ROLES for auth in ("session", "token")]


def _site(role):
    return make_api_client(role, "session")


@pytest.mark.parametrize("locale", ["", "es/"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_site_pages__members_of_the_space_only__hidden_like_missing(convs, role, locale):
    client = _site(role)
    asked: dict[str, tuple] = {}  # the missing space's addresses: asked once, not per space
    for space in SPACES:
        ids = convs[space]
        base = f"/{locale}conversations/{space}/"
        urls = [base, f"{base}{ids['topic']}/", f"{base}replies/{ids['reply']}/edit/"]
        if space in SEES[role]:
            assert client.get(urls[0]).status_code == HTTPStatus.OK
            page = client.get(urls[1])
            assert page.status_code == HTTPStatus.OK
            assert f"A reply in {space}".encode() in page.content
            assert client.get(f"{base}{MISSING}/").status_code == HTTPStatus.NOT_FOUND
            continue
        pairs = [
            (urls[0], f"/{locale}conversations/no-such-space/"),
            (urls[1], f"{base}{MISSING}/"),
            (urls[2], f"{base}replies/{MISSING}/edit/"),
            (f"{base}moderation/", f"/{locale}conversations/no-such-space/moderation/"),
        ]
        for hidden, missing in pairs:
            status, headers, *_ = assert_pair(client, hidden, missing, asked)
            if role == ANONYMOUS:
                assert status == HTTPStatus.FOUND
                assert headers["Location"].startswith(f"/{locale}account/login/?next=")
            else:
                assert status == HTTPStatus.NOT_FOUND
        for action in ("reply", "report", "hide", "delete"):
            target = ids["topic"] if action == "reply" else ids["reply"]
            path = f"{base}{target}/reply/" if action == "reply" else None
            path = path or f"{base}replies/{target}/{action}/"
            twin = path.replace(str(target), str(MISSING))
            got = [
                _shape(client.post(url, {"body": "x", "reason": "x"}), url) for url in (path, twin)
            ]
            assert got[0][:4] == got[1][:4] and got[0][4] == got[1][4], path


@pytest.mark.parametrize("role", ROLES)
def test_site__a_topic_under_another_space_address_is_missing(convs, role):
    client = _site(role)
    for space in SEES[role]:
        other = next(s for s in SPACES if s != space)
        url = f"/conversations/{space}/{convs[other]['topic']}/"
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("role,auth", CALLERS)
def test_api__topics_and_replies__hidden_answers_like_missing(convs, role, auth):
    client = make_api_client(role, auth)
    listed = client.get("/api/v2/conversations/?limit=100")
    if role == ANONYMOUS:
        assert listed.status_code in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)
    else:
        assert {t["space"] for t in listed.json()["items"]} == SEES[role]
    for space in SPACES:
        ids = convs[space]
        topic, missing = (
            f"/api/v2/conversations/{ids['topic']}/",
            f"/api/v2/conversations/{MISSING}/",
        )
        reply = f"/api/v2/conversations/replies/{ids['reply']}/"
        missing_reply = f"/api/v2/conversations/replies/{MISSING}/"
        if space in SEES[role]:
            assert client.get(topic).status_code == HTTPStatus.OK  # the allowed twin
            assert client.get(reply).status_code == HTTPStatus.OK
            filtered = client.get(f"/api/v2/conversations/?space={space}").json()
            assert ids["topic"] in {t["id"] for t in filtered["items"]}
            continue
        for hidden, twin in ((topic, missing), (reply, missing_reply)):
            status, *_ = assert_pair(client, hidden, twin)
            expected = {HTTPStatus.NOT_FOUND}
            if role == ANONYMOUS:
                expected = {HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN}
            assert status in expected
        writes = [
            (f"{topic}replies/", f"{missing}replies/", "post"),
            (f"{reply}report/", f"{missing_reply}report/", "post"),
            (f"{reply}hide/", f"{missing_reply}hide/", "post"),
            (reply, missing_reply, "patch"),
            (reply, missing_reply, "delete"),
        ]
        for hidden, twin, method in writes:
            got = [
                _shape(
                    getattr(client, method)(
                        url, {"body": "x", "reason": "x"}, content_type="application/json"
                    ),
                    "",
                )
                for url in (hidden, twin)
            ]
            assert got[0] == got[1], (hidden, method)
        if role != ANONYMOUS:
            assert client.get(f"/api/v2/conversations/?space={space}").json()["items"] == []
            created = client.post(
                "/api/v2/conversations/",
                {"space": space, "title": "t", "body": "b"},
                content_type="application/json",
            )
            nowhere = client.post(
                "/api/v2/conversations/",
                {"space": "no-such-space", "title": "t", "body": "b"},
                content_type="application/json",
            )
            assert created.status_code == nowhere.status_code == HTTPStatus.BAD_REQUEST
            assert created.json() == nowhere.json()


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_reply__gone_for_everyone_but_its_author(convs, role, user):
    """The fixture's hidden reply is by `member-of-both` (by `bereaved-member` in Common
    Ground): its author sees it marked with the reason; everyone else, moderators included,
    sees no trace of it in the thread, and its id answers like a missing one."""
    client = make_api_client(role, "session")
    for space in SEES[role]:
        ids = convs[space]
        author = "bereaved-member" if space == "common-ground" else "member-of-both"
        page = client.get(f"/conversations/{space}/{ids['topic']}/")
        detail = client.get(f"/api/v2/conversations/{ids['topic']}/").json()
        listed = {r["id"]: r for r in detail["replies"]["items"]}
        one = f"/api/v2/conversations/replies/{ids['hidden']}/"
        if role == author:
            assert b"Unkind words" in page.content and b"Not kind" in page.content
            assert listed[ids["hidden"]]["hidden_reason"] == "Not kind"
            assert client.get(one).json()["hidden"] is True
        else:
            assert b"Unkind words" not in page.content and b"Not kind" not in page.content
            assert ids["hidden"] not in listed
            assert_pair(client, one, f"/api/v2/conversations/replies/{MISSING}/")


@pytest.mark.parametrize("role", ROLES)
def test_moderation__the_space_moderators_only(convs, role):
    client = make_api_client(role, "session")
    for space in SPACES:
        ids = convs[space]
        page = client.get(f"/conversations/{space}/moderation/")
        api = client.get(f"/api/v2/conversations/moderation/?space={space}")
        restore = f"/api/v2/conversations/replies/{ids['hidden']}/restore/"
        if space in MODERATES.get(role, set()):
            assert page.status_code == api.status_code == HTTPStatus.OK
            assert b"Unkind words" in page.content
            assert ids["hidden"] in {r["id"] for r in api.json()["items"]}
            done = client.post(
                restore, {"reason": "On reflection, fine"}, content_type="application/json"
            )
            assert done.status_code == HTTPStatus.OK and done.json()["hidden"] is False
        elif space in SEES[role]:
            assert page.status_code == api.status_code == HTTPStatus.FORBIDDEN
            hide = client.post(
                f"/api/v2/conversations/replies/{ids['reply']}/hide/",
                {"reason": "x"},
                content_type="application/json",
            )
            assert hide.status_code == HTTPStatus.FORBIDDEN
            # The hidden reply is not theirs to see (unless theirs): like a missing one.
            if role not in ("member-of-both", "bereaved-member"):
                assert_pair(client, restore, f"/api/v2/conversations/replies/{MISSING}/restore/")
        else:
            assert page.status_code == api.status_code == HTTPStatus.NOT_FOUND


def test_a_hidden_topic__gone_for_everyone_but_its_starter(convs, client_for):
    ids = convs["bereaved"]  # started by bereaved-member
    topic = f"/api/v2/conversations/{ids['topic']}/"
    refused = make_api_client("member-of-both").post(
        f"{topic}hide/", {"reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN  # reads it, does not moderate
    editor = make_api_client("bereaved-editor")
    done = editor.post(
        f"{topic}hide/", {"reason": "A harmful title"}, content_type="application/json"
    )
    assert done.status_code == HTTPStatus.OK and done.json()["hidden_reason"] == "A harmful title"
    again = editor.post(f"{topic}hide/", {"reason": "x"}, content_type="application/json")
    assert again.status_code == HTTPStatus.CONFLICT
    site = f"/conversations/bereaved/{ids['topic']}/"
    for role in ("member-of-both", "bereaved-editor", "staff"):
        client = make_api_client(role)
        assert_pair(client, topic, f"/api/v2/conversations/{MISSING}/")
        assert_pair(client, site, f"/conversations/bereaved/{MISSING}/")
        assert_pair(client, f"{topic}replies/", f"/api/v2/conversations/{MISSING}/replies/")
        listed = client.get("/api/v2/conversations/?space=bereaved").json()["items"]
        assert ids["topic"] not in {t["id"] for t in listed}
        reply = f"/api/v2/conversations/replies/{ids['reply']}/"
        assert_pair(client, reply, f"/api/v2/conversations/replies/{MISSING}/")
    starter = client_for("bereaved-member")
    page = starter.get(site)
    assert page.status_code == HTTPStatus.OK and b"A harmful title" in page.content
    assert b"hid your conversation" in starter.get("/account/notifications/").content
    queue = client_for("bereaved-editor").get("/conversations/bereaved/moderation/")
    assert b"Talk in bereaved" in queue.content
    shown = client_for("bereaved-editor").post(
        f"/conversations/bereaved/{ids['topic']}/restore/", {"reason": "Renamed"}
    )
    assert shown.status_code == HTTPStatus.FOUND
    assert make_api_client("member-of-both").get(topic).status_code == HTTPStatus.OK
