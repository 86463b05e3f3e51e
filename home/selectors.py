"""Reads about a member's own account: everything the Neighborhood holds about them.

`member_data_export(user)` is what the account page's "Download my data" and the API's export
endpoint return. It reads each kind of record through its own model, and leaves out secrets
(password hash, token values) and anything that is not linked to the member (ballot contents).

It holds only what the person may see now (the one visibility rule, `visibility.py`): their own
pages, revisions, comments, review approvals and election records inside a space they no longer
belong to (or an editors-only page after their term) are listed, so they know they exist, but
described without that space's titles, paths, ids or text ("a page in a space you no longer
belong to"). Community names are public (the front door lists them).
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name
from wagtail.models import APIToken, Comment, CommentReply, Page, Revision
from wagtail.users.models import UserProfile

from community_pages.models import FeedToken, Invitation, JoinRequest
from core.access import communities_of, editor_communities, is_staff
from core.visibility import visible_pages
from workflows.conversations.selectors import conversations_export
from workflows.gatherings.selectors import gatherings_export
from workflows.models import (
    BallotReceipt,
    EditorTerm,
    EligibleVoter,
    Nomination,
    Notification,
    TaskApproval,
)
from workflows.proposals.selectors import proposals_export
from workflows.remembrance.selectors import remembrances_export
from workflows.selectors.elections import elections_visible_to
from workflows.selectors.notifications import email_off_kinds, notification_visible

EXPORT_FORMAT = "neighborhood-member-export/1"
HIDDEN_PAGE = "a page in a space you no longer belong to"
HIDDEN_ELECTION = "an election in a space you no longer belong to"


def _when(value):
    return value.isoformat() if value else None


def _visible_page_ids(user, page_ids) -> set[int]:
    """Which of these pages (drafts included) the user may see now."""
    ids = {int(pk) for pk in page_ids if pk is not None and str(pk).isdigit()}
    if not ids:
        return set()
    pages = Page.objects.filter(pk__in=ids)
    return set(visible_pages(user, pages, live=False).values_list("pk", flat=True))


def _pages(user) -> list[dict]:
    pages = list(Page.objects.filter(owner=user).select_related("locale").order_by("path"))
    visible = _visible_page_ids(user, [page.pk for page in pages])
    return [
        {
            "id": page.pk,
            "title": page.title,
            "url_path": page.url_path,
            "locale": page.locale.language_code,
            "live": page.live,
            "first_published_at": _when(page.first_published_at),
            "last_published_at": _when(page.last_published_at),
        }
        if page.pk in visible
        else {"page": HIDDEN_PAGE}
        for page in pages
    ]


def _page_revision(revision) -> bool:
    return revision.base_content_type.model_class() is Page


def _revisions(user) -> list[dict]:
    revisions = list(
        Revision.objects.filter(user=user)
        .select_related("content_type", "base_content_type")
        .order_by("created_at")
    )
    visible = _visible_page_ids(user, [r.object_id for r in revisions if _page_revision(r)])
    return [
        {
            "id": revision.pk,
            "object": f"{revision.content_type.app_label}.{revision.content_type.model}",
            "object_id": revision.object_id,
            "title": revision.object_str,
            "created_at": _when(revision.created_at),
            "approved_go_live_at": _when(revision.approved_go_live_at),
            "content": revision.content,
        }
        if not _page_revision(revision) or int(revision.object_id) in visible
        else {"object": HIDDEN_PAGE, "created_at": _when(revision.created_at)}
        for revision in revisions
    ]


def _comments(user) -> tuple[list[dict], list[dict]]:
    """Comments and replies: the text is the member's own; where the page is hidden now, which
    page (and which comment) is left out."""
    comments = list(Comment.objects.filter(user=user))
    replies = list(CommentReply.objects.filter(user=user).select_related("comment"))
    visible = _visible_page_ids(
        user, [c.page_id for c in comments] + [r.comment.page_id for r in replies]
    )
    return (
        [
            {
                "page_id": comment.page_id if comment.page_id in visible else HIDDEN_PAGE,
                "text": comment.text,
                "created_at": _when(comment.created_at),
                "resolved_at": _when(comment.resolved_at),
            }
            for comment in comments
        ],
        [
            {
                "comment_id": reply.comment_id if reply.comment.page_id in visible else HIDDEN_PAGE,
                "text": reply.text,
                "created_at": _when(reply.created_at),
            }
            for reply in replies
        ],
    )


def _visible_election_ids(user) -> set[int]:
    return set(elections_visible_to(user).values_list("pk", flat=True))


def _election(election, visible: set[int]) -> dict:
    if election.pk in visible:
        return {"election": election.pk, "election_title": str(election)}
    return {"election": None, "election_title": HIDDEN_ELECTION}


def _nominations(user) -> list[dict]:
    """Elections live in `workflows/`; read through its model if it is there."""
    try:
        nomination_model = apps.get_model("workflows", "Nomination")
    except LookupError:
        return []
    nominations = nomination_model.objects.filter(nominee=user).select_related(
        "election__community"
    )
    visible = _visible_election_ids(user)
    return [
        {
            **_election(nomination.election, visible),
            "status": nomination.status,
            "statement": nomination.statement,
            "elected": nomination.elected,
        }
        for nomination in nominations
    ]


def _election_records(user) -> dict:
    """What the elections hold about `user`: never how they voted."""
    visible = _visible_election_ids(user)
    approvals = list(
        TaskApproval.objects.filter(reviewer=user).select_related("task_state__workflow_state")
    )
    pages = _visible_page_ids(user, [a.task_state.workflow_state.object_id for a in approvals])
    return {
        "nominated_others": [
            {**_election(n.election, visible), "status": n.status}
            for n in Nomination.objects.filter(nominated_by=user)
            .exclude(nominee=user)
            .select_related("election__community")
        ],
        "on_voter_rolls": [
            _election(entry.election, visible)
            for entry in EligibleVoter.objects.filter(user=user).select_related(
                "election__community"
            )
        ],
        "voted_in": [
            _election(receipt.election, visible)
            for receipt in BallotReceipt.objects.filter(voter=user).select_related(
                "election__community"
            )
        ],
        "editor_terms": [
            {
                "community": term.community.name,  # community names are public
                "election": term.election_id if term.election_id in visible else None,
                "starts": _when(term.starts),
                "ends": _when(term.ends),
            }
            for term in EditorTerm.objects.filter(user=user).select_related("community")
        ],
        "review_approvals": [
            {
                "page_id": page_id if page_id.isdigit() and int(page_id) in pages else HIDDEN_PAGE,
                "approved_at": _when(approval.created_at),
                "comment": approval.comment,
            }
            for approval in approvals
            for page_id in [str(approval.task_state.workflow_state.object_id)]
        ],
    }


def _notifications(user) -> list[dict]:
    """Their notifications; one naming a page they may no longer see says so, not which."""
    rows = Notification.objects.filter(recipient=user).select_related("page", "community")
    return [
        {
            "kind": notification.kind,
            "page_id": notification.page_id
            if notification.page_id is None or notification_visible(notification, user)
            else HIDDEN_PAGE,
            "community": notification.community.name if notification.community_id else None,
            "admitted": notification.admitted,
            "comment": notification.comment if notification_visible(notification, user) else "",
            "created_at": _when(notification.created_at),
            "read_at": _when(notification.read_at),
        }
        for notification in rows
    ]


def _wagtail_profile(user) -> dict:
    profile = UserProfile.objects.filter(user=user).first()
    if profile is None:
        return {}
    return {
        "preferred_language": profile.preferred_language,
        "current_time_zone": profile.current_time_zone,
        "has_avatar": bool(profile.avatar),
    }


def member_data_export(user) -> dict:
    """Everything held about `user`, as JSON-ready data (docs/data-protection.md)."""
    user = get_user_model().objects.get(pk=user.pk)
    editor_of = [community.name for community in editor_communities(user)]
    comments, replies = _comments(user)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.get_username(),
            "display_name": get_user_display_name(user),
            "email": user.email,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "is_staff": is_staff(user),
            "two_factor_devices": [
                {"name": device.name, "confirmed": device.confirmed}
                for device in user.totpdevice_set.all()
            ],
        },
        "memberships": [
            {"community": community.name, "slug": community.slug}
            for community in communities_of(user)
        ],
        "editor_of": editor_of,
        "join_requests": [
            {
                "community": join_request.community.name,
                "status": join_request.status,
                "message": join_request.message,
                "created_at": _when(join_request.created_at),
                "decided_at": _when(join_request.decided_at),
            }
            for join_request in JoinRequest.objects.filter(user=user).select_related("community")
        ],
        "invitations_used": [
            {"community": invitation.community.name, "used_at": _when(invitation.used_at)}
            for invitation in Invitation.objects.filter(used_by=user).select_related("community")
        ],
        "pages": _pages(user),
        "revisions": _revisions(user),
        "comments": comments,
        "comment_replies": replies,
        "nominations": _nominations(user),
        "elections": _election_records(user),
        "invitations_created": [
            {
                "community": invitation.community.name,
                "note": invitation.note,
                "created_at": _when(invitation.created_at),
                "expires_at": _when(invitation.expires_at),
                "used": invitation.used_by_id is not None,
            }
            for invitation in Invitation.objects.filter(created_by=user).select_related("community")
        ],
        "notifications": _notifications(user),
        "remembrances": remembrances_export(user),
        "conversations": conversations_export(user),
        "gatherings": gatherings_export(user),
        "proposals": proposals_export(user),
        "notification_email_off": sorted(email_off_kinds(user)),
        "admin_preferences": _wagtail_profile(user),
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created": _when(token.created),
                "last_used_at": _when(token.last_used_at),
                "revoked_at": _when(token.revoked_at),
            }
            for token in APIToken.objects.filter(user=user)
        ],
        "feed_tokens": [
            {"created_at": _when(token.created_at), "revoked_at": _when(token.revoked_at)}
            for token in FeedToken.objects.filter(user=user)
        ],
        "sign_in_attempts": _sign_in_attempts(user),
        "not_included": [
            "ballot contents: a ballot is never linked to the person who cast it",
            "password: only a one-way hash is kept",
            "token values: only one-way hashes are kept",
        ],
    }


def _sign_in_attempts(user) -> list[dict]:
    """Failed sign-ins that django-axes keeps for throttling (for an hour)."""
    return [
        {
            "ip_address": attempt.ip_address,
            "failures": attempt.failures_since_start,
            "attempt_time": _when(attempt.attempt_time),
        }
        for attempt in AccessAttempt.objects.filter(username=user.get_username())
    ]


# API tokens ----------------------------------------------------------------------------------


def api_tokens_of(user):
    """The user's tokens that still work (not revoked), newest first."""
    return APIToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created", "-pk")
