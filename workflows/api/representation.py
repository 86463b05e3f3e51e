"""How a draft and a review are shown through the API (and read back by PATCH).

A draft's `content` has the fields in the shape the pages endpoint returns them (its model's
`api_fields`: StreamField bodies as `[{"type", "value", "id"}]`, figures with their rendition,
taxonomy as `{slug, name}`), so a client may send back what it read. Names of people are shown
only to those who share a community with them (`selectors.drafts.names_visible_to`): a Common
Ground draft is reviewed by the editors of every community, and naming one of them to a member
of another community would tell who belongs where.
"""

from __future__ import annotations

import copy
import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers
from wagtail.admin.utils import get_user_display_name
from wagtail.fields import StreamField

from workflows.selectors.drafts import IN_REVIEW, ReviewSummary


def page_content(page, request) -> dict:
    """The page's title, slug and API fields, as the pages endpoint shows them."""
    root = serializers.Serializer(context={"request": request})
    data = {"title": page.title, "slug": page.slug}
    for api_field in page.api_fields:
        name = api_field.name
        if api_field.serializer is not None:
            field = copy.deepcopy(api_field.serializer)
            field.bind(name, root)
            data[name] = field.to_representation(field.get_attribute(page))
            continue
        value = getattr(page, name)
        model_field = page._meta.get_field(name)
        if isinstance(model_field, StreamField):
            value = value.stream_block.get_api_representation(value, {"request": request})
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    return data


def _at(moment) -> str | None:
    return moment.isoformat() if moment else None


class People:
    """Display names for the people a viewer may know of; "an editor" / "a member" otherwise."""

    def __init__(self, named_ids: set[int]):
        self.named_ids = named_ids

    def name(self, user, *, fallback: str) -> str:
        if user is None:
            return _("a former member")
        return get_user_display_name(user) if user.pk in self.named_ids else fallback


def space_slug(page) -> str | None:
    parts = page.url_path.strip("/").split("/")
    return parts[1] if len(parts) > 2 else None


def draft_data(page, summary: ReviewSummary, *, user, people: People, parents: dict) -> dict:
    """One of my drafts: its state, the decisions so far, timestamps and what I may do."""
    state = summary.state
    may_edit = page.permissions_for_user(user).can_edit()
    parent = parents.get(page.path[: -page.steplen])
    return {
        "id": page.pk,
        "type": page.specific_class._meta.label,
        "title": page.draft_title or page.title,
        "space": space_slug(page),
        "parent": {"id": parent.pk, "title": parent.title} if parent else None,
        "state": state,
        "live": page.live,
        "comment": summary.comment,
        "decisions": [
            {
                "reviewer": people.name(d.reviewer, fallback=_("an elected editor")),
                "decision": d.decision,
                "comment": d.comment,
                "at": _at(d.at),
            }
            for d in summary.decisions
        ],
        "approvals": _approvals(summary),
        "created_at": _at(summary.created_at),
        "updated_at": _at(page.latest_revision_created_at),
        "submitted_at": _at(summary.submitted_at if state != "draft" else None),
        "decided_at": _at(summary.decided_at),
        "published_at": _at(page.last_published_at),
        "revision_id": page.latest_revision_id,
        "may_edit": may_edit and state != IN_REVIEW,
        "may_submit": may_edit and state not in (IN_REVIEW, "published"),
        "may_withdraw": state in (IN_REVIEW, "changes_requested") and may_edit,
        "url": reverse("api_draft", args=[page.pk]),
    }


def _approvals(summary: ReviewSummary) -> dict | None:
    if summary.state != IN_REVIEW:
        return None
    count = sum(1 for d in summary.decisions if d.decision == "approved")
    return {"count": count, "quorum": summary.quorum}


def review_data(page, summary: ReviewSummary, *, user, people: People, parents: dict) -> dict:
    """A draft waiting for my review: who sent it, when, the approvals so far, what I may do."""
    state_row = summary.workflow_state
    parent = parents.get(page.path[: -page.steplen])
    mine = any(
        d.decision == "approved" and d.reviewer and d.reviewer.pk == user.pk
        for d in summary.decisions
    )
    return {
        "id": page.pk,
        "type": page.specific_class._meta.label,
        "title": page.draft_title or page.title,
        "space": space_slug(page),
        "parent": {"id": parent.pk, "title": parent.title} if parent else None,
        "submitted_by": people.name(
            state_row.requested_by if state_row else None, fallback=_("a member")
        ),
        "submitted_at": _at(summary.submitted_at),
        "revision_id": page.latest_revision_id,
        "revision_created_at": _at(page.latest_revision_created_at),
        "live": page.live,
        "approvals": _approvals(summary),
        "approved_by_me": mine,
        "may_decide": user.pk not in summary.author_ids and not mine,
        "url": reverse("api_review", args=[page.pk]),
    }
