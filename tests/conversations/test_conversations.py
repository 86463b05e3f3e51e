"""Conversations through HTTP: start a topic, reply one level deep, plain text with safe links,
edit and delete one's own, report once, hide and restore with a reason the author sees,
notifications, rate limits, a guide's conversation, constant queries per page."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import make_api_client
from workflows.conversations.models import Reply, Report, Topic
from workflows.models import Notification, NotificationEmailOff, NotificationKind

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api(role):
    return make_api_client(role, "session")


def test_start_a_topic_on_the_site__and_bad_input_names_the_field(client_for):
    client = client_for("bereaved-member")
    before = Topic.objects.count()
    bad = client.post("/conversations/bereaved/start/", {"title": "", "body": "Hello"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST and b"errorlist" in bad.content
    assert Topic.objects.count() == before
    done = client.post("/conversations/bereaved/start/", {"title": "Holidays", "body": "How?"})
    topic = Topic.objects.get(title="Holidays")
    assert done.status_code == HTTPStatus.FOUND and done["Location"].endswith(f"/{topic.pk}/")
    assert topic.space.slug == "bereaved" and topic.replies.get().body == "How?"
    listing = client.get("/conversations/bereaved/")
    assert b"Holidays" in listing.content
    assert (
        b"Holidays" not in client_for("frontline-member").get("/conversations/frontline/").content
    )


def test_plain_text_with_safe_links__no_html(convs):
    client = api("bereaved-member")
    body = 'See https://example.org/a?b=1 <script>alert(1)</script> <a href="x">x</a>'
    made = client.post(
        f"/api/v2/conversations/{convs['bereaved']['topic']}/replies/",
        {"body": body},
        content_type=JSON,
    )
    assert made.status_code == HTTPStatus.CREATED
    html = made.json()["body_html"]
    assert '<a href="https://example.org/a?b=1" rel="nofollow ugc noopener">' in html
    assert "<script>" not in html and "&lt;script&gt;" in html and '<a href="x">' not in html
    page = make_api_client("bereaved-member").get(
        f"/conversations/bereaved/{convs['bereaved']['topic']}/"
    )
    assert b"<script>alert" not in page.content


def test_replies_go_one_level_deep__nothing_saved_otherwise(convs):
    client = api("bereaved-member")
    ids = convs["bereaved"]
    before = Reply.objects.count()
    deeper = client.post(
        f"/api/v2/conversations/{ids['topic']}/replies/",
        {"body": "Deeper", "parent": ids["answer"]},
        content_type=JSON,
    )
    assert deeper.status_code == HTTPStatus.BAD_REQUEST and deeper.json()["field"] == "parent"
    empty = client.post(
        f"/api/v2/conversations/{ids['topic']}/replies/", {"body": "  "}, content_type=JSON
    )
    assert empty.status_code == HTTPStatus.BAD_REQUEST and empty.json()["field"] == "body"
    elsewhere = client.post(
        f"/api/v2/conversations/{ids['topic']}/replies/",
        {"body": "x", "parent": convs["common-ground"]["reply"]},
        content_type=JSON,
    )
    assert elsewhere.status_code == HTTPStatus.BAD_REQUEST
    assert Reply.objects.count() == before
    answer = client.post(
        f"/api/v2/conversations/{ids['topic']}/replies/",
        {"body": "Same level", "parent": ids["reply"]},
        content_type=JSON,
    )
    assert answer.status_code == HTTPStatus.CREATED and answer.json()["parent"] == ids["reply"]


def test_edit_and_delete_ones_own__not_anyone_elses(convs, client_for):
    ids = convs["bereaved"]
    author, other = api("bereaved-member"), api("bereaved-editor")
    url = f"/api/v2/conversations/replies/{ids['answer']}/"
    assert other.patch(url, {"body": "Mine now"}, content_type=JSON).status_code == 403
    assert other.delete(url).status_code == 403
    changed = author.patch(url, {"body": "Better words"}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["edited_at"] is not None
    site = client_for("bereaved-member")
    edit = f"/conversations/bereaved/replies/{ids['answer']}/edit/"
    assert site.post(edit, {"body": "Site words"}).status_code == HTTPStatus.FOUND
    assert Reply.objects.get(pk=ids["answer"]).body == "Site words"
    assert client_for("bereaved-editor").get(edit).status_code == HTTPStatus.FORBIDDEN
    # A reply others answered stays as "deleted", without words or author.
    answered = f"/api/v2/conversations/replies/{ids['reply']}/"
    assert api("member-of-both").delete(answered).status_code == 204
    tomb = Reply.objects.get(pk=ids["reply"])
    assert tomb.is_deleted and tomb.body == "" and tomb.author is None
    assert (
        b"This reply was deleted." in site.get(f"/conversations/bereaved/{ids['topic']}/").content
    )
    # Its last answer deleted, the tombstone goes too.
    assert author.delete(url).status_code == 204
    assert not Reply.objects.filter(pk__in=[ids["reply"], ids["answer"]]).exists()


def test_report_once__moderators_see_it__hide_and_restore_notify_the_author(convs, client_for):
    ids = convs["bereaved"]
    reporter = api("bereaved-member")
    url = f"/api/v2/conversations/replies/{ids['reply']}/"
    assert reporter.post(f"{url}report/", {"reason": "Harsh"}, content_type=JSON).status_code == 201
    again = reporter.post(f"{url}report/", {}, content_type=JSON)
    assert (
        again.status_code == HTTPStatus.CONFLICT
        and Report.objects.filter(reply_id=ids["reply"]).count() == 1
    )
    own = api("member-of-both").post(f"{url}report/", {}, content_type=JSON)
    assert own.status_code == HTTPStatus.BAD_REQUEST
    listing = client_for("bereaved-editor").get("/conversations/bereaved/")
    assert b"Reports and hidden replies</a> (1)" in listing.content
    queue = client_for("bereaved-editor").get("/conversations/bereaved/moderation/")
    assert b"A reply in bereaved" in queue.content and b"Harsh" in queue.content
    assert b"bereaved-member" not in queue.content.split(b"<main")[-1].split(b"Harsh")[0][-200:]
    editor = client_for("bereaved-editor")
    no_reason = editor.post(f"/conversations/bereaved/replies/{ids['reply']}/hide/", {"reason": ""})
    assert (
        no_reason.status_code == HTTPStatus.FOUND
        and not Reply.objects.get(pk=ids["reply"]).is_hidden
    )
    editor.post(
        f"/conversations/bereaved/replies/{ids['reply']}/hide/", {"reason": "Please be gentle"}
    )
    assert Reply.objects.get(pk=ids["reply"]).is_hidden
    assert Report.objects.get(reply_id=ids["reply"]).resolved_at is not None
    author = client_for("member-of-both")
    notes = author.get("/account/notifications/")
    assert b"hid your reply" in notes.content and b"Please be gentle" in notes.content
    # Gone for the others: the thread, the API, the answers hanging on it.
    page = client_for("bereaved-member").get(f"/conversations/bereaved/{ids['topic']}/")
    assert (
        b"A reply in bereaved" not in page.content and b"An answer in bereaved" not in page.content
    )
    editor.post(
        f"/conversations/bereaved/replies/{ids['reply']}/restore/", {"reason": "Fine after all"}
    )
    assert not Reply.objects.get(pk=ids["reply"]).is_hidden
    assert (
        b"A reply in bereaved"
        in client_for("bereaved-member").get(f"/conversations/bereaved/{ids['topic']}/").content
    )
    kinds = Notification.objects.filter(
        recipient__username="member-of-both", kind=NotificationKind.REPLY_MODERATED
    )
    assert {n.admitted for n in kinds} >= {False, True}
    assert b"restored your reply" in author.get("/account/notifications/").content


def test_new_replies_notify_the_people_in_the_conversation__not_the_author(
    convs, user, client_for, django_capture_on_commit_callbacks
):
    ids = convs["bereaved"]
    mail.outbox = []
    NotificationEmailOff.objects.create(
        user=user("member-of-both"), kind=NotificationKind.REPLY_NEW
    )
    editor = api("bereaved-editor")
    with django_capture_on_commit_callbacks(execute=True):
        made = editor.post(
            f"/api/v2/conversations/{ids['topic']}/replies/", {"body": "Hi"}, content_type=JSON
        )
    reply_id = made.json()["id"]
    told = set(
        Notification.objects.filter(subject_type="reply", subject_id=reply_id).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {
        "bereaved-member",
        "member-of-both",
    }  # the starter and a replier, not the author
    # E-mailed only to whoever did not turn the kind off; the subject names nothing.
    assert [m.to for m in mail.outbox] == [["bereaved-member@example.org"]]
    assert "Talk in bereaved" not in mail.outbox[0].subject
    shown = client_for("bereaved-member").get("/account/notifications/")
    assert b"replied in" in shown.content and f"#reply-{reply_id}".encode() in shown.content
    # Once the reply is hidden, its notification is not shown to the others.
    Reply.objects.filter(pk=reply_id).update(hidden_at="2026-01-01T00:00:00Z")
    assert (
        f"#reply-{reply_id}".encode()
        not in client_for("bereaved-member").get("/account/notifications/").content
    )


def test_rate_limit__clear_message__nothing_saved(convs, settings, client_for):
    settings.CONVERSATIONS_RATE_LIMITS = {"reply": (2, 60)}
    ids = convs["frontline"]
    client = api("frontline-member")
    url = f"/api/v2/conversations/{ids['topic']}/replies/"
    for n in range(2):
        assert client.post(url, {"body": f"r{n}"}, content_type=JSON).status_code == 201
    before = Reply.objects.count()
    third = client.post(url, {"body": "r3"}, content_type=JSON)
    assert third.status_code == HTTPStatus.TOO_MANY_REQUESTS and "wait" in third.json()["message"]
    site = client_for("frontline-member").post(
        f"/conversations/frontline/{ids['topic']}/reply/", {"body": "r4"}
    )
    assert site.status_code == HTTPStatus.TOO_MANY_REQUESTS and b"wait" in site.content
    assert Reply.objects.count() == before


def test_a_guide_has_its_conversation__in_every_language(convs, client_for, page_at):
    ids = convs["bereaved"]
    guide = Topic.objects.get(pk=ids["page_topic"]).page
    client = client_for("bereaved-member")
    page = client.get(guide.url)
    assert b"About the guide" in page.content and b'class="conversation"' in page.content
    for translation in guide.get_translations().live():
        assert b"About the guide" in client.get(translation.url).content
    # The first reply on a resource makes its conversation.
    resource = page_at("/bereaved/resources/").get_children().live().first()
    made = client.post(f"/conversations/bereaved/pages/{resource.pk}/reply/", {"body": "Useful"})
    assert made.status_code == HTTPStatus.FOUND
    assert b"Useful" in client.get(resource.url).content
    outsider = client_for("frontline-member")
    assert (
        outsider.post(
            f"/conversations/bereaved/pages/{resource.pk}/reply/", {"body": "x"}
        ).status_code
        == 404
    )
    assert (
        outsider.post(
            f"/conversations/frontline/pages/{resource.pk}/reply/", {"body": "x"}
        ).status_code
        == 404
    )
    by_api = api("bereaved-member").post(
        "/api/v2/conversations/", {"page": guide.pk, "body": "Via API"}, content_type=JSON
    )
    assert by_api.status_code == 201 and by_api.json()["id"] == ids["page_topic"]


def test_space_page_links_to_its_conversations(client_for):
    page = client_for("bereaved-member").get("/bereaved/")
    assert b'href="/conversations/bereaved/"' in page.content


def test_topic_for__one_topic_per_key__and_the_embed(convs, rf, user):
    from django.template import Context, Template

    from workflows import spaces
    from workflows.conversations.services import reply_create, topic_for

    space = spaces.space_by_slug("bereaved")
    first = topic_for(space, "gathering:41", "Potluck")
    assert topic_for(space, "gathering:41", "Potluck in June").pk == first.pk
    reply_create(user=user("bereaved-member"), topic=first, body="I bring soup")
    template = Template("{% load conversation_tags %}{% conversation topic %}")
    for name, sees in (("bereaved-editor", True), ("frontline-member", False)):
        request = rf.get("/")
        request.user = user(name)
        html = template.render(Context({"request": request, "topic": first}))
        assert ("I bring soup" in html) is sees


def test_constant_queries_per_page(convs, user):
    from workflows.conversations.models import Reply as R

    ids = convs["frontline"]
    client = api("frontline-editor")
    url = f"/api/v2/conversations/{ids['topic']}/?limit=50"

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = count()
    author = user("frontline-member")
    for n in range(40):
        parent = R.objects.create(topic_id=ids["topic"], author=author, body=f"top {n}")
        R.objects.create(topic_id=ids["topic"], author=author, body=f"answer {n}", parent=parent)
    assert count() == small


def test_a_gathering_page_embeds_its_conversation(convs, client_for, user):
    from datetime import timedelta

    from django.utils import timezone

    from workflows import spaces
    from workflows.gatherings.models import Gathering

    gathering = Gathering.objects.create(
        space=spaces.space_by_slug("bereaved"),
        organiser=user("bereaved-editor"),
        kind="potluck",
        title="Spring potluck",
        starts_at=timezone.now() + timedelta(days=10),
    )
    url = f"/gatherings/bereaved/{gathering.pk}/"
    member = client_for("bereaved-member")
    page = member.get(url)
    assert page.status_code == 200 and b'class="conversation"' in page.content
    topic = Topic.objects.get(key=f"gathering:{gathering.pk}")
    done = member.post(f"/conversations/bereaved/{topic.pk}/reply/", {"body": "I bring bread"})
    assert done.status_code == HTTPStatus.FOUND
    assert b"I bring bread" in client_for("bereaved-editor").get(url).content
    assert url.encode() in member.get(f"/conversations/bereaved/{topic.pk}/").content
    assert client_for("frontline-member").get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_draft_or_preview_of_a_guide_has_no_conversation(rf, user):
    from django.template import Context, Template

    from resources.models import GuidePage

    request = rf.get("/")
    request.user = user("bereaved-member")
    template = Template("{% load conversation_tags %}{% page_conversation page %}")
    unsaved = GuidePage(title="Not yet")
    assert template.render(Context({"request": request, "page": unsaved})).strip() == ""
