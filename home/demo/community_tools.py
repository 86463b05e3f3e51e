"""Demo content of the community tools (docs/community-tools.md): a potluck and an open proposal
among the bereaved, a conversation and a reply on a guide in Frontline, a topic in Common Ground.

Written through the tools' own services, as a member would, so the notifications, the bring-list
and the RSVPs are exactly what the product makes. Dates are counted from "now" (a gathering and a
proposal must lie ahead); the notifications they make are marked read, as seen long ago.
Idempotent: what exists (by title, or the guide's reply by its author)
is left alone. No remembrance: those are personal, and the demo leaves them to real members.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from community_pages.selectors import space_by_slug
from resources.models import GuidePage
from workflows.conversations.models import Reply, Topic
from workflows.conversations.services import reply_create, topic_create, topic_for_page
from workflows.gatherings.models import Gathering
from workflows.gatherings.services import bring_item_claim, gathering_create, rsvp_set
from workflows.proposals.models import Proposal
from workflows.proposals.services import proposal_create, respond
from workflows.services.notifications import notifications_mark_read

SATURDAY = 5

POTLUCK = {
    "title": "Potluck lunch at the Parish Hall",
    "kind": Gathering.Kind.POTLUCK,
    "description": (
        "An afternoon to eat together and talk, or just sit with people who understand. "
        "Bring a dish if you can, or just bring yourself. Children are welcome, and there is "
        "a quiet room if you need a moment."
    ),
    "start_time": time(12, 30),
    "end_time": time(15, 0),
    "time_zone": "America/New_York",
    "capacity": 20,
    "area": "Worcester",
    "address": "St. John's Parish Hall, 44 Temple St, Worcester, MA 01604",
    "address_for_coming_only": True,
    "bring_list": ["A main dish", "A salad or vegetables", "Dessert", "Drinks", "Paper plates"],
}
POTLUCK_ORGANISER = "bereaved-editor"
# (username, answer, what they bring or None)
POTLUCK_ANSWERS = [("bereaved-member", "yes", "Dessert"), ("member-of-both", "maybe", None)]

PROPOSAL = {
    "title": "Light a candle at the start of each monthly meeting",
    "text": (
        "Several of us have said that the first minutes of a meeting are the hardest. I propose "
        "that we begin each monthly meeting by lighting a candle and saying, if we wish, the "
        "name of the person we are there for. Nobody has to speak; the candle is for everyone."
    ),
}
PROPOSER = "bereaved-editor"
# (username, position, reason)
PROPOSAL_RESPONSES = [
    ("bereaved-member", "agree", "Saying my son's name out loud with others helps me."),
    ("member-of-both", "abstain", "I like it, but I would rather listen for a while first."),
]

# space slug → (starter, title, opening words, [(replier, reply)])
TOPICS = {
    "frontline": (
        "frontline-member",
        "How do you wind down after a night shift?",
        "After a night on the van I get home at seven and my head is still going. What helps "
        "you switch off before you try to sleep?",
        [
            (
                "frontline-editor",
                "A short walk around the block before I go in, phone in my pocket. And I write "
                "one line about the night in a notebook, then close it.",
            ),
            (
                "member-of-both",
                "A hot shower and a boring podcast. Also telling one colleague how it went, "
                "even by text, so I am not carrying it alone.",
            ),
        ],
    ),
    "common-ground": (
        "member-of-both",
        "Small things that got you through this week",
        "I will start: a neighbour left soup on my step without a word. What small things "
        "helped you this week?",
        [],
    ),
}

GUIDE_SLUG = "after-a-hard-shift"
GUIDE_REPLY = (
    "frontline-member",
    "We tried the five-minute check-in after a hard call last month. It felt awkward for the "
    "first minute and then it really helped. Thank you for writing this down.",
)


def _users() -> dict:
    return {user.username: user for user in get_user_model().objects.all()}


def _potluck_date(now):
    """A Saturday about three weeks ahead."""
    day = (now + timedelta(days=21)).date()
    return day + timedelta(days=(SATURDAY - day.weekday()) % 7)


def _potluck(space, people) -> None:
    if Gathering.objects.filter(space=space, title=POTLUCK["title"]).exists():
        return
    data = {**POTLUCK, "date": _potluck_date(timezone.now())}
    (gathering,) = gathering_create(user=people[POTLUCK_ORGANISER], space=space, data=data)
    items = {item.what: item for item in gathering.bring_items.all()}
    for username, answer, bringing in POTLUCK_ANSWERS:
        rsvp_set(user=people[username], gathering=gathering, answer=answer)
        if bringing:
            bring_item_claim(user=people[username], gathering=gathering, item_id=items[bringing].pk)


def _proposal(space, people) -> None:
    if Proposal.objects.filter(space=space, title=PROPOSAL["title"]).exists():
        return
    proposal = proposal_create(
        user=people[PROPOSER],
        space=space,
        closes_at=timezone.now() + timedelta(days=14),
        **PROPOSAL,
    )
    for username, position, reason in PROPOSAL_RESPONSES:
        respond(user=people[username], proposal=proposal, position=position, reason=reason)


def _topic(space, people, starter, title, body, replies) -> None:
    if Topic.objects.filter(space=space, title=title).exists():
        return
    topic = topic_create(user=people[starter], space=space, title=title, body=body)
    for username, text in replies:
        reply_create(user=people[username], topic=topic, body=text)


def _guide_reply(people) -> None:
    guide = GuidePage.objects.filter(
        slug=GUIDE_SLUG, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    if guide is None:
        return
    author, text = GUIDE_REPLY
    topic = topic_for_page(guide)
    if not Reply.objects.filter(topic=topic, author=people[author]).exists():
        reply_create(user=people[author], topic=topic, body=text)


def load_community_tools_demo() -> None:
    people = _users()
    bereaved = space_by_slug("bereaved")
    _potluck(bereaved, people)
    _proposal(bereaved, people)
    for slug, (starter, title, body, replies) in TOPICS.items():
        _topic(space_by_slug(slug), people, starter, title, body, replies)
    _guide_reply(people)
    for person in people.values():  # what the demo made is old news: no badge on a fresh demo
        notifications_mark_read(user=person)
