"""Membership writes: join requests, decisions, invitations, leaving.

Each function validates first and changes nothing when it refuses: it raises `MembershipError`
with a sentence the person can read. Being a member means being an active account in the
community's members group (`access.is_member`); that is what the view restrictions provisioned
for the community check.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_pages import schedules
from community_pages.models import (
    Community,
    FeedToken,
    GroupScheduleIndexPage,
    GuideIndexPage,
    Invitation,
    JoinRequest,
    ResourceLibraryIndexPage,
    SupportGroupCancellation,
    SupportGroupPage,
    SupportGroupScheduleRule,
    hash_token,
    validate_space_slug,
)
from community_pages.signals import join_request_decided
from core.access import is_member, may_manage
from core.visibility import forget_user_groups

MESSAGE_MAX_LENGTH = 1000


class MembershipError(Exception):
    """A refusal to show to the person, word for word."""


def membership_request(*, user, community: Community, message: str = "") -> JoinRequest:
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise MembershipError(
            _("Please keep your message under %(n)d characters.") % {"n": MESSAGE_MAX_LENGTH}
        )
    if is_member(user, community):
        raise MembershipError(_("You are already a member of %(c)s.") % {"c": community.name})
    duplicate = _("You have already asked to join %(c)s. Its editors will answer soon.") % {
        "c": community.name
    }
    if JoinRequest.objects.filter(
        user=user, community=community, status=JoinRequest.Status.PENDING
    ).exists():
        raise MembershipError(duplicate)
    try:
        with transaction.atomic():
            return JoinRequest.objects.create(user=user, community=community, message=message)
    except IntegrityError as error:  # a second request racing the first
        raise MembershipError(duplicate) from error


def membership_add(*, user, community: Community) -> None:
    user.groups.add(community.members_group)
    forget_user_groups(user)


@transaction.atomic
def join_request_decide(*, join_request_id: int, decided_by, admit: bool) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("community", "user")
        .filter(pk=join_request_id)
        .first()
    )
    # A missing request and another community's request get the same refusal, so an editor
    # cannot learn by trying ids which requests exist elsewhere.
    if join_request is None or not may_manage(decided_by, join_request.community):
        raise PermissionDenied
    if join_request.status != JoinRequest.Status.PENDING:
        raise MembershipError(
            _("This request was already answered (%(s)s).")
            % {"s": join_request.get_status_display()}
        )
    join_request.status = JoinRequest.Status.ADMITTED if admit else JoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = decided_by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    if admit:
        membership_add(user=join_request.user, community=join_request.community)
    join_request_decided.send(sender=JoinRequest, join_request=join_request)
    return join_request


@transaction.atomic
def membership_leave(*, user, community: Community) -> None:
    if not is_member(user, community):
        raise MembershipError(_("You are not a member of %(c)s.") % {"c": community.name})
    user.groups.remove(community.members_group, community.editors_group)
    forget_user_groups(user)


def invitation_create(
    *, community: Community, created_by, note: str = "", days: int | None = None
) -> tuple[Invitation, str]:
    """Return the invitation and its secret token (shown once; only its hash is stored)."""
    if not may_manage(created_by, community):
        raise PermissionDenied
    days = settings.NEIGHBORHOOD_INVITATION_DAYS if days is None else days
    if not 1 <= days <= 90:
        raise MembershipError(_("An invitation lasts between 1 and 90 days."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        community=community,
        token_hash=hash_token(token),
        note=(note or "").strip()[:200],
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link names, if it can still be used; otherwise a clear refusal."""
    invitation = (
        Invitation.objects.select_related("community").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise MembershipError(_("This invitation link is not valid. Check that it is complete."))
    if invitation.is_used:
        raise MembershipError(_("This invitation has already been used. Ask for a new one."))
    if invitation.is_expired:
        raise MembershipError(_("This invitation has expired. Ask for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> Community:
    invitation = invitation_for_token(token)
    community = invitation.community
    if is_member(user, community):
        raise MembershipError(_("You are already a member of %(c)s.") % {"c": community.name})
    # Single use, even when two people open the same link at once: only one update wins.
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now, used_by=user)
    if claimed != 1:
        raise MembershipError(_("This invitation has already been used. Ask for a new one."))
    membership_add(user=user, community=community)
    JoinRequest.objects.filter(
        user=user, community=community, status=JoinRequest.Status.PENDING
    ).update(status=JoinRequest.Status.ADMITTED, decided_at=now)
    return community


# Spaces --------------------------------------------------------------------------------------

SECTIONS = (
    (ResourceLibraryIndexPage, "Resource library", "resources"),
    (GuideIndexPage, "Peer-support guides", "guides"),
    (GroupScheduleIndexPage, "Group schedule", "groups"),
)


@transaction.atomic
def space_create(
    *, parent, page_class, title: str, slug: str, intro: str = "", public_description: str = ""
):
    """Create a community or Common Ground with its three sections, published.

    Provisioning (groups, privacy, permissions, files) happens in `CommunityPage.save`, so it is
    the same whether a space is made here, in the admin or through the API. A reserved slug
    (`RESERVED_SPACE_SLUGS`) raises ValidationError and creates nothing.
    """
    validate_space_slug(slug)  # before touching the tree (the page's own clean checks it too)
    space = page_class(title=title, slug=slug, intro=intro)
    if public_description:
        space.public_description = public_description  # communities only: Common Ground has none
    parent.add_child(instance=space)
    space.save_revision().publish()
    for section_class, section_title, section_slug in SECTIONS:
        section = section_class(title=section_title, slug=section_slug)
        space.add_child(instance=section)
        section.save_revision().publish()
    return space


# Personal feed tokens ------------------------------------------------------------------------

FEED_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


@transaction.atomic
def feed_token_create(*, user) -> str:
    """A new secret for the user's calendar feeds; any older one stops working at once.

    Returns the token itself, which is not stored (only its hash): show it once.
    """
    feed_token_revoke(user=user)
    token = secrets.token_urlsafe(32)
    FeedToken.objects.create(user=user, token_hash=hash_token(token))
    return token


def feed_token_revoke(*, user) -> int:
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def feed_token_user(token: str):
    """The active user whose live token this is, or None (malformed, unknown or revoked)."""
    if not isinstance(token, str) or not FEED_TOKEN_PATTERN.match(token):
        return None
    found = (
        FeedToken.objects.filter(
            token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    return found.user if found else None


# Support groups ------------------------------------------------------------------------------


@transaction.atomic
def support_group_create(
    *, parent, rules: list[tuple], cancelled: tuple = (), publish: bool = True, **fields
):
    """Create a support group under a group schedule: validated first, then published.

    `rules` are (kind, weekday, nth, date) tuples, as `schedules.Rule`. Raises
    `schedules.ScheduleError` (nothing saved) when the schedule cannot be kept.
    """
    group = SupportGroupPage(**fields)
    group.schedule_rules = [
        SupportGroupScheduleRule(kind=kind, weekday=weekday, nth=nth, on=on)
        for kind, weekday, nth, on in rules
    ]
    group.cancellations = [SupportGroupCancellation(on=day) for day in cancelled]
    schedules.validate(group.schedule())
    parent.add_child(instance=group)
    if publish:
        group.save_revision().publish()
    return group
