"""Golden files: the API's answers to a handful of representative requests on the demo, kept in
`tests/api/golden/` so that a change in shape (a field renamed, added, dropped, an error body) is
a visible diff in review. After a deliberate change, regenerate and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -p no:xdist -q tests/api/test_golden.py

Times and StreamField block ids (made afresh each time the demo loads) and rendition ids (made
on first use) are replaced by placeholders; everything else is compared byte for byte.
docs/api.md, "Golden files".
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.api.conftest import BAD_TOKEN, make_api_client
from tests.conftest import ANONYMOUS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# name: (role, auth, path)
REQUESTS = {
    "visitor_pages": (ANONYMOUS, "session", "/api/v2/pages/?fields=*&limit=100"),
    "visitor_page_find_es": (ANONYMOUS, "session", "/api/v2/pages/find/?html_path=/es/about/"),
    "member_guides": (
        "frontline-member",
        "token",
        "/api/v2/pages/?type=resources.GuidePage&fields=*",
    ),
    "member_resources": (
        "frontline-member",
        "token",
        "/api/v2/pages/?type=resources.ResourcePage&fields=*&limit=3",
    ),
    "member_support_groups": (
        "frontline-member",
        "session",
        "/api/v2/pages/?type=community_pages.SupportGroupPage"
        "&fields=title,kind,attendance,is_open,languages,location,online&limit=100",
    ),
    "member_images": ("member-of-both", "token", "/api/v2/images/?fields=*"),
    "member_documents": ("member-of-both", "token", "/api/v2/documents/?fields=*"),
    "member_account": ("frontline-member", "token", "/api/v2/account/"),
    "member_elections": ("frontline-member", "token", "/api/v2/elections/"),
    "member_feeds": ("frontline-member", "token", "/api/v2/feeds/"),
    "error_find_id": (ANONYMOUS, "session", "/api/v2/pages/find/?id=abc"),
    "error_bad_token": (BAD_TOKEN, "token", "/api/v2/pages/"),
    "error_visitor_on_member_endpoint": (ANONYMOUS, "session", "/api/v2/account/"),
    "error_path_id": (ANONYMOUS, "session", "/api/v2/pages/abc/"),
    "error_hidden_page": ("bereaved-member", "token", "/api/v2/pages/find/?html_path=/frontline/"),
}

_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")
_RENDITION = re.compile(r"(/images/\d+/)\d+/")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _placeholders(text: str) -> str:
    text = _UUID.sub("<uuid>", _DATETIME.sub("<datetime>", text))
    return _RENDITION.sub(r"\1<rendition>/", text)


def _record(response) -> str:
    content_type = response.get("Content-Type", "")
    record = {"status": response.status_code, "content_type": content_type}
    if "Location" in response:
        record["location"] = response["Location"]
    if content_type.startswith("application/json"):
        record["body"] = response.json()
    return _placeholders(json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True)) + "\n"


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_api_answers_match_their_golden_file(db, name):
    role, auth, path = REQUESTS[name]
    actual = _record(make_api_client(role, auth).get(path))
    golden = GOLDEN / f"{name}.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8"), (
        f"{path} as {role} changed shape; if deliberate, UPDATE_GOLDEN=1 and review the diff"
    )
