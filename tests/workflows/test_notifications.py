"""Notifications: what is new for a member, on the site and by e-mail (docs/moderation.md).

Each kind is tested from the event that causes it; each allowed reader has a denied twin on the
same setup (the other community's member and editor, the author, staff); a notification naming
what its recipient may no longer see answers exactly like none at all.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client, TestCase, override_settings
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_rejected

from community_pages.models import Community
from community_pages.services import join_request_decide, membership_request
from home.selectors import member_data_export
from home.services import member_delete
from tests.conftest import ALL_ROLES, ANONYMOUS
from tests.workflows.test_moderation import LIBRARY, _submit
from workflows import signal_handlers
from workflows.models import Notification, NotificationEmailOff, NotificationKind
from workflows.services.review import review_approve, review_request_changes

NOTIFICATIONS = "/account/notifications/"
TITLE = "Peer line"


def _page(client_for, page_at):
    return _submit(client_for("frontline-member"), page_at(LIBRARY))


def _shows(client: Client, text: str) -> bool:
    response = client.get(NOTIFICATIONS)
    assert response.status_code == HTTPStatus.OK
    return text in response.content.decode()


def _header_count(client: Client) -> str:
    body = client.get("/account/").content.decode()
    marker = 'class="badge">'
    return body.split(marker, 1)[1].split("<", 1)[0] if marker in body else ""


# Who sees what -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_review_waiting__only_the_pages_reviewers_see_it(client_for, page_at, role):
    _page(client_for, page_at)
    client = client_for(role)
    if role == ANONYMOUS:
        response = client.get(NOTIFICATIONS)
        assert response.status_code == HTTPStatus.FOUND
        assert "/account/login/" in response.url
        return
    sees = role == "frontline-editor"
    assert _shows(client, f"“{TITLE}” awaits your review.") is sees
    assert _header_count(client) == ("1 new notification" if sees else "")
    review = Notification.objects.filter(kind=NotificationKind.REVIEW_WAITING)
    assert review.filter(recipient__username=role).exists() is sees


def test_a_notification_naming_what_the_recipient_may_not_see__is_missing(
    client_for, page_at, user
):
    """Twins: the same row for the page's reviewer and for another community's editor (as if
    they had been one, e.g. before an election); then the reviewer voted out."""
    page = _page(client_for, page_at)
    Notification.objects.create(
        recipient=user("bereaved-editor"), kind=NotificationKind.REVIEW_WAITING, page=page
    )
    Notification.objects.create(
        recipient=user("bereaved-member"), kind=NotificationKind.DRAFT_APPROVED, page=page
    )
    for role in ("bereaved-editor", "bereaved-member"):
        other = client_for(role)
        assert not _shows(other, TITLE)
        assert _header_count(other) == ""
        assert TITLE not in str(member_data_export(user(role))["notifications"])
    editor = client_for("frontline-editor")
    assert _shows(editor, TITLE)
    community = Community.objects.get(slug="frontline")
    user("frontline-editor").groups.remove(community.editors_group)
    editor = client_for("frontline-editor")
    assert not _shows(editor, TITLE)
    assert _header_count(editor) == ""


# Each kind, from its event -----------------------------------------------------------------------


def test_approved_and_sent_back__the_author_is_told__mark_read(client_for, page_at, user):
    page = _page(client_for, page_at)
    review_request_changes(page=page, user=user("frontline-editor"), comment="Add the hours.")
    author = client_for("frontline-member")
    assert _shows(author, f"Your draft “{TITLE}” was sent back for changes.")
    assert _shows(author, "Add the hours.")
    assert not _shows(client_for("frontline-editor"), f"Your draft “{TITLE}”")
    page.refresh_from_db()
    WorkflowState.objects.for_instance(page).get().resume(user("frontline-member"))
    review_approve(page=page, user=user("frontline-editor"))
    assert _shows(author, f"Your draft “{TITLE}” was approved and published.")
    assert _header_count(author) == "2 new notifications"

    unread = Notification.objects.filter(read_at__isnull=True)  # not the demo's, read long ago
    one = unread.filter(recipient=user("frontline-member")).first()
    assert author.post(NOTIFICATIONS, {"action": "read", "notification": one.pk}).status_code == (
        HTTPStatus.FOUND
    )
    assert _header_count(author) == "1 new notification"
    author.post(NOTIFICATIONS, {"action": "read", "notification": "all"})
    assert _header_count(author) == ""
    # Another member cannot mark someone else's as read.
    theirs = Notification.objects.create(
        recipient=user("frontline-editor"), kind=NotificationKind.REVIEW_WAITING, page=page
    )
    author.post(NOTIFICATIONS, {"action": "read", "notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("admit", [True, False])
def test_join_request_decided__the_applicant_is_told(client_for, user, admit):
    community = Community.objects.get(slug="bereaved")
    request = membership_request(user=user("frontline-member"), community=community)
    join_request_decide(join_request_id=request.pk, decided_by=user("bereaved-editor"), admit=admit)
    said = (
        "You were welcomed into Bereaved by substance use."
        if admit
        else "Your request to join Bereaved by substance use was declined."
    )
    assert _shows(client_for("frontline-member"), said)
    assert not _shows(client_for("bereaved-member"), "Bereaved by substance use")


# E-mail: after commit, on the configured address, per kind ---------------------------------------


def test_email__only_after_commit__never_for_a_decision_rolled_back(
    client_for, page_at, user, django_capture_on_commit_callbacks
):
    page = _page(client_for, page_at)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        review_approve(page=page, user=user("frontline-editor"))
        raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.filter(kind=NotificationKind.DRAFT_APPROVED).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        review_approve(page=page, user=user("frontline-editor"))
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Your draft was approved", ["frontline-member@example.org"])
    ]


def test_email__wagtails_immediate_notifiers_are_replaced_by_ours():
    from wagtail.admin.signal_handlers import (
        workflow_approval_email_notifier,
        workflow_rejection_email_notifier,
    )

    for signal, ours, wagtails in (
        (
            workflow_approved,
            signal_handlers.draft_approved_notify,
            workflow_approval_email_notifier,
        ),
        (
            workflow_rejected,
            signal_handlers.draft_sent_back_notify,
            workflow_rejection_email_notifier,
        ),
    ):
        receivers, _async = signal._live_receivers(WorkflowState)
        assert ours in receivers
        assert wagtails not in receivers


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8205")
def test_email__links_use_the_configured_address_and_port__subject_names_nothing(
    client_for, page_at
):
    mail.outbox.clear()
    page = _page(client_for, page_at)
    (sent,) = [m for m in mail.outbox if m.to == ["frontline-editor@example.org"]]
    assert sent.subject == "A draft awaits your review"
    assert f"http://127.0.0.1:8205/admin/pages/{page.pk}/edit/" in sent.body
    assert "http://127.0.0.1:8205/account/notifications/" in sent.body
    assert TITLE in sent.body and "Frontline" not in sent.subject


def test_email__in_the_recipients_language(client_for, page_at, user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user("frontline-editor"))
    profile.preferred_language = "es"
    profile.save()
    mail.outbox.clear()
    page = _page(client_for, page_at)
    (sent,) = [m for m in mail.outbox if m.to == ["frontline-editor@example.org"]]
    assert sent.subject == "Un borrador espera su revisión"
    assert f"«{TITLE}» espera su revisión." in sent.body
    assert f"/admin/pages/{page.pk}/edit/" in sent.body
    # The twin: the author, who chose no language, is written to in the site's (English).
    with TestCase.captureOnCommitCallbacks(execute=True):
        review_approve(page=page, user=user("frontline-editor"))
    (told,) = [m for m in mail.outbox if m.to == ["frontline-member@example.org"]]
    assert told.subject == "Your draft was approved"
    assert f"Your draft “{TITLE}” was approved and published." in told.body


def test_email__a_member_turns_a_kind_off__still_shown_on_the_site(client_for, page_at, user):
    editor = client_for("frontline-editor")
    kept = [k for k in NotificationKind.values if k != NotificationKind.REVIEW_WAITING]
    assert editor.post(NOTIFICATIONS, {"action": "email", "email": kept}).status_code == (
        HTTPStatus.FOUND
    )
    assert NotificationEmailOff.objects.filter(user=user("frontline-editor")).count() == 1
    mail.outbox.clear()
    _page(client_for, page_at)
    assert [m for m in mail.outbox if m.to == ["frontline-editor@example.org"]] == []
    assert _shows(editor, f"“{TITLE}” awaits your review.")
    page = editor.get(NOTIFICATIONS).content.decode()
    assert 'value="review_waiting">' in page and 'value="draft_approved" checked>' in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "email", "email": ["bogus"]}, "email"),
        ({"action": "read", "notification": "abc"}, "notification"),
        ({"action": "shout"}, "action"),
    ],
)
def test_bad_input__400_naming_the_field__changes_nothing(client_for, user, data, field):
    response = client_for("frontline-member").post(NOTIFICATIONS, data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.content.decode().startswith(f"{field}:")
    assert not NotificationEmailOff.objects.filter(user=user("frontline-member")).exists()


# Export and deletion -----------------------------------------------------------------------------


def test_export_and_deletion(client_for, page_at, user):
    _page(client_for, page_at)
    editor = user("frontline-editor")
    NotificationEmailOff.objects.create(user=editor, kind=NotificationKind.JOIN_DECIDED)
    data = member_data_export(editor)
    kinds = [n["kind"] for n in data["notifications"]]
    assert kinds == ["review_waiting", "reply_new"]  # the demo's: a reply after theirs
    assert data["notification_email_off"] == ["join_decided"]
    member_delete(user=editor, keep_published=True)
    assert not Notification.objects.filter(recipient_id=editor.pk).exists()
    assert not NotificationEmailOff.objects.filter(user_id=editor.pk).exists()
