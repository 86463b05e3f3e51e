"""Wagtail's admin reports are for staff only.

Their filters and columns name people across every page: the workflow report's "Requested by",
the locked pages report's "Locked by", the site history's "User". A frontline member opening
them would learn who writes in the bereaved community. Members and editors are refused every
report (and the Reports menu is not shown to them); staff see them, and see the names, on the
same setup.

For anyone but staff they are not there at all: the admin's allow-list for non-staff
(`AdminPagePrivacyMiddleware.FOR_MEMBERS`) does not list them, so they answer the site's 404.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from tests.conftest import ROLES, shared_setup

REPORTS = [
    "locked_pages",
    "locked_pages_results",
    "workflow",
    "workflow_results",
    "workflow_tasks",
    "workflow_tasks_results",
    "site_history",
    "site_history_results",
    "aging_pages",
    "aging_pages_results",
    "page_types_usage",
    "page_types_usage_results",
]
NON_STAFF = [role for role in ROLES if role != "staff"]


@pytest.fixture(scope="class")
def bereaved_activity(django_db_setup, django_db_blocker):
    """A bereaved member's submitted draft and a page locked by the bereaved editor, made once
    for the class (its tests only read them) and rolled back after it."""
    with shared_setup(django_db_blocker):
        _bereaved_activity()
        yield


def _bereaved_activity():
    def page_at(url_path):
        return Page.objects.get(url_path=f"/home{url_path}").specific

    member = Client()
    member.force_login(get_user_model().objects.get(username="bereaved-member"))
    library = page_at("/bereaved/resources/")
    response = member.post(
        f"/admin/pages/add/resources/resourcepage/{library.pk}/",
        {
            "title": "A circle for siblings",
            "slug": "circle-for-siblings",
            "summary": "Shared by a member.",
            "kind": "website",
            "link": "https://example.org/",
            "last_reviewed": "",
            "action-submit": "Submit",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    guides = page_at("/bereaved/guides/")
    guides.locked = True
    guides.locked_by = get_user_model().objects.get(username="bereaved-editor")
    guides.save()


class TestWithActivityToLeak:
    """Each report on the same setup: a bereaved member's draft in moderation, a locked page."""

    @pytest.mark.parametrize("role", NON_STAFF)
    @pytest.mark.parametrize("report", REPORTS)
    def test_reports__refused_to_members_and_editors(
        self, client_for, bereaved_activity, role, report
    ):
        response = client_for(role).get(reverse(f"wagtailadmin_reports:{report}"))
        assert response.status_code == HTTPStatus.NOT_FOUND  # like any address the admin lacks
        body = response.content.decode()
        for name in {"bereaved-member", "bereaved-editor"} - {role}:  # the header names oneself
            assert name not in body

    @pytest.mark.parametrize("report", REPORTS)
    def test_reports__staff_see_them(self, client_for, bereaved_activity, report):
        response = client_for("staff").get(reverse(f"wagtailadmin_reports:{report}"))
        assert response.status_code == HTTPStatus.OK

    def test_reports__staff_see_the_names_members_must_not(self, client_for, bereaved_activity):
        """The setup has something to leak: staff's workflow and locked reports name the people."""
        staff = client_for("staff")
        assert (
            "bereaved-member"
            in staff.get(reverse("wagtailadmin_reports:workflow")).content.decode()
        )
        locked = staff.get(reverse("wagtailadmin_reports:locked_pages")).content.decode()
        assert "bereaved-editor" in locked


@pytest.mark.parametrize(("role", "shown"), [("staff", True), *[(r, False) for r in NON_STAFF]])
def test_reports_menu__only_for_staff(client_for, role, shown):
    response = client_for(role).get("/admin/")
    if role == "applicant":  # no admin at all
        assert response.status_code != HTTPStatus.OK
        return
    assert response.status_code == HTTPStatus.OK
    assert ("/admin/reports/" in response.content.decode()) is shown
