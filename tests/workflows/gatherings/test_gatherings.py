"""Gatherings through HTTP: the list and the page, RSVPs and the waiting list, the address for
those coming only, the bring-list, a series, bad input, reminders (docs/community-tools.md)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from home.demo.community_tools import POTLUCK
from tests.conftest import shared_setup
from tests.workflows.gatherings.conftest import future, make_gathering
from workflows.gatherings.models import BringItem, Gathering, Rsvp
from workflows.gatherings.services import reminders_send
from workflows.models import Notification, NotificationKind
from workflows.services.scheduled import editor_terms_expire


@pytest.fixture(scope="module")
def potluck(django_db_setup, django_db_blocker):
    with shared_setup(django_db_blocker):
        [gathering] = make_gathering("bereaved-member", "bereaved", capacity=2)
        yield gathering.pk


def _url(pk, suffix=""):
    return f"/gatherings/bereaved/{pk}/{suffix}"


def test_list__shows_upcoming_with_counts(client_for, potluck):
    response = client_for("bereaved-editor").get("/gatherings/bereaved/")
    assert response.status_code == 200
    assert b"Spring potluck" in response.content
    assert f"/gatherings/bereaved/{potluck}/".encode() in response.content


def test_list__a_past_gathering_is_not_listed(client_for, potluck):
    Gathering.objects.filter(pk=potluck).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2)
    )
    response = client_for("bereaved-editor").get("/gatherings/bereaved/")
    assert b"Spring potluck" not in response.content


def test_detail__address_only_for_those_coming(client_for, potluck):
    editor = client_for("bereaved-editor")
    response = editor.get(_url(potluck))
    assert response.status_code == 200
    assert b"Riverside" in response.content
    assert b"12 Elm Street" not in response.content
    assert b"shown to those who say they are coming" in response.content
    editor.post(_url(potluck, "rsvp/"), {"answer": "maybe"})
    assert b"12 Elm Street" not in editor.get(_url(potluck)).content
    assert editor.post(_url(potluck, "rsvp/"), {"answer": "yes"}).status_code == 302
    assert b"12 Elm Street" in editor.get(_url(potluck)).content
    # The organiser sees it without answering.
    assert b"12 Elm Street" in client_for("bereaved-member").get(_url(potluck)).content


def test_detail__address_for_everyone_when_the_organiser_chose_so(client_for, potluck):
    Gathering.objects.filter(pk=potluck).update(address_for_coming_only=False)
    assert b"12 Elm Street" in client_for("bereaved-editor").get(_url(potluck)).content


def test_rsvp__full_puts_on_the_waiting_list_and_a_freed_place_goes_to_the_first(
    client_for, potluck, user
):
    Gathering.objects.filter(pk=potluck).update(capacity=1)
    first, second = client_for("bereaved-editor"), client_for("member-of-both")
    assert first.post(_url(potluck, "rsvp/"), {"answer": "yes"}).status_code == 302
    response = second.post(_url(potluck, "rsvp/"), {"answer": "yes"}, follow=True)
    assert b"waiting list" in response.content
    waiting = Rsvp.objects.get(gathering_id=potluck, user=user("member-of-both"))
    assert waiting.answer == Rsvp.Answer.WAITING
    # Saying yes again changes nothing: still one row, still waiting.
    second.post(_url(potluck, "rsvp/"), {"answer": "yes"})
    assert Rsvp.objects.filter(gathering_id=potluck, user=user("member-of-both")).count() == 1
    first.post(_url(potluck, "rsvp/"), {"answer": "no"})
    waiting.refresh_from_db()
    assert waiting.answer == Rsvp.Answer.YES
    told = Notification.objects.filter(
        recipient=user("member-of-both"), kind=NotificationKind.GATHERING_PLACE
    )
    assert told.count() == 1
    assert b"12 Elm Street" in second.get(_url(potluck)).content


def test_rsvp__bad_answer_is_400_and_changes_nothing(client_for, potluck):
    response = client_for("bereaved-editor").post(_url(potluck, "rsvp/"), {"answer": "perhaps"})
    assert response.status_code == 400
    assert b"Answer yes, maybe or no." in response.content
    assert not Rsvp.objects.filter(gathering_id=potluck).exists()


def test_rsvp__after_the_start_is_refused(client_for, potluck):
    Gathering.objects.filter(pk=potluck).update(starts_at=timezone.now() - timedelta(minutes=5))
    response = client_for("bereaved-editor").post(_url(potluck, "rsvp/"), {"answer": "yes"})
    assert response.status_code == 400
    assert not Rsvp.objects.filter(gathering_id=potluck).exists()


def test_bring_list__claim_once_and_give_back(client_for, potluck, user):
    salad = BringItem.objects.get(gathering_id=potluck, what="Salad")
    editor, other = client_for("bereaved-editor"), client_for("member-of-both")
    assert (
        editor.post(_url(potluck, "bring/"), {"action": "claim", "item": salad.pk}).status_code
        == 302
    )
    response = other.post(_url(potluck, "bring/"), {"action": "claim", "item": salad.pk})
    assert response.status_code == 400
    assert b"Someone is already bringing this." in response.content
    salad.refresh_from_db()
    assert salad.claimed_by == user("bereaved-editor")
    assert (
        other.post(_url(potluck, "bring/"), {"action": "unclaim", "item": salad.pk}).status_code
        == 400
    )
    editor.post(_url(potluck, "bring/"), {"action": "unclaim", "item": salad.pk})
    salad.refresh_from_db()
    assert salad.claimed_by is None
    other.post(_url(potluck, "bring/"), {"action": "add", "what": "  Candles  "})
    assert BringItem.objects.filter(gathering_id=potluck, what="Candles").exists()


def test_bring_list__an_item_of_another_gathering_is_refused(client_for, potluck):
    [other] = make_gathering("bereaved-editor", "bereaved", title="Walk", bring_list=["Water"])
    water = other.bring_items.get()
    response = client_for("bereaved-editor").post(
        _url(potluck, "bring/"), {"action": "claim", "item": water.pk}
    )
    assert response.status_code == 400
    water.refresh_from_db()
    assert water.claimed_by is None


def test_create__through_the_form_in_the_community_zone(client_for, user):
    day = future(20)
    response = client_for("bereaved-editor").post(
        "/gatherings/bereaved/new/",
        {
            "title": "Remembrance walk",
            "kind": "walk",
            "date": day.isoformat(),
            "start_time": "10:30",
            "time_zone": "America/Chicago",
            "area": "Lakeside park",
            "capacity": "12",
            "address_for_coming_only": "on",
            "also_on": f"{future(120).isoformat()} {future(240).isoformat()}",
        },
    )
    assert response.status_code == 302
    made = list(Gathering.objects.filter(title="Remembrance walk").order_by("starts_at"))
    assert len(made) == 3
    assert len({g.series_id for g in made}) == 1 and made[0].series_id is not None
    assert made[0].local_start.hour == 10 and made[0].local_start.minute == 30
    assert str(made[0].local_start.tzinfo) == "America/Chicago"
    # Each occurrence has its own answers.
    client_for("member-of-both").post(_url(made[0].pk, "rsvp/"), {"answer": "yes"})
    assert made[1].rsvps.count() == 0
    # The space's people are told once, not per date.
    told = Notification.objects.filter(
        kind=NotificationKind.GATHERING_NEW, subject_id__in=[g.pk for g in made]
    )
    assert told.filter(recipient=user("bereaved-member")).count() == 1
    assert not told.filter(recipient=user("bereaved-editor")).exists()
    assert not told.filter(recipient=user("frontline-member")).exists()


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("title", {"title": ""}),
        ("date", {"date": "2001-01-01"}),
        ("end_time", {"end_time": "09:00"}),
        ("time_zone", {"time_zone": "Mars/Olympus"}),
        ("capacity", {"capacity": "0"}),
        ("also_on", {"also_on": "next tuesday"}),
    ],
)
def test_create__bad_input_names_the_field_and_changes_nothing(client_for, field, data):
    before = Gathering.objects.count()
    values = {
        "title": "T",
        "kind": "social",
        "date": future().isoformat(),
        "start_time": "10:00",
        "time_zone": "America/New_York",
        **data,
    }
    response = client_for("bereaved-editor").post("/gatherings/bereaved/new/", values)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert Gathering.objects.count() == before


def test_reminders__the_day_before_to_those_coming_once(client_for, potluck, user):
    client_for("bereaved-editor").post(_url(potluck, "rsvp/"), {"answer": "yes"})
    client_for("member-of-both").post(_url(potluck, "rsvp/"), {"answer": "maybe"})
    now = Gathering.objects.get(pk=potluck).starts_at - timedelta(hours=20)
    reminders = Notification.objects.filter(kind=NotificationKind.GATHERING_REMINDER)
    assert reminders_send(now - timedelta(days=2)) == []
    assert reminders_send(now)
    assert list(reminders.values_list("recipient__username", flat=True)) == ["bereaved-editor"]
    assert reminders_send(now) == []
    assert reminders.count() == 1


def test_reminders__run_by_the_scheduled_job(client_for, potluck):
    client_for("bereaved-editor").post(_url(potluck, "rsvp/"), {"answer": "yes"})
    now = Gathering.objects.get(pk=potluck).starts_at - timedelta(hours=2)
    done = editor_terms_expire(now=now)
    assert any("gathering" in line for line in done)
    assert Notification.objects.filter(kind=NotificationKind.GATHERING_REMINDER).count() == 1


def test_notification__shown_to_people_in_the_space_with_its_link(client_for, potluck):
    response = client_for("bereaved-editor").get("/account/notifications/")
    assert response.status_code == 200
    assert b"A new gathering: Spring potluck" in response.content
    assert _url(potluck).encode() in response.content


def test_time__stored_as_given_in_the_zone(db, potluck):
    gathering = Gathering.objects.get(pk=potluck)
    assert gathering.local_start.time() == time(17, 0)
    assert gathering.local_start.date() == future()
    assert gathering.organiser == get_user_model().objects.get(username="bereaved-member")


def test_list__a_page_at_a_time(client_for, potluck):
    for n in range(51):
        make_gathering("bereaved-editor", "bereaved", title=f"Social {n:02d}", date=future(2 + n))
    client = client_for("bereaved-member")
    first = client.get("/gatherings/bereaved/")
    # 53 upcoming: the potluck (day 10), the demo's (three weeks ahead) and 48 socials first,
    # then the last three socials.
    assert first.content.count(b"Social ") == 48 and b"Spring potluck" in first.content
    assert POTLUCK["title"].encode() in first.content
    assert b'href="?page=2"' in first.content
    second = client.get("/gatherings/bereaved/?page=2")
    assert second.content.count(b"Social ") == 3 and b"Spring potluck" not in second.content
    assert client.get("/gatherings/bereaved/?page=x").status_code == 200


def test_cancel__by_the_organiser_or_an_editor_tells_those_who_answered(client_for, potluck, user):
    client_for("bereaved-editor").post(_url(potluck, "rsvp/"), {"answer": "yes"})
    client_for("member-of-both").post(_url(potluck, "rsvp/"), {"answer": "maybe"})
    client_for("staff").post(_url(potluck, "rsvp/"), {"answer": "no"})
    # A member who neither organised it nor moderates the space may not.
    refused = client_for("member-of-both").post(_url(potluck, "cancel/"))
    assert refused.status_code == 403
    assert Gathering.objects.get(pk=potluck).cancelled_at is None
    organiser = client_for("bereaved-member")
    assert b"Cancel this gathering" in organiser.get(_url(potluck)).content
    assert organiser.post(_url(potluck, "cancel/")).status_code == 302
    told = Notification.objects.filter(kind=NotificationKind.GATHERING_REMINDER, subject_id=potluck)
    assert set(told.values_list("recipient__username", flat=True)) == {
        "bereaved-editor",
        "member-of-both",
    }
    page = client_for("bereaved-editor").get(_url(potluck)).content
    assert b"This gathering is cancelled." in page and b'value="yes"' not in page
    assert (
        b"Spring potluck" not in client_for("bereaved-editor").get("/gatherings/bereaved/").content
    )
    assert (
        b"Cancelled: Spring potluck"
        in client_for("bereaved-editor").get("/account/notifications/").content
    )
    late = client_for("bereaved-editor").post(_url(potluck, "rsvp/"), {"answer": "no"})
    assert late.status_code == 400
    assert Rsvp.objects.get(gathering_id=potluck, user=user("bereaved-editor")).answer == "yes"
    assert reminders_send(Gathering.objects.get(pk=potluck).starts_at - timedelta(hours=2)) == []


def test_cancel__an_editor_of_the_space_may(client_for, potluck):
    assert client_for("bereaved-editor").post(_url(potluck, "cancel/")).status_code == 302
    assert Gathering.objects.get(pk=potluck).cancelled_at is not None
