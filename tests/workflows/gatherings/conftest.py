"""Shared fixtures for the gatherings tests: gatherings built once per module."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from workflows import spaces
from workflows.gatherings.services import gathering_create


def future(days: int = 10) -> date:
    return (timezone.now() + timedelta(days=days)).date()


def make_gathering(organiser: str, space_slug: str, **data):
    values = {
        "title": "Spring potluck",
        "kind": "potluck",
        "description": "Just to get out and enjoy a few hours.",
        "date": future(),
        "start_time": time(17, 0),
        "end_time": time(20, 0),
        "time_zone": "America/New_York",
        "area": "Riverside",
        "address": "12 Elm Street",
        "address_for_coming_only": True,
        "capacity": None,
        "bring_list": ["Salad", "Bread"],
    }
    values.update(data)
    user = get_user_model().objects.get(username=organiser)
    return gathering_create(user=user, space=spaces.space_by_slug(space_slug), data=values)
