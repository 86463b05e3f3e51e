"""A member's own data: pseudonym, export, deletion.

Each allowed case has its refused twin on the same demo data.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from importlib import import_module

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name
from wagtail.models import APIToken, ModelLogEntry, Page, Revision

from community_pages.models import FeedToken, JoinRequest
from community_pages.services import feed_token_create
from home.audit import ACCOUNT_DELETED
from home.selectors import member_data_export
from resources.models import GuidePage
from tests.account_export import account_export_download
from tests.conftest import ALL_ROLES, ANONYMOUS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()
GUIDES = "/frontline/guides/"


def _guide(page_at, owner, *, slug: str, live: bool) -> GuidePage:
    parent = page_at(GUIDES)
    guide = GuidePage(
        title=f"Guide {slug}",
        slug=slug,
        summary="What helped me.",
        byline=get_user_display_name(owner),
        body=[("paragraph", "<p>Written by a member.</p>")],
        owner=owner,
        live=False,
    )
    parent.add_child(instance=guide)
    revision = guide.save_revision(user=owner)
    if live:
        revision.publish()
    return GuidePage.objects.get(pk=guide.pk)


# Pseudonyms --------------------------------------------------------------------------------


def test_display_name__member_sets_it_and_wagtail_shows_it(client_for, user):
    response = client_for("frontline-member").post(
        "/account/display-name/", {"display_name": "  Night   Owl "}
    )
    assert response.status_code == HTTPStatus.FOUND
    member = user("frontline-member")
    assert (member.first_name, member.last_name) == ("Night Owl", "")
    assert get_user_display_name(member) == "Night Owl"


def test_display_name__blank_or_control_characters_refused_and_nothing_changes(client_for, user):
    client = client_for("frontline-member")
    for bad in ("   ", "Night\x00Owl", "x" * 61):
        response = client.post("/account/display-name/", {"display_name": bad})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert 'class="errorlist' in response.content.decode()
    assert user("frontline-member").first_name == ""


def test_display_name__byline_of_a_new_guide_defaults_to_it(client_for, page_at):
    client = client_for("frontline-member")
    client.post("/account/display-name/", {"display_name": "Night Owl"})
    response = client.get(f"/admin/pages/add/resources/guidepage/{page_at(GUIDES).pk}/")
    assert 'value="Night Owl"' in response.content.decode()


@pytest.mark.parametrize("role", ["frontline-member", "frontline-editor"])
def test_admin_users__members_and_editors_cannot_list_people_or_see_emails(client_for, user, role):
    client = client_for(role)
    edit = reverse("wagtailusers_users:edit", args=[user("bereaved-member").pk])
    for url in ("/admin/users/", edit, "/admin/groups/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
        assert b"@example.org" not in response.content
    staff = client_for("staff").get(edit)
    assert staff.status_code == HTTPStatus.OK
    assert b"bereaved-member@example.org" in staff.content


def test_membership_screen__editor_sees_requests_without_emails(client_for):
    response = client_for("bereaved-editor").get("/admin/membership/")
    assert response.status_code == HTTPStatus.OK
    assert b"applicant" in response.content
    assert b"applicant@example.org" not in response.content


# Export ------------------------------------------------------------------------------------


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_export__member_downloads_everything_held_about_them(client_for, user, page_at):
    member = user("frontline-member")
    _guide(page_at, member, slug="my-guide", live=True)
    feed_token_create(user=member)
    APIToken.objects.create(user=member, name="phone", key_hash="h" * 64, prefix="wagtail_abc")
    JoinRequest.objects.create(user=member, community_id=page_at("/bereaved/").community.pk)

    response = account_export_download(client_for("frontline-member"))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    data = json.loads(_body(response))
    assert data["profile"]["username"] == "frontline-member"
    assert data["profile"]["email"] == "frontline-member@example.org"
    assert [m["slug"] for m in data["memberships"]] == ["frontline"]
    assert [j["community"] for j in data["join_requests"]] == ["Bereaved by substance use"]
    assert [p["title"] for p in data["pages"]] == ["Guide my-guide"]
    assert data["revisions"] and data["revisions"][0]["title"] == "Guide my-guide"
    assert data["api_tokens"] == [
        {
            "name": "phone",
            "prefix": "wagtail_abc",
            "created": data["api_tokens"][0]["created"],
            "last_used_at": None,
            "revoked_at": None,
        }
    ]
    assert len(data["feed_tokens"]) == 1
    for key in ("comments", "nominations", "invitations_used", "sign_in_attempts"):
        assert key in data
    text = _body(response).decode()
    assert "pbkdf2" not in text and "md5$" not in text and "h" * 64 not in text
    assert "ballot" not in json.dumps(data["profile"])


def test_export__holds_only_the_members_own_data(client_for):
    data = json.loads(_body(account_export_download(client_for("frontline-member"))))
    text = json.dumps(data)
    assert "bereaved-member" not in text and "frontline-editor@example.org" not in text
    other = json.loads(_body(account_export_download(client_for("bereaved-member"))))
    assert other["profile"]["username"] == "bereaved-member"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_account_pages__access_matrix(client_for, role):
    client = client_for(role)
    for url in ("/account/export/", "/account/delete/", "/account/two-factor/"):
        response = client.get(url)
        if role == ANONYMOUS:
            assert response.status_code == HTTPStatus.FOUND, url
            assert response.url.startswith("/account/login/"), url
        else:
            assert response.status_code == HTTPStatus.OK, url
    your_data = client.get("/your-data/")
    assert your_data.status_code == HTTPStatus.OK
    assert b"How long we keep it" in your_data.content


def test_front_door__links_the_data_page(client_for):
    for language, title in (("", "Your data"), ("/es", "Tus datos"), ("/pt", "Seus dados")):
        front = client_for(ANONYMOUS).get(f"{language}/")
        assert f'href="{language}/your-data/"'.encode() in front.content
        page = client_for(ANONYMOUS).get(f"{language}/your-data/")
        assert f"<h1>{title}</h1>".encode() in page.content


def test_member_data_export__is_the_selector_the_api_shares(user):
    data = member_data_export(user("member-of-both"))
    assert {m["slug"] for m in data["memberships"]} == {"frontline", "bereaved"}


# Deletion ----------------------------------------------------------------------------------


def _delete(client: Client, *, password=DEMO_PASSWORD, choice="keep"):
    return client.post("/account/delete/", {"password": password, "published_pages": choice})


def test_delete__wrong_password_refused_and_nothing_changes(client_for, user):
    client = client_for("frontline-member")
    response = _delete(client, password="not-my-password")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "That is not your password." in response.content.decode()
    response = client.post("/account/delete/", {"password": DEMO_PASSWORD})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert user("frontline-member").is_active


def test_delete__with_sessions_in_the_cache__their_copies_go_too(client_for, user, settings):
    """With Redis, sessions are `cached_db` (kept in the cache as well as the database): a
    deleted account's sessions leave both, so no server signs anyone in from a copy."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    store = import_module(settings.SESSION_ENGINE).SessionStore
    other_session = Client()
    other_session.force_login(user("frontline-member"))
    cached = store(session_key=other_session.cookies[settings.SESSION_COOKIE_NAME].value)
    assert cache.get(cached.cache_key) is not None

    assert _delete(client_for("frontline-member")).status_code == HTTPStatus.FOUND

    assert cache.get(cached.cache_key) is None
    assert not Session.objects.filter(session_key=cached.session_key).exists()
    assert other_session.get("/account/").status_code == HTTPStatus.FOUND


def test_delete__keeps_published_pages_under_a_former_member(client_for, user, page_at):
    member = user("frontline-member")
    member.first_name = "Night Owl"
    member.save()
    published = _guide(page_at, member, slug="kept", live=True)
    draft = _guide(page_at, member, slug="draft", live=False)
    feed_token_create(user=member)
    APIToken.objects.create(user=member, name="phone", key_hash="k" * 64, prefix="wagtail_k")
    client = Client()
    client.post("/account/login/", {"username": "frontline-member", "password": DEMO_PASSWORD})
    other_session = Client()
    other_session.force_login(member)

    response = _delete(client, choice="keep")

    assert response.status_code == HTTPStatus.FOUND
    assert not User.objects.filter(username="frontline-member").exists()
    assert not Page.objects.filter(pk=draft.pk).exists()
    kept = GuidePage.objects.get(pk=published.pk)
    assert kept.live and kept.owner is None and kept.byline == "a former member"
    revisions = Revision.page_revisions.filter(object_id=str(kept.pk))
    assert all(r.user_id is None and r.content["owner"] is None for r in revisions)
    assert "Night Owl" not in json.dumps([r.content for r in revisions])
    assert not FeedToken.objects.filter(user_id=member.pk).exists()
    assert not APIToken.objects.filter(user_id=member.pk).exists()
    assert not any(
        s.get_decoded().get(SESSION_KEY) == str(member.pk) for s in Session.objects.all()
    )
    assert other_session.get("/account/").status_code == HTTPStatus.FOUND
    assert b"Night Owl" not in Client().get(kept.url).content
    entry = ModelLogEntry.objects.get(action=ACCOUNT_DELETED, object_id=str(member.pk))
    assert "frontline-member" not in entry.label and "Night Owl" not in entry.label


def test_delete__unpublishes_when_asked(client_for, user, page_at):
    member = user("frontline-member")
    published = _guide(page_at, member, slug="gone", live=True)
    response = _delete(client_for("frontline-member"), choice="unpublish")
    assert response.status_code == HTTPStatus.FOUND
    page = GuidePage.objects.get(pk=published.pk)
    assert not page.live and page.owner is None and page.byline == "a former member"


def test_staff_delete__staff_delete_for_a_member_who_asks(client_for, user, page_at):
    member = user("bereaved-member")
    url = f"/admin/members/{member.pk}/delete-data/"
    data = {"published_pages": "keep", "confirm_username": "bereaved-member"}
    for role in ("bereaved-editor", "bereaved-member"):
        refused = client_for(role).post(url, data)
        assert refused.status_code == HTTPStatus.NOT_FOUND
        assert User.objects.filter(pk=member.pk).exists()
    wrong = client_for("staff").post(url, {**data, "confirm_username": "someone-else"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert User.objects.filter(pk=member.pk).exists()
    listing = client_for("staff").get("/admin/users/")
    assert url.encode() in listing.content
    done = client_for("staff").post(url, data)
    assert done.status_code == HTTPStatus.FOUND
    assert not User.objects.filter(pk=member.pk).exists()


def test_admin_explorer__owner_filter_names_only_people_behind_pages_you_may_see(
    client_for, page_at, user
):
    heron = user("bereaved-member")
    heron.first_name = "Hidden Heron"
    heron.save()
    parent = page_at("/bereaved/guides/")
    parent.add_child(
        instance=GuidePage(
            title="Heron's guide",
            slug="herons-guide",
            summary="s",
            byline="Hidden Heron",
            body=[("paragraph", "<p>x</p>")],
            owner=heron,
        )
    )
    explorer = f"/admin/pages/{page_at('/frontline/resources/').pk}/"
    assert "Hidden Heron" not in client_for("frontline-member").get(explorer).content.decode()
    assert "Hidden Heron" in client_for("member-of-both").get(explorer).content.decode()


def test_delete__a_byline_that_is_not_the_members_stays(client_for, user, page_at):
    """The member credited an organisation on one guide and themselves on another."""
    member = user("frontline-member")
    theirs = _guide(page_at, member, slug="theirs", live=True)
    credited = _guide(page_at, member, slug="credited", live=True)
    credited.byline = "Peer Support Community Partners"
    credited.save_revision(user=member).publish()
    assert _delete(client_for("frontline-member"), choice="keep").status_code == HTTPStatus.FOUND
    assert GuidePage.objects.get(pk=theirs.pk).byline == "a former member"
    kept = GuidePage.objects.get(pk=credited.pk)
    assert kept.byline == "Peer Support Community Partners"
    latest = Revision.page_revisions.filter(object_id=str(kept.pk)).order_by("-pk").first()
    assert latest.content["byline"] == "Peer Support Community Partners"


def test_delete__an_elected_editor_leaves_the_election_results_as_they_were(client_for, user):
    """Deleting the demo's certified winner changes no count; they become "a former member"."""
    from workflows.models import EditorTerm, Election, Nomination
    from workflows.selectors.elections import election_results

    election = Election.objects.get(community__slug="frontline", status=Election.Status.CERTIFIED)

    def results():
        data = election_results(election)
        return (
            [(c.pk, c.votes, c.lot, c.elected) for c in data["candidates"]],
            data["turnout"],
            data["electorate"],
        )

    before = results()
    editor = user("frontline-editor")
    nomination = Nomination.objects.get(election=election, nominee=editor)
    page_before = client_for("frontline-member").get(f"/frontline/elections/{election.pk}/")
    assert "frontline-editor" in page_before.content.decode()

    assert _delete(client_for("frontline-editor"), choice="keep").status_code == HTTPStatus.FOUND

    assert results() == before
    nomination.refresh_from_db()
    assert nomination.nominee is None and nomination.statement == ""
    assert EditorTerm.objects.filter(election=election, user__isnull=True).exists()
    page = client_for("frontline-member").get(f"/frontline/elections/{election.pk}/")
    body = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "a former member" in body and "frontline-editor" not in body
    api = client_for("frontline-member").get(f"/api/v2/elections/{election.pk}/")
    assert api.status_code == HTTPStatus.OK
    assert "frontline-editor" not in api.content.decode()
    # The term job runs clean with a term whose holder is gone.
    from django.core.management import call_command

    call_command("expire_editor_terms")


def test_export__election_records_without_ballot_contents(user):
    from workflows.models import Election

    certified = Election.objects.get(community__slug="frontline", status="certified")
    editor = member_data_export(user("frontline-editor"))["elections"]
    assert any(term["election"] == certified.pk for term in editor["editor_terms"])
    voter = member_data_export(user("frontline-member"))
    voted = {entry["election"] for entry in voter["elections"]["voted_in"]}
    assert certified.pk in voted
    assert certified.pk in {e["election"] for e in voter["elections"]["on_voter_rolls"]}
    # The denied twin: another community's member holds no record of this election.
    other = member_data_export(user("bereaved-member"))["elections"]
    assert certified.pk not in {entry["election"] for entry in other["voted_in"]}
    assert not any(term["election"] == certified.pk for term in other["editor_terms"])
    text = json.dumps(voter, default=str)
    assert '"choices"' not in text and '"sealed"' not in text
    assert "admin_preferences" in voter and "invitations_created" in voter
