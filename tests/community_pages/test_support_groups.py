"""Support-group pages: the demo groups, the four-week group schedule, and bad input in the
admin (a clear error, nothing saved)."""

from datetime import date, time
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from community_pages import schedules
from community_pages.models import GroupScheduleIndexPage, SupportGroupPage
from community_pages.schedules import MONTHLY_RULE, WEEKLY_RULE, ScheduleError
from community_pages.services import support_group_create
from home.demo.groups import GROUPS, load_groups_demo
from tests.conftest import ANONYMOUS

# Members of each space see these groups' online links; nobody else may.
ONLINE_LINK = {
    "frontline": "https://zoom.us/j/5550100001",
    "bereaved": "https://zoom.us/j/5550100002",
    "common-ground": "https://meet.google.com/abc-defg-hij",
}


# The demo ------------------------------------------------------------------------------------


def test_demo__every_kind_attendance_and_openness(db):
    groups = SupportGroupPage.objects.live()
    assert {g.kind for g in groups} >= {
        SupportGroupPage.Kind.SMART_RECOVERY,
        SupportGroupPage.Kind.SMART_FAMILY,
        SupportGroupPage.Kind.REFUGE_RECOVERY,
        SupportGroupPage.Kind.GRIEF,
        SupportGroupPage.Kind.SOCIAL,
    }
    assert {g.attendance for g in groups} == {"in-person", "online", "hybrid"}
    assert groups.filter(is_open=False).exists()
    assert groups.filter(is_public=True, is_open=True).exists()
    assert all(g.facilitator and " " not in g.facilitator for g in groups)


def test_demo__potluck_three_single_dates_and_a_monthly_group(db):
    potluck = SupportGroupPage.objects.get(slug="grief-circle-potluck")
    assert [r.kind for r in potluck.schedule_rules.all()] == ["date"] * 3
    assert SupportGroupPage.objects.filter(schedule_rules__kind=MONTHLY_RULE).count() >= 2


def test_demo__is_idempotent(db):
    before = SupportGroupPage.objects.count()
    load_groups_demo()
    assert SupportGroupPage.objects.count() == before == len(GROUPS)


# The group schedule page ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["frontline-member", "member-of-both", "staff"])
def test_group_schedule__member_sees_four_weeks_with_online_link(client_for, role):
    response = client_for(role).get("/frontline/groups/")
    assert response.status_code == HTTPStatus.OK
    days = response.context["days"]
    assert len(days) == 28
    titles = {group.title for _day, meetings in days for _o, group in meetings}
    assert "SMART Recovery for care providers" in titles  # weekly: in every four weeks
    body = response.content.decode()
    assert ONLINE_LINK["frontline"] in body
    assert "Grief circle" not in body and ONLINE_LINK["bereaved"] not in body


@pytest.mark.parametrize("role", ["bereaved-member", "applicant", ANONYMOUS])
def test_group_schedule__non_member_sees_no_meeting_or_link(client_for, role):
    response = client_for(role).get("/frontline/groups/")
    # A visitor is sent to sign in; a signed-in non-member gets the 404 (inside a space).
    assert response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.FOUND)
    body = response.content.decode()
    assert ONLINE_LINK["frontline"] not in body
    assert "SMART Recovery for care providers" not in body


@pytest.mark.parametrize(
    ("role", "allowed"), [("bereaved-member", True), ("frontline-member", False)]
)
def test_group_page__online_link_for_members_only(client_for, role, allowed):
    response = client_for(role).get("/bereaved/groups/smart-family-friends/")
    assert (response.status_code == HTTPStatus.OK) is allowed
    assert (ONLINE_LINK["bereaved"] in response.content.decode()) is allowed


def test_group_schedule__days_are_in_order_and_meetings_sorted(client_for):
    days = client_for("staff").get("/bereaved/groups/").context["days"]
    assert [d for d, _ in days] == sorted(d for d, _ in days)
    for _day, meetings in days:
        starts = [o.start for o, _ in meetings]
        assert starts == sorted(starts)


def test_group_schedule__cancelled_date_is_left_out(db, page_at):
    group = SupportGroupPage.objects.get(slug="smart-recovery")
    found = schedules.occurrences(group.schedule(), date(2026, 12, 15), date(2027, 1, 6))
    assert [o.day for o in found] == [date(2026, 12, 15), date(2027, 1, 5)]


def test_only_support_groups_under_the_group_schedule():
    assert GroupScheduleIndexPage.subpage_types == ["community_pages.SupportGroupPage"]
    assert SupportGroupPage.parent_page_types == ["community_pages.GroupScheduleIndexPage"]


# Bad input: a clear error, nothing saved -------------------------------------------------------


def _post_group(client, parent, *, rules, cancellations=(), **overrides):
    fields = {
        "title": "Tuesday test group",
        "slug": "tuesday-test-group",
        "kind": "other",
        "attendance": "in-person",
        "is_open": "on",
        "starts_on": "2026-01-06",
        "start_time": "19:00",
        "end_time": "20:00",
        "time_zone": "America/New_York",
        "state": "MA",
        "languages": "en",
        **overrides,
    }
    data = nested_form_data(
        {
            **fields,
            "schedule_rules": inline_formset(rules, min=1),
            "cancellations": inline_formset(list(cancellations)),
            "comments": inline_formset([]),
        }
    )
    return client.post(f"/admin/pages/add/community_pages/supportgrouppage/{parent.pk}/", data)


WEEKLY_TUESDAY = [{"kind": "weekly", "weekday": "1", "nth": "", "on": ""}]
WEEKLY_SUNDAY = [{"kind": "weekly", "weekday": "6", "nth": "", "on": ""}]


def test_admin__valid_group_is_created(client_for, page_at):
    parent = page_at("/frontline/groups/")
    response = _post_group(
        client_for("staff"), parent, rules=WEEKLY_TUESDAY, cancellations=[{"on": "2026-12-22"}]
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    group = SupportGroupPage.objects.get(slug="tuesday-test-group")
    assert [c.on for c in group.cancellations.all()] == [date(2026, 12, 22)]


@pytest.mark.parametrize(
    ("overrides", "rules", "cancellations", "message"),
    [
        ({"start_time": "19:00", "end_time": "18:30"}, WEEKLY_TUESDAY, [], "after the start"),
        ({"time_zone": "Mars/Olympus_Mons"}, WEEKLY_TUESDAY, [], "Unknown time zone"),
        (
            {},
            [{"kind": "monthly", "weekday": "1", "nth": "5", "on": ""}],
            [],
            "5 is not one of the available choices",
        ),
        ({}, [{"kind": "monthly", "weekday": "1", "nth": "", "on": ""}], [], "week of the month"),
        ({}, [{"kind": "weekly", "weekday": "", "nth": "", "on": ""}], [], "day of the week"),
        ({}, WEEKLY_TUESDAY, [{"on": "2026-12-23"}], "is not a meeting date of this group"),
        ({"facilitator": "Dana Smith"}, WEEKLY_TUESDAY, [], "First name only"),
        ({"phone": "call me"}, WEEKLY_TUESDAY, [], "Digits only"),
        # A Sunday group in a daylight-saving change: 02:30 is skipped in March, 01:30 repeated
        # in November (America/New_York).
        ({"start_time": "02:30", "end_time": "03:30"}, WEEKLY_SUNDAY, [], "skip 02:30"),
        ({"start_time": "00:30", "end_time": "01:30"}, WEEKLY_SUNDAY, [], "01:30 happens twice"),
    ],
)
def test_admin__bad_schedule_gets_a_clear_error_and_saves_nothing(
    client_for, page_at, overrides, rules, cancellations, message
):
    parent = page_at("/frontline/groups/")
    response = _post_group(
        client_for("staff"), parent, rules=rules, cancellations=cancellations, **overrides
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not SupportGroupPage.objects.filter(slug="tuesday-test-group").exists()


def test_service__refuses_a_fifth_tuesday_and_saves_nothing(page_at):
    parent = page_at("/frontline/groups/")
    with pytest.raises(ScheduleError, match="5th weekday does not happen every month"):
        support_group_create(
            parent=parent,
            rules=[(MONTHLY_RULE, 1, 5, None)],
            title="Fifth Tuesday",
            slug="fifth-tuesday",
            kind="other",
            start_time=time(19),
            end_time=time(20),
        )
    assert not SupportGroupPage.objects.filter(slug="fifth-tuesday").exists()


def test_model__unknown_time_zone_fails_full_clean(page_at):
    group = SupportGroupPage.objects.get(slug="smart-recovery")
    group.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "time_zone" in error.value.message_dict


def test_model__end_before_start_fails_full_clean(page_at):
    group = SupportGroupPage.objects.get(slug="smart-recovery")
    group.end_time = time(18)
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "end_time" in error.value.message_dict


def test_service__creates_a_weekly_group(page_at):
    group = support_group_create(
        parent=page_at("/bereaved/groups/"),
        rules=[(WEEKLY_RULE, 4, None, None)],
        title="Friday circle",
        slug="friday-circle",
        kind="grief",
        start_time=time(18),
        end_time=time(19),
    )
    assert group.live and group.schedule().rules[0].weekday == 4


def test_admin__add_and_edit_forms_render(client_for, page_at):
    staff = client_for("staff")
    parent = page_at("/frontline/groups/")
    add = staff.get(f"/admin/pages/add/community_pages/supportgrouppage/{parent.pk}/")
    assert add.status_code == HTTPStatus.OK
    group = SupportGroupPage.objects.get(slug="smart-recovery")
    edit = staff.get(f"/admin/pages/{group.pk}/edit/")
    assert edit.status_code == HTTPStatus.OK
    assert "schedule_rules-TOTAL_FORMS" in edit.content.decode()


def test_admin__editor_edits_a_group_in_their_community_only(client_for):
    group = SupportGroupPage.objects.get(slug="grief-circle")
    assert client_for("bereaved-editor").get(f"/admin/pages/{group.pk}/edit/").status_code == 200
    # Another community's page is not there for them: the admin's 404, as for a missing id.
    other = client_for("frontline-editor").get(f"/admin/pages/{group.pk}/edit/")
    assert other.status_code == HTTPStatus.NOT_FOUND
