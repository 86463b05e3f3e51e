"""Writes about editors' terms: the editors group follows the certified terms, and staff hear
when a community is left without editors (docs/elections.md)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log

from community_pages.models import Community
from core.access import members_of, staff_users
from core.visibility import forget_user_groups
from workflows.models import (
    TERM_END,
    TERM_START,
    EditorTerm,
)


def editors_reconcile(*, community: Community, now: datetime | None = None) -> dict:
    """Make the editors group exactly the members with a current term. Idempotent.

    Returns {"added": [users], "removed": [users], "no_editors": bool}. A member who left the
    community keeps their term on paper but is not an editor.
    """
    now = now or timezone.now()
    User = get_user_model()
    wanted = set(
        EditorTerm.objects.filter(
            community=community,
            starts__lte=now,
            ends__gt=now,
            user__in=members_of(community),
        ).values_list("user_id", flat=True)
    )
    # The group's raw contents, inactive accounts included (they are not editors, `access`): this
    # is the write side that keeps the group right, so an inactive account in it is removed.
    current = set(
        User.objects.filter(groups=community.editors_group_id).values_list("pk", flat=True)
    )
    added = list(User.objects.filter(pk__in=wanted - current).order_by("pk"))
    removed = list(User.objects.filter(pk__in=current - wanted).order_by("pk"))
    group = community.editors_group
    for user in added:
        user.groups.add(group)
        forget_user_groups(user)
        log(community, TERM_START, data={"editor": get_user_display_name(user)})
    for user in removed:
        user.groups.remove(group)
        forget_user_groups(user)
        log(community, TERM_END, data={"editor": get_user_display_name(user)})
    return {"added": added, "removed": removed, "no_editors": not wanted}


def staff_notify_no_editors(*, communities: list[Community]) -> int:
    """E-mail every active superuser that these communities have no editors."""
    recipients = list(staff_users().exclude(email="").values_list("email", flat=True))
    if not recipients:
        return 0
    names = ", ".join(c.name for c in communities)
    return send_mail(
        subject=f"The Neighborhood: no editors in {names}",
        message=(
            f"The editors' terms have ended and these communities have no editors now: {names}.\n"
            "Nobody can review members' submissions or admit join requests there until an "
            "election is certified. Create one under Elections in the admin."
        ),
        from_email=None,
        recipient_list=recipients,
    )
