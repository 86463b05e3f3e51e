"""The Meeting Guide format as a JSON Schema, transcribed from the specification's README.

The specification (github.com/code4recovery/spec) publishes no JSON Schema, only its README
("Field Definitions") and its type list (`data/types.json`, 87 codes); this is the README's
rules, field by field, so `jsonschema` checks every feed entry. Plus what its consumers do with
an entry: `attendance_option` ports the 12 Step Meeting List plugin's
`tsml_calculate_attendance_option` and the importer's conference-link rule, so a test can ask
whether a consumer would show the meeting as active.
"""

from __future__ import annotations

from community_pages.public_listing import conference_provider

# data/types.json of the spec (87 codes).
SPEC_TYPE_LIST = (
    "11 12x12 A ABSI AF AL AL-AN AM AR ASL B BA BE BG BI BRK C CAN CF D DA DB DD DE DR EL EN "
    "FA FI FF FR G GR H HE HI HR HU IS ITA JA KA KOR L LGBTQ LIT LS LT M MED ML MT N NB NDG NE "
    "NL NO O OUT P POA POC POL POR PUN RUS S SEN SK SL SM SP ST SV T TC TH TL TR TUR UK W X XB "
    "XT Y"
)
SPEC_TYPES = sorted(set(SPEC_TYPE_LIST.split()))
assert len(SPEC_TYPES) == 87

_HHMM = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}
_DAY = {"type": "integer", "minimum": 0, "maximum": 6}
_TEXT = {"type": "string", "minLength": 1}
_PLAIN = {"type": "string", "minLength": 1, "not": {"pattern": "<[a-zA-Z/]"}}  # no HTML

MEETING = {
    "type": "object",
    "required": ["name", "slug"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "slug": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,64}$"},
        "day": {"oneOf": [_DAY, {"type": "array", "items": _DAY, "minItems": 1}]},
        "time": _HHMM,
        "end_time": _HHMM,
        "timezone": {"type": "string", "pattern": r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$"},
        "types": {"type": "array", "items": {"enum": SPEC_TYPES}, "uniqueItems": True},
        "notes": _PLAIN,
        "location": _TEXT,
        "location_notes": _PLAIN,
        "formatted_address": _TEXT,
        "address": _TEXT,
        "city": _TEXT,
        "state": _TEXT,
        "postal_code": _TEXT,
        "country": _TEXT,
        "region": _TEXT,
        "approximate": {"enum": ["yes", "no"]},
        "updated": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"},
        "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "conference_url": {"type": "string", "format": "uri", "pattern": "^https://"},
        "conference_url_notes": _TEXT,
        "conference_phone": {"type": "string", "pattern": r"^\+?[0-9][0-9,*#]*$"},
        "conference_phone_notes": _TEXT,
    },
    # "For weekly meetings, day and time are required"; every entry here is weekly.
    "dependentRequired": {"day": ["time"], "time": ["day"]},
    # "To be listed in the Meeting Guide app, meetings must also have some geographic
    # information": a formatted address, or the separate fields.
    "anyOf": [
        {"required": ["formatted_address"]},
        {"required": ["city"]},
        {"required": ["address"]},
    ],
    "additionalProperties": False,
}
FEED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": MEETING,
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
