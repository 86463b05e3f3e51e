"""The Meeting Guide format as a JSON Schema, for the tests: the entry the feeds document
(`community_pages/meeting_guide.py`, transcribed from the specification's README and its
`data/types.json`) plus the README's cross-field rules that OpenAPI 3.0 cannot say. And what
its consumers do with an entry: `attendance_option` ports the 12 Step Meeting List plugin's
`tsml_calculate_attendance_option` and its importer's conference-link rule, so a test can ask
whether a consumer would show the meeting as active.
"""

from __future__ import annotations

from community_pages.meeting_guide import MEETING, SPEC_TYPES
from community_pages.public_listing import conference_provider

assert len(SPEC_TYPES) == 87

_PLAIN = {"type": "string", "minLength": 1, "not": {"pattern": "<[a-zA-Z/]"}}  # no HTML
STRICT_MEETING = {
    **MEETING,
    "properties": {
        **MEETING["properties"],
        "types": {**MEETING["properties"]["types"], "uniqueItems": True},
        "notes": _PLAIN,
        "location_notes": _PLAIN,
    },
    # "To be listed in the Meeting Guide app, meetings must also have some geographic
    # information": a formatted address, or the separate fields.
    "anyOf": [
        {"required": ["formatted_address"]},
        {"required": ["city"]},
        {"required": ["address"]},
    ],
    # "Online meetings may have an approximate address, but in-person meetings must have a
    # specific address": a street address is never approximate.
    "if": {"required": ["address"]},
    "then": {"properties": {"approximate": {"const": "no"}}},
}
FEED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": STRICT_MEETING,
}


def attendance_option(meeting: dict) -> str:
    """What a 12 Step Meeting List site makes of an imported entry: in_person, hybrid, online or
    inactive (its importer adds ONL for a recognised conference link or a phone)."""
    online = bool(meeting.get("conference_phone")) or bool(
        meeting.get("conference_url") and conference_provider(meeting["conference_url"])
    )
    approximate = meeting.get("approximate", "no") == "yes"
    types = meeting.get("types", [])
    if "TC" in types:
        return "online" if online else "inactive"
    if online:
        return "online" if approximate else "hybrid"
    return "inactive" if approximate else "in_person"
