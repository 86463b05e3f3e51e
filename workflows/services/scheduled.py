"""The scheduled job (`manage.py expire_editor_terms`, docs/elections.md): elections follow
their windows and editors their terms."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name

from community_pages.models import Community
from workflows.models import (
    Election,
)
from workflows.services.elections import election_close, election_locked, election_roll_ensure
from workflows.services.terms import editors_reconcile, staff_notify_no_editors

# The community tools' own scheduled work (gathering reminders, closed proposals), registered in
# their AppConfig.ready: `fn(now) -> list[str]`, run by the same job, each idempotent.
_JOBS: list = []


def register_scheduled(job) -> None:
    if job not in _JOBS:
        _JOBS.append(job)


def editor_terms_expire(*, now: datetime | None = None) -> list[str]:
    """The scheduled job: every community's editors group follows its terms. Idempotent.

    Also takes the roll of elections whose nominations closed and closes elections whose voting
    window is over. Staff (superusers) are e-mailed when a run leaves a community without
    editors; a second run changes nothing and sends nothing. Returns a sentence per change.
    """
    now = now or timezone.now()
    done: list[str] = []
    for election in Election.objects.filter(
        status=Election.Status.OPEN, roll_taken_at__isnull=True, nominations_close__lte=now
    ):
        with transaction.atomic():
            if election_roll_ensure(election=election_locked(election), now=now):
                done.append(f"took the roll of {election}")
    for election in Election.objects.filter(status=Election.Status.OPEN, voting_close__lte=now):
        try:
            election_close(election=election)
        except ValidationError:  # closed meanwhile by staff or by another run
            continue
        done.append(f"closed {election} and published its results")
    emptied = []
    for community in Community.objects.select_related("editors_group", "members_group"):
        with transaction.atomic():
            change = editors_reconcile(community=community, now=now)
        done += [
            f"{community}: {get_user_display_name(u)} became an editor" for u in change["added"]
        ]
        done += [
            f"{community}: {get_user_display_name(u)} is no longer an editor (no current term)"
            for u in change["removed"]
        ]
        if change["removed"] and change["no_editors"]:
            emptied.append(community)
            done.append(f"{community} has no editors now: staff were told")
    if emptied:
        staff_notify_no_editors(communities=emptied)
    for job in _JOBS:
        done += job(now)
    return done
