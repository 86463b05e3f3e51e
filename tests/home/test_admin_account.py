"""The admin's account page asks for a display name (a pseudonym), never a first and last
name, and offers no profile picture. See home/admin_account.py."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest

ROLES_WITH_ADMIN = ["frontline-member", "frontline-editor", "staff"]


def _form_fields(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html))


def _post_data(client) -> dict:
    """Every field the page shows, with its current value, as the browser would send it."""
    html = client.get("/admin/account/").content.decode()
    data = {}
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = selected.group(1) if selected else ""
    for tag in re.findall(r"<(?:input|textarea)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        data[name.group(1)] = value.group(1) if value else ""
    return data


@pytest.mark.parametrize("role", ROLES_WITH_ADMIN)
def test_account_page__display_name_not_first_and_last_name(client_for, role):
    response = client_for(role).get("/admin/account/")
    assert response.status_code == HTTPStatus.OK
    fields = _form_fields(response.content.decode())
    assert "name_email-display_name" in fields
    assert not {"name_email-first_name", "name_email-last_name"} & fields
    assert not any("avatar" in field for field in fields)


def test_account_page__saving_sets_the_display_name_with_its_rules(client_for, user):
    client = client_for("frontline-member")
    data = _post_data(client)
    data["name_email-display_name"] = "  Quiet   Heron "
    response = client.post("/admin/account/", data)
    assert response.status_code == HTTPStatus.FOUND
    member = user("frontline-member")
    assert (member.first_name, member.last_name) == ("Quiet Heron", "")


@pytest.mark.parametrize("bad", ["", "x" * 61, "Heron\u0007"])
def test_account_page__a_bad_display_name_is_refused_and_changes_nothing(client_for, user, bad):
    client = client_for("frontline-member")
    before = user("frontline-member").first_name
    data = _post_data(client)
    data["name_email-display_name"] = bad
    response = client.post("/admin/account/", data)
    assert response.status_code == HTTPStatus.OK  # the page again, with the error
    assert "error" in response.content.decode().lower()
    assert user("frontline-member").first_name == before
