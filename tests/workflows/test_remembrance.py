"""Remembrance, with consent (issue 17, item 4; docs/community-tools.md, "Remembrance"): made,
shown behind a content note, changed, withdrawn, hidden by an editor with a reason the author
reads, reminded only to the author who asked, in the export, and gone with the account unless
handed to the community. The access matrix is tests/workflows/test_remembrance_access.py."""

from __future__ import annotations

import datetime
import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.images import get_image_model

from community_pages.models import Community
from core.access import members_of
from home.selectors import member_data_export
from home.services import member_delete
from tests.security.payloads import PAYLOADS, looks_executable
from workflows import spaces
from workflows.models import Notification, NotificationKind
from workflows.remembrance.models import Remembrance
from workflows.remembrance.services import remembrance_create, remembrance_dates_remind
from workflows.selectors.notifications import notifications_for
from workflows.services.scheduled import editor_terms_expire

NAME = "Tomasito"
NOTE = "This is where members remember people they lost."


def _image(space_slug: str):
    space = spaces.space_by_slug(space_slug)
    collection = Community.objects.get(slug=space_slug).collection
    assert space is not None
    return get_image_model().objects.filter(collection__path__startswith=collection.path).first()


def _make(user, **data):
    fields = {"name": NAME, "words": "My little brother, who sang in the car."} | data
    return remembrance_create(user=user, space=spaces.space_by_slug("bereaved"), data=fields)


def _form(**data) -> dict:
    return {"name": NAME, "words": "He sang in the car.", "remind_on": ""} | data


def test_new__a_member_shares_one__shown_after_the_content_note(client_for, user):
    client = client_for("bereaved-member")
    form = client.get("/remembrance/bereaved/new/")
    assert form.status_code == HTTPStatus.OK
    assert b"We suggest a first name only" in form.content  # the form suggests it, and why
    handover = re.search(rb'<input[^>]*name="hand_to_community"[^>]*>', form.content).group()
    assert b"checked" not in handover  # off by default
    photo = _image("bereaved")
    response = client.post(
        "/remembrance/bereaved/new/", _form(photo=photo.pk, photo_alt="At the lake")
    )
    item = Remembrance.objects.get(name=NAME)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/remembrance/bereaved/{item.pk}/"
    assert item.author == user("bereaved-member") and not item.hand_to_community

    detail = client_for("member-of-both").get(f"/remembrance/bereaved/{item.pk}/").content.decode()
    assert detail.index(NOTE) < detail.index("He sang in the car.")
    assert f'src="/images/{photo.pk}/' in detail  # the membership view serves it
    listing = client_for("bereaved-editor").get("/remembrance/bereaved/")
    assert NOTE.encode() in listing.content and NAME.encode() not in listing.content
    continued = client_for("bereaved-editor").get("/remembrance/bereaved/", {"continue": "1"})
    text = continued.content.decode()
    assert text.index(NOTE) < text.index(NAME)


def test_new__another_communitys_photo_is_refused__nothing_made(client_for):
    client = client_for("member-of-both")  # may see frontline's images, but not to use here
    response = client.post("/remembrance/bereaved/new/", _form(photo=_image("frontline").pk))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Remembrance.objects.exists()
    api = client.post(
        "/api/v2/remembrances/",
        {"space": "bereaved", "name": NAME, "words": "x", "photo": _image("frontline").pk},
        content_type="application/json",
    )
    assert api.status_code == HTTPStatus.BAD_REQUEST and api.json()["field"] == "photo"
    assert not Remembrance.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"born": "2001-05-01", "died": "1999-01-01"}, "died"),
        ({"died": "2999-01-01"}, "died"),
        ({"name": " "}, "name"),
        ({"remind_on": "died"}, "remind_on"),  # no date to remind of
    ],
)
def test_new__bad_input_names_the_field__nothing_made(client_for, change, field):
    response = client_for("bereaved-member").post(
        "/api/v2/remembrances/",
        {"space": "bereaved", "name": NAME, "words": "x"} | change,
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["field"] == field
    assert not Remembrance.objects.exists()


def test_change_and_withdraw__only_the_author(client_for, user):
    item = _make(user("bereaved-member"))
    other = client_for("bereaved-editor")
    assert other.get(f"/remembrance/bereaved/{item.pk}/edit/").status_code == 404
    assert other.post(f"/remembrance/bereaved/{item.pk}/withdraw/").status_code == 404
    author = client_for("bereaved-member")
    response = author.post(f"/remembrance/bereaved/{item.pk}/edit/", _form(name="Tomás"))
    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.name == "Tomás"
    assert author.post(f"/remembrance/bereaved/{item.pk}/withdraw/").status_code == 302
    assert not Remembrance.objects.filter(pk=item.pk).exists()


def test_hide__editor_gives_a_reason_the_author_reads__gone_for_others(client_for, user):
    item = _make(user("bereaved-member"))
    url = f"/remembrance/bereaved/{item.pk}/"
    member = client_for("member-of-both")
    assert member.post(url + "moderate/", {"reason": "no"}).status_code == 404  # not an editor
    editor = client_for("bereaved-editor")
    assert editor.post(url + "moderate/", {"reason": ""}).status_code == 400  # a reason is needed
    assert editor.post(url + "moderate/", {"reason": "Names a living person."}).status_code == 302
    assert b"Names a living person." in client_for("bereaved-member").get(url).content
    assert member.get(url).status_code == HTTPStatus.NOT_FOUND
    listed = member.get("/remembrance/bereaved/", {"continue": "1"})
    assert NAME.encode() not in listed.content
    api = client_for("member-of-both").get(f"/api/v2/remembrances/{item.pk}/")
    assert api.status_code == HTTPStatus.NOT_FOUND
    assert editor.post(url + "moderate/", {"action": "restore"}).status_code == 302
    assert member.get(url).status_code == HTTPStatus.OK


def test_author_who_left__no_longer_shown_to_the_community(client_for, user):
    author = user("member-of-both")
    item = _make(author)
    author.groups.remove(Community.objects.get(slug="bereaved").members_group)
    response = client_for("bereaved-member").get(f"/remembrance/bereaved/{item.pk}/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_never_by_surprise__front_door_search_and_space_page(client_for, user):
    before = Notification.objects.count()  # the demo's
    _make(user("bereaved-member"))
    client = client_for("bereaved-member")
    assert NAME.encode() not in client.get("/").content
    words = b"sang in the car"  # the search pages repeat the query: look for the text instead
    assert words not in client.get("/search/", {"q": NAME}).content
    assert words not in client.get("/search/", {"q": "sang"}).content
    assert NAME.encode() not in client.get("/api/search/", {"q": "sang"}).content
    space = client.get("/bereaved/").content.decode()
    assert NAME not in space
    assert 'href="/remembrance/bereaved/"' in space
    assert "Content note: about people who died" in space
    common_ground = client_for("bereaved-member").get("/common-ground/").content.decode()
    assert "/remembrance/" not in common_ground  # only in communities
    assert Notification.objects.count() == before  # making one tells nobody


def test_reminder__only_the_author_who_asked__once_a_year(
    user, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    author = user("bereaved-member")
    asked = _make(author, born="1992-02-29", remind_on="born")
    _make(user("bereaved-editor"), born="1990-02-28")  # a date, but no reminder asked
    assert remembrance_dates_remind(datetime.date(2027, 3, 1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert remembrance_dates_remind(datetime.date(2027, 2, 28)) == 1  # 29 Feb in 2027
    assert remembrance_dates_remind(datetime.date(2027, 2, 28)) == 0  # exactly once
    sent = Notification.objects.get(read_at__isnull=True)  # the only new one (the demo's: read)
    assert sent.recipient == author and sent.kind == NotificationKind.REMEMBRANCE_DATE
    unread = [n.pk for n in notifications_for(author) if n.read_at is None]  # not the demo's
    assert unread == [sent.pk]
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert mail.outbox[0].subject == "A date you asked to be reminded of"  # names nobody
    asked.delete()  # withdrawn: the reminder is gone with it
    assert sent.pk not in [n.pk for n in notifications_for(author)]


def test_reminder__sent_by_the_scheduled_job(user):
    author = user("bereaved-member")
    today = timezone.localdate()
    _make(author, died=today.replace(year=today.year - 4), remind_on="died")
    done = editor_terms_expire(now=timezone.now())
    assert "sent 1 remembrance reminder(s)" in done
    assert editor_terms_expire(now=timezone.now()) == []  # exactly once
    assert Notification.objects.get(read_at__isnull=True).recipient == author  # the only new one


def test_export_and_deletion__goes_unless_handed_to_the_community(client_for, user):
    author = user("member-of-both")
    kept = _make(author, name="Ana", hand_to_community=True, remind_on="")
    gone = _make(author, name="Luis")
    exported = member_data_export(author)["remembrances"]
    assert {e["name"] for e in exported} == {"Ana", "Luis"}
    assert all(e["community"] for e in exported)
    member_delete(user=author, keep_published=True)
    assert not Remembrance.objects.filter(pk=gone.pk).exists()
    kept.refresh_from_db()
    assert kept.author is None and kept.remind_on == ""
    page = client_for("bereaved-member").get(f"/remembrance/bereaved/{kept.pk}/")
    assert b"Left with the community by a former member" in page.content
    assert members_of(Community.objects.get(slug="bereaved")).count() >= 2


def test_hostile_text__comes_out_inert_on_every_page(client_for, user):
    payload = " ".join(PAYLOADS)
    item = _make(
        user("bereaved-member"),
        name=PAYLOADS[0],
        words=payload,
        photo=_image("bereaved").pk,
        photo_alt=PAYLOADS[1],
    )
    client = client_for("bereaved-member")
    for url in (
        f"/remembrance/bereaved/{item.pk}/",
        f"/remembrance/bereaved/{item.pk}/edit/",
        "/remembrance/bereaved/?continue=1",
    ):
        assert looks_executable(client.get(url).content.decode()) == [], url
