"""Who changed memberships, groups, page permissions and privacy: in the admin's site history
for staff. Entries name accounts by id, never by name or e-mail."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, ModelLogEntry, PageLogEntry, PageViewRestriction

from community_pages.models import JoinRequest
from home.audit import (
    GROUP_MEMBER_ADDED,
    GROUP_MEMBER_REMOVED,
    JOIN_REQUEST_DECIDED,
    PAGE_PERMISSION_ADDED,
    PAGE_PERMISSION_REMOVED,
)

pytestmark = pytest.mark.django_db


def test_join_request_admitted__logged_with_the_editor_as_actor(client_for, user):
    join_request = JoinRequest.objects.get(user__username="applicant", status="pending")
    response = client_for("bereaved-editor").post(
        f"/admin/membership/requests/{join_request.pk}/", {"action": "admit"}
    )
    assert response.status_code == HTTPStatus.FOUND
    decided = ModelLogEntry.objects.filter(action=JOIN_REQUEST_DECIDED).latest("pk")
    assert decided.user_id == user("bereaved-editor").pk
    assert decided.data == {"user_id": user("applicant").pk, "status": "admitted"}
    added = ModelLogEntry.objects.filter(action=GROUP_MEMBER_ADDED).latest("pk")
    assert added.data == {"user_id": user("applicant").pk}
    assert added.user_id == user("bereaved-editor").pk


def test_leave__logged_with_the_member_as_actor(client_for, user):
    before = ModelLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client_for("frontline-member").post("/leave/frontline/")
    assert response.status_code == HTTPStatus.FOUND
    removed = ModelLogEntry.objects.filter(action=GROUP_MEMBER_REMOVED, pk__gt=before)
    assert removed.exists()
    assert {entry.user_id for entry in removed} == {user("frontline-member").pk}


def test_page_permissions__added_and_removed_are_logged(page_at):
    group = Group.objects.create(name="Audit test group")
    permission = Permission.objects.get(codename="add_page")
    grant = GroupPagePermission.objects.create(
        group=group, page=page_at("/frontline/"), permission=permission
    )
    grant.delete()
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(group.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == [PAGE_PERMISSION_ADDED, PAGE_PERMISSION_REMOVED]


def test_site_history__staff_read_our_entries_members_do_not(client_for):
    client_for("frontline-member").post("/leave/frontline/")
    staff = client_for("staff").get("/admin/reports/site-history/")
    assert staff.status_code == HTTPStatus.OK
    assert "Group member removed" in staff.content.decode()
    member = client_for("frontline-editor").get("/admin/reports/site-history/")
    assert member.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN) or (
        "Group member removed" not in member.content.decode()
    )


def test_privacy_change__logged_by_wagtail(client_for, page_at):
    page = page_at("/frontline/resources/")
    response = client_for("staff").post(
        f"/admin/pages/{page.pk}/privacy/",
        {"restriction_type": PageViewRestriction.LOGIN},
    )
    assert response.status_code == HTTPStatus.OK
    assert PageLogEntry.objects.filter(
        page=page, action__startswith="wagtail.view_restriction"
    ).exists()
