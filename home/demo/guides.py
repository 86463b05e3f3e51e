"""Demo peer-support guides: their bodies, drawn from Peer Support Community Partners' texts,
with the crisis lines and resource links they use (loaded by `home/demo/resources.py`)."""

from __future__ import annotations

from resources.models import ResourcePage

LIFELINE_988 = {
    "name": "988 Suicide & Crisis Lifeline",
    "phone": "988",
    "text_number": "988",
    "hours": "Every day, at any hour",
    "url": "https://988lifeline.org",
    "description": "Free and confidential. You can also call for someone you are worried about.",
}


SAMHSA = {
    "name": "SAMHSA's National Helpline",
    "phone": "1-800-662-4357",
    "text_number": "",
    "hours": "Every day, at any hour",
    "url": "https://www.samhsa.gov/find-help/national-helpline",
    "description": "Treatment referral and information, in English and Spanish.",
}


def _paragraph(text: str) -> str:
    return f"<p>{text}</p>"


def demo_guides(space: str, resources: dict[str, ResourcePage], image) -> list[dict]:
    """space slug → guides (slug, title, summary, byline, content note, types, body)."""
    if space == "frontline":
        body = [
            {
                "type": "paragraph",
                "value": _paragraph(
                    "Some shifts stay with you. This is what members of this community do for each "
                    "other after one, before anyone goes home."
                ),
            },
            {"type": "heading", "value": {"text": "The check-in", "level": "h2"}},
            {
                "type": "steps",
                "value": [
                    {"title": "Ask, and wait for the answer", "text": "“How are you, really?”"},
                    {"title": "Name what happened", "text": "Plain words help more than jargon."},
                    {"title": "Share one thing that helps you", "text": ""},
                    {"title": "Agree when you will check in again", "text": "Tomorrow is fine."},
                ],
            },
            {
                "type": "quote",
                "value": {
                    "quote": "Peers can provide feedback in language that is most meaningful.",
                    "attribution": "Peer Support, What's that?",
                },
            },
            {
                "type": "callout",
                "value": {
                    "tone": "tip",
                    "title": "Instrumental support counts",
                    "text": _paragraph(
                        "Driving someone home or covering a break is peer support too."
                    ),
                },
            },
            {"type": "crisis_line", "value": LIFELINE_988},
            {
                "type": "related_resources",
                "value": {
                    "title": "Where to find more",
                    "resources": [
                        resources["welcome-pack"].pk,
                        resources["988-lifeline"].pk,
                    ],
                },
            },
        ]
        if image is not None:
            body.insert(
                1,
                {
                    "type": "figure",
                    "value": {
                        "image": image.pk,
                        "alt_text": "Members of the community sitting together",
                        "caption": "Our last gathering.",
                    },
                },
            )
        return [
            {
                "slug": "after-a-hard-shift",
                "title": "After a hard shift: a peer check-in",
                "summary": "Five minutes with a colleague after a death or a near miss at work.",
                "byline": "A night-shift outreach worker",
                "content_note": "",
                "types": ["emotional", "instrumental"],
                "body": body,
            }
        ]
    if space == "bereaved":
        return [
            {
                "slug": "the-first-weeks",
                "title": "The first weeks after a loss to substance use",
                "summary": "What other bereaved parents, partners and friends wish they had known.",
                "byline": "Rosa",
                "content_note": (
                    "This guide talks about death by overdose, and about the first days after "
                    "it. Read it when you are ready, and stop when you need to."
                ),
                "types": ["emotional", "informational", "affiliational"],
                "body": [
                    {
                        "type": "paragraph",
                        "value": _paragraph(
                            "Grief after a death from substance use can come with silence, stigma "
                            "and questions nobody else seems to ask. You are not alone."
                        ),
                    },
                    {"type": "heading", "value": {"text": "Things that helped us", "level": "h2"}},
                    {
                        "type": "steps",
                        "value": [
                            {"title": "Say their name", "text": "To people who will say it back."},
                            {
                                "title": "Find a group where everyone gets it",
                                "text": "A group for substance-related loss is a safe place.",
                            },
                            {"title": "Let some days be bad days", "text": ""},
                        ],
                    },
                    {
                        "type": "quote",
                        "value": {
                            "quote": (
                                "Everyone that attends feels comfortable knowing that they "
                                "can say whatever they want, because we all get it."
                            ),
                            "attribution": "A grief group facilitator",
                        },
                    },
                    {
                        "type": "callout",
                        "value": {
                            "tone": "caution",
                            "title": "If you are thinking of ending your life",
                            "text": _paragraph("Call or text 988 now. Someone will answer."),
                        },
                    },
                    {"type": "crisis_line", "value": LIFELINE_988},
                    {"type": "crisis_line", "value": SAMHSA},
                    {
                        "type": "related_resources",
                        "value": {
                            "title": "",
                            "resources": [
                                resources["live4lali-grief-group"].pk,
                                resources["welcome-pack"].pk,
                            ],
                        },
                    },
                ],
            }
        ]
    return [
        {
            "slug": "four-kinds-of-peer-support",
            "title": "Four kinds of peer support",
            "summary": "Emotional, informational, instrumental and affiliational: what each looks "
            "like between peers.",
            "byline": "Peer Support Community Partners",
            "content_note": "",
            "types": ["emotional", "informational", "instrumental", "affiliational"],
            "body": [
                {
                    "type": "paragraph",
                    "value": _paragraph(
                        "Peer support is giving and receiving nonprofessional, nonclinical help "
                        "from people with lived experience."
                    ),
                },
                {
                    "type": "steps",
                    "value": [
                        {
                            "title": "Emotional",
                            "text": "Understanding, in words that mean something.",
                        },
                        {"title": "Informational", "text": "Knowledge shared between equals."},
                        {"title": "Instrumental", "text": "Practical help learning new skills."},
                        {"title": "Affiliational", "text": "Belonging to a group you can rely on."},
                    ],
                },
                {"type": "crisis_line", "value": SAMHSA},
            ],
        }
    ]
