"""The Meeting Guide format (github.com/code4recovery/spec) as a schema: one entry of the feed.

The specification publishes no JSON Schema, only its README ("Field Definitions") and its
type list (`data/types.json`); this transcribes the fields our feeds use, in the subset of
JSON Schema that OpenAPI 3.0 accepts, so the same dictionary documents the feeds in
`/api/schema/` and checks them in the tests (which add the README's cross-field rules:
tests/community_pages/meeting_guide_schema.py).
"""

from __future__ import annotations

# data/types.json of the spec: the 87 codes a consumer understands.
_TYPE_LIST = (
    "11 12x12 A ABSI AF AL AL-AN AM AR ASL B BA BE BG BI BRK C CAN CF D DA DB DD DE DR EL EN "
    "FA FI FF FR G GR H HE HI HR HU IS ITA JA KA KOR L LGBTQ LIT LS LT M MED ML MT N NB NDG NE "
    "NL NO O OUT P POA POC POL POR PUN RUS S SEN SK SL SM SP ST SV T TC TH TL TR TUR UK W X XB "
    "XT Y"
)
SPEC_TYPES = sorted(set(_TYPE_LIST.split()))

_HHMM = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}
_DAY = {"type": "integer", "minimum": 0, "maximum": 6}
_TEXT = {"type": "string", "minLength": 1}

MEETING = {
    "type": "object",
    "description": "One weekly meeting, as the Meeting Guide specification defines it.",
    "required": ["name", "slug", "day", "time"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "slug": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,64}$"},
        "day": {
            "description": "0 = Sunday … 6 = Saturday; several weekdays as an array.",
            "oneOf": [_DAY, {"type": "array", "items": _DAY, "minItems": 1}],
        },
        "time": _HHMM,
        "end_time": _HHMM,
        "timezone": {"type": "string", "pattern": r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$"},
        "types": {"type": "array", "items": {"type": "string", "enum": SPEC_TYPES}},
        "notes": _TEXT,
        "location": _TEXT,
        "location_notes": _TEXT,
        "address": _TEXT,
        "city": _TEXT,
        "state": _TEXT,
        "postal_code": _TEXT,
        "country": _TEXT,
        "region": _TEXT,
        "approximate": {"type": "string", "enum": ["yes", "no"]},
        "updated": {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
            "description": "UTC; members' feeds only.",
        },
        "url": {"type": "string", "format": "uri"},
        "conference_url": {"type": "string", "format": "uri", "pattern": "^https://"},
        "conference_url_notes": _TEXT,
        "conference_phone": {"type": "string", "pattern": r"^\+?[0-9][0-9,*#]*$"},
    },
    "additionalProperties": False,
}
FEED_CONTENT = {"application/json": {"schema": {"type": "array", "items": MEETING}}}
