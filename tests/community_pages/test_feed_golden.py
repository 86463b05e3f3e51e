"""Golden files: the demo's feeds as served, kept under tests/golden/feeds/ and compared.

A change in what a feed says or how (a field, a type code, a VTIMEZONE line) shows as a diff
of these files. Values that differ between two loads of the demo are replaced by a
placeholder before comparing: page ids in members' slugs, the public slugs (an HMAC of the
page id), publication times (`updated`, `DTSTAMP`), translation keys in `UID`s and the times of
gatherings (the demo's potluck lies a few weeks after the day the demo was loaded). Calendars
are compared unfolded, with LF line ends, so the files read line by line.

Regenerate after a deliberate change: `UPDATE_GOLDEN=1 .venv/bin/python -m pytest -p no:xdist
-q tests/community_pages/test_feed_golden.py`, then read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import SPACES

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "feeds"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

FEEDS = {
    "public-meetings.json": (None, "/feeds/public/meetings.json"),
    **{f"{space}-meetings.json": ("staff", f"/feeds/{space}/meetings.json") for space in SPACES},
    **{f"{space}-meetings.ics": ("staff", f"/feeds/{space}/meetings.ics") for space in SPACES},
    "frontline-smart-recovery.ics": ("staff", "/feeds/frontline/groups/smart-recovery.ics"),
}


def normalized_json(body: bytes) -> str:
    data = json.loads(body)
    for meeting in data:
        meeting["slug"] = re.sub(r"^\d+-", "<id>-", meeting["slug"])
        meeting["slug"] = re.sub(r"^meeting-[0-9a-f]{24}$", "meeting-<hmac>", meeting["slug"])
        if "updated" in meeting:
            meeting["updated"] = "<published>"
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _gathering_times(event: re.Match) -> str:
    return re.sub(
        r"^(DTSTART|DTEND)(;TZID=[^:]*)?:\d{8}T\d{6}Z?$",
        r"\1\2:<weeks ahead>",
        event.group(0),
        flags=re.MULTILINE,
    )


def normalized_ics(body: bytes) -> str:
    text = body.decode().replace("\r\n ", "").replace("\r\n", "\n")
    text = re.sub(r"^DTSTAMP:.*$", "DTSTAMP:<published>", text, flags=re.MULTILINE)
    # A gathering's dates (the demo's potluck) are counted from the day the demo was loaded.
    event = r"^BEGIN:VEVENT\n(?:(?!^END:VEVENT$).)*?^UID:gathering-.*?^END:VEVENT$"
    text = re.sub(event, _gathering_times, text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(rf"^UID:{UUID}-", "UID:<translation key>-", text, flags=re.MULTILINE)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_feed_matches_its_golden_file(client_for, name):
    role, url = FEEDS[name]
    response = (client_for(role) if role else Client()).get(url)
    assert response.status_code == 200
    served = (normalized_json if name.endswith(".json") else normalized_ics)(response.content)
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(served, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1"
    assert served == path.read_text(encoding="utf-8"), f"{name} changed: see the module docstring"
