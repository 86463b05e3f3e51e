"""Demo support groups: one of each kind, in every attendance mode.

Idempotent: a group whose slug exists under its space's group schedule is left alone. Dates
are fixed (not "today"), so feeds and tests see the same schedule on every run. Facilitators
are named by first name only.
"""

from __future__ import annotations

from datetime import date, time

from django.db import transaction

from community_pages.models import GroupScheduleIndexPage, SupportGroupPage
from community_pages.schedules import DATE_RULE, LAST, MONTHLY_RULE, WEEKLY_RULE
from community_pages.selectors import space_by_slug
from community_pages.services import support_group_create

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
Kind = SupportGroupPage.Kind
Attendance = SupportGroupPage.Attendance

# (space slug, page fields, schedule rules, cancelled dates)
GROUPS = [
    (
        "frontline",
        {
            "title": "SMART Recovery for care providers",
            "slug": "smart-recovery",
            "kind": Kind.SMART_RECOVERY,
            "attendance": Attendance.HYBRID,
            "description": (
                "A SMART Recovery meeting for people who work on the front line: self-"
                "management and recovery training, with tools for stress and burnout."
            ),
            "start_time": time(19, 0),
            "end_time": time(20, 30),
            "location_name": "Dudley Library community room",
            "address": "65 Warren St",
            "city": "Boston",
            "postal_code": "02119",
            "region": "Greater Boston",
            "location_notes": "Ground floor, side entrance on Warren St.",
            "online_url": "https://zoom.us/j/5550100001",
            "online_url_notes": "Passcode: care",
            "phone": "+16465550100,,5550100001#",
            "facilitator": "Dana",
            "wheelchair_accessible": True,
        },
        [(WEEKLY_RULE, TUE, None, None)],
        [date(2026, 12, 22), date(2026, 12, 29)],
    ),
    (
        "frontline",
        {
            "title": "Peer check-in for outreach workers",
            "slug": "peer-check-in",
            "kind": Kind.OTHER,
            "attendance": Attendance.ONLINE,
            "description": "A lunchtime check-in on the second Thursday of each month.",
            "start_time": time(12, 0),
            "end_time": time(13, 0),
            "city": "Springfield",
            "region": "Western Massachusetts",
            "online_url": "https://meet.jit.si/neighborhood-frontline-check-in",
            "facilitator": "Sam",
        },
        [(MONTHLY_RULE, THU, 2, None)],
        [],
    ),
    (
        "bereaved",
        {
            "title": "SMART Family & Friends",
            "slug": "smart-family-friends",
            "kind": Kind.SMART_FAMILY,
            "attendance": Attendance.ONLINE,
            "is_public": True,
            "description": (
                "For family and friends of people who use substances, and for those grieving "
                "one. Science-based tools, in English and Spanish."
            ),
            "start_time": time(18, 30),
            "end_time": time(20, 0),
            "city": "Worcester",
            "region": "Central Massachusetts",
            "online_url": "https://zoom.us/j/5550100002",
            "phone": "+16465550199",
            # The group chose to publish a dial-in line (not its members' link or phone), so
            # the public feed can list it as an online meeting someone can actually join.
            "public_conference_phone": "+15085550142",
            "facilitator": "Luis",
            "languages": "en,es",
        },
        [(WEEKLY_RULE, MON, None, None), (WEEKLY_RULE, THU, None, None)],
        [],
    ),
    (
        "bereaved",
        {
            "title": "Grief circle: after a death from substance use",
            "slug": "grief-circle",
            "kind": Kind.GRIEF,
            "attendance": Attendance.IN_PERSON,
            "is_open": False,
            "description": (
                "A closed circle for people who lost someone to substance use. New members "
                "join after a conversation with the facilitator."
            ),
            "start_time": time(19, 0),
            "end_time": time(20, 30),
            "location_name": "Quincy Center for Healing",
            "address": "1200 Hancock St",
            "city": "Quincy",
            "postal_code": "02169",
            "region": "South Shore",
            "facilitator": "Maria",
            "wheelchair_accessible": True,
            "accessibility_notes": "Elevator to the second floor; hearing loop in the room.",
        },
        [(WEEKLY_RULE, WED, None, None)],
        [date(2026, 11, 25)],  # the eve of Thanksgiving
    ),
    (
        "bereaved",
        {
            "title": "Grief circle potluck",
            "slug": "grief-circle-potluck",
            "kind": Kind.SOCIAL,
            "attendance": Attendance.IN_PERSON,
            "is_open": False,
            "description": (
                "The grief circle's social potluck, three times a year. Families welcome: bring "
                "a dish if you can, and a photo of the person you are remembering if you wish."
            ),
            "start_time": time(13, 0),
            "end_time": time(16, 0),
            "location_name": "Quincy Center for Healing",
            "address": "1200 Hancock St",
            "city": "Quincy",
            "postal_code": "02169",
            "region": "South Shore",
            "facilitator": "Maria",
        },
        [
            (DATE_RULE, None, None, date(2026, 12, 12)),
            (DATE_RULE, None, None, date(2027, 4, 17)),
            (DATE_RULE, None, None, date(2027, 8, 14)),
        ],
        [],
    ),
    (
        "common-ground",
        {
            "title": "Refuge Recovery",
            "slug": "refuge-recovery",
            "kind": Kind.REFUGE_RECOVERY,
            "attendance": Attendance.IN_PERSON,
            "is_public": True,
            "publish_address": True,
            "description": (
                "A Buddhist-inspired path to recovery: meditation, reading and sharing. "
                "Open to everyone."
            ),
            "start_time": time(10, 0),
            "end_time": time(11, 30),
            "location_name": "Main South community room",
            "address": "875 Main St",
            "city": "Worcester",
            "postal_code": "01610",
            "region": "Central Massachusetts",
            "facilitator": "Ana",
            "languages": "en,pt",
            "wheelchair_accessible": True,
        },
        [(WEEKLY_RULE, SAT, None, None)],
        [],
    ),
    (
        "common-ground",
        {
            "title": "Neighborhood coffee hour",
            "slug": "coffee-hour",
            "kind": Kind.SOCIAL,
            "attendance": Attendance.ONLINE,
            "description": "Coffee and conversation on the last Monday of each month.",
            "start_time": time(9, 0),
            "end_time": time(10, 0),
            "online_url": "https://meet.google.com/abc-defg-hij",
            "facilitator": "Jo",
        },
        [(MONTHLY_RULE, MON, LAST, None)],
        [],
    ),
]

STARTS_ON = date(2026, 1, 5)


def _group_index(space_slug: str) -> GroupScheduleIndexPage | None:
    space = space_by_slug(space_slug)
    if space is None:
        return None
    return GroupScheduleIndexPage.objects.child_of(space).first()


@transaction.atomic
def load_groups_demo() -> None:
    for space_slug, fields, rules, cancelled in GROUPS:
        index = _group_index(space_slug)
        if index is None or index.get_children().filter(slug=fields["slug"]).exists():
            continue
        support_group_create(
            parent=index, rules=rules, cancelled=cancelled, starts_on=STARTS_ON, **fields
        )
