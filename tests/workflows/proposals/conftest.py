"""Shared helpers for the proposals tests."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from workflows import spaces
from workflows.proposals.services import proposal_create


def make_proposal(proposer: str, space_slug: str, *, hours: int = 48, **data):
    values = {
        "title": "A potluck in spring",
        "text": "Let us hold a potluck three times a year.",
        "closes_at": timezone.now() + timedelta(hours=hours),
    }
    values.update(data)
    user = get_user_model().objects.get(username=proposer)
    return proposal_create(user=user, space=spaces.space_by_slug(space_slug), **values)
