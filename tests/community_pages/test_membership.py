"""Membership: asking to join, admitting and declining, invitations, leaving.

Every flow goes through HTTP as a person would use it: the member-facing pages `/join/<slug>/`,
`/invitation/<token>/` and `/leave/<slug>/`, and the admin screen `/admin/membership/` that
editors and staff use. Each allowed case has its denied twin on the same demo data, and every
refusal is checked twice: the person reads a clear sentence, and the database is exactly as it
was (join requests, invitations, group memberships, accounts).

The demo: `applicant` has a pending request to join "bereaved"; `frontline-member` and
`bereaved-member` are members of one community each, `member-of-both` of both, and each
community has its editor (`frontline-editor`, `bereaved-editor`). `staff` is a superuser.
"""

from __future__ import annotations

import hashlib
import re
import threading
from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.utils import timezone

from community_pages import services
from community_pages.models import Community, Invitation, JoinRequest
from community_pages.services import (
    MESSAGE_MAX_LENGTH,
    MembershipError,
    invitation_accept,
    invitation_create,
)
from tests.conftest import ANONYMOUS

pytestmark = pytest.mark.django_db

User = get_user_model()

BEREAVED_NAME = "Bereaved by substance use"
FRONTLINE_NAME = "Frontline care providers"
APPLICANT_MESSAGE = "I lost my brother last spring"  # the demo applicant's pending request
INVITATION_LINK = re.compile(r"http://testserver/invitation/([A-Za-z0-9_\-]+)/")


# Helpers -------------------------------------------------------------------------------------


def _state() -> dict:
    """Everything membership can change, to compare before and after a refused action."""
    return {
        "users": sorted(User.objects.values_list("pk", "username")),
        "memberships": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        "join_requests": sorted(
            JoinRequest.objects.values_list(
                "pk", "user_id", "community_id", "status", "message", "decided_by_id"
            )
        ),
        "invitations": sorted(
            Invitation.objects.values_list(
                "pk", "community_id", "token_hash", "expires_at", "used_by_id", "used_at"
            )
        ),
    }


def _is_member(username: str, slug: str) -> bool:
    community = Community.objects.get(slug=slug)
    return User.objects.get(username=username).groups.filter(pk=community.members_group_id).exists()


def _is_editor(username: str, slug: str) -> bool:
    community = Community.objects.get(slug=slug)
    return User.objects.get(username=username).groups.filter(pk=community.editors_group_id).exists()


def _applicant_request() -> JoinRequest:
    return JoinRequest.objects.get(
        user__username="applicant", community__slug="bereaved", status=JoinRequest.Status.PENDING
    )


def _text(response) -> str:
    return response.content.decode()


def _new_invitation(slug="bereaved", by="bereaved-editor", **kwargs) -> tuple[Invitation, str]:
    return invitation_create(
        community=Community.objects.get(slug=slug),
        created_by=User.objects.get(username=by),
        **kwargs,
    )


ADMIN_REFUSAL = "Sorry, you do not have permission to access this area."


def _assert_refused_by_the_admin(client, response):
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard and a message
    (a 403 only for XMLHttpRequest): see `wagtail.admin.auth.require_admin_access`."""
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/admin/"
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == HTTPStatus.OK
    assert ADMIN_REFUSAL in _text(dashboard)
    assert APPLICANT_MESSAGE not in _text(dashboard)


def _create_invitation_in_admin(client, slug, note="", days=14):
    community = Community.objects.get(slug=slug)
    return client.post(
        "/admin/membership/", {"community": community.pk, "note": note, "days": days}
    )


@pytest.fixture
def bereaved(db):
    return Community.objects.get(slug="bereaved")


@pytest.fixture
def frontline(db):
    return Community.objects.get(slug="frontline")


@pytest.fixture
def csrf_client_for(db):
    """A client that checks CSRF tokens like a browser would (the test client skips them)."""

    def make(role: str) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(User.objects.get(username=role))
        return client

    return make


# Asking to join ------------------------------------------------------------------------------


def test_join__the_form_is_shown_to_a_signed_in_non_member(client_for):
    response = client_for("frontline-member").get("/join/bereaved/")

    assert response.status_code == HTTPStatus.OK
    assert f"Ask to join {BEREAVED_NAME}" in _text(response)
    assert 'name="message"' in _text(response)


def test_join__a_signed_in_person_asks_with_a_short_message(client_for, frontline):
    client = client_for("bereaved-member")

    response = client.post(
        "/join/frontline/", {"message": "  I volunteer at a syringe service.  "}, follow=True
    )

    assert response.redirect_chain == [("/account/", HTTPStatus.FOUND)]
    assert f"Your request to join {FRONTLINE_NAME} was sent." in _text(response)
    join_request = JoinRequest.objects.get(user__username="bereaved-member", community=frontline)
    assert join_request.status == JoinRequest.Status.PENDING
    assert join_request.message == "I volunteer at a syringe service."
    # Asking is not joining.
    assert not _is_member("bereaved-member", "frontline")
    assert client.get("/frontline/").status_code == HTTPStatus.FORBIDDEN
    # The account page lists it as waiting.
    assert f"{FRONTLINE_NAME}: waiting for a decision" in _text(response)


def test_join__an_empty_message_is_allowed(client_for, frontline):
    response = client_for("bereaved-member").post("/join/frontline/", {"message": ""})

    assert response.status_code == HTTPStatus.FOUND
    assert (
        JoinRequest.objects.get(user__username="bereaved-member", community=frontline).message == ""
    )


def test_join__a_post_with_the_csrf_token_in_a_header_and_no_fields_is_a_request(
    csrf_client_for, frontline
):
    """The message is optional, so a POST that carries no field at all is still a request.

    (A script sends the CSRF token as a header; the form then arrives empty.)
    """
    client = csrf_client_for("bereaved-member")
    client.get("/join/frontline/")

    response = client.post(
        "/join/frontline/", headers={"x-csrftoken": client.cookies["csrftoken"].value}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert (
        JoinRequest.objects.get(user__username="bereaved-member", community=frontline).message == ""
    )


def test_join__a_visitor_is_sent_to_sign_in_and_nothing_is_created(client_for):
    before = _state()
    client = client_for(ANONYMOUS)

    get = client.get("/join/bereaved/")
    post = client.post("/join/bereaved/", {"message": "Hello"})

    for response in (get, post):
        assert response.status_code == HTTPStatus.FOUND
        # The member-facing sign-in, not the Wagtail admin's.
        assert response["Location"] == "/account/login/?next=/join/bereaved/"
    assert _state() == before


def test_join__second_request_is_refused_and_changes_nothing(client_for):
    client = client_for("applicant")  # already has a pending request to bereaved
    before = _state()

    response = client.post("/join/bereaved/", {"message": "Asking again"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "You have asked to join this community. Its editors will answer soon." in _text(response)
    assert _state() == before


def test_join__second_request_is_refused_by_the_service_with_a_clear_sentence(user, bereaved):
    before = _state()

    with pytest.raises(MembershipError, match="You have already asked to join"):
        services.membership_request(user=user("applicant"), community=bereaved, message="Again")

    assert _state() == before


def test_join__first_request_of_the_applicant_to_the_other_community_is_accepted(
    client_for, frontline
):
    """The twin of the refused second request: a pending request elsewhere does not block."""
    response = client_for("applicant").post("/join/frontline/", {"message": "Hello"})

    assert response.status_code == HTTPStatus.FOUND
    assert JoinRequest.objects.filter(
        user__username="applicant", community=frontline, status=JoinRequest.Status.PENDING
    ).exists()


def test_join__a_member_asking_again_is_refused_and_changes_nothing(client_for):
    before = _state()

    response = client_for("bereaved-member").post("/join/bereaved/", {"message": "Me again"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"You are already a member of {BEREAVED_NAME}." in _text(response)
    assert _state() == before


def test_join__an_over_long_message_is_refused_and_changes_nothing(client_for):
    before = _state()
    client = client_for("bereaved-member")

    response = client.post("/join/frontline/", {"message": "x" * (MESSAGE_MAX_LENGTH + 1)})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"Ensure this value has at most {MESSAGE_MAX_LENGTH} characters" in _text(response)
    assert _state() == before


def test_join__a_message_of_exactly_the_maximum_length_is_accepted(client_for, frontline):
    response = client_for("bereaved-member").post(
        "/join/frontline/", {"message": "x" * MESSAGE_MAX_LENGTH}
    )

    assert response.status_code == HTTPStatus.FOUND
    join_request = JoinRequest.objects.get(user__username="bereaved-member", community=frontline)
    assert len(join_request.message) == MESSAGE_MAX_LENGTH


def test_join__an_over_long_message_is_refused_by_the_service_too(user, frontline):
    before = _state()

    with pytest.raises(MembershipError, match=f"under {MESSAGE_MAX_LENGTH} characters"):
        services.membership_request(
            user=user("bereaved-member"),
            community=frontline,
            message="x" * (MESSAGE_MAX_LENGTH + 1),
        )

    assert _state() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_join__an_unknown_community_is_not_found_and_changes_nothing(client_for, method):
    before = _state()

    response = getattr(client_for("applicant"), method)("/join/no-such-community/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in _text(response)
    assert _state() == before


def test_join__common_ground_cannot_be_asked_for_directly(client_for):
    """Common Ground comes with membership of any community: it has no join page."""
    before = _state()

    response = client_for("applicant").post("/join/common-ground/", {"message": "Hi"})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert _state() == before


def test_join__a_forged_form_without_csrf_token_is_refused_and_creates_nothing(csrf_client_for):
    before = _state()

    response = csrf_client_for("bereaved-member").post("/join/frontline/", {"message": "Forged"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _state() == before


def test_join__the_same_form_with_its_csrf_token_is_accepted(csrf_client_for, frontline):
    """The twin of the forged form: the form as the page serves it goes through."""
    client = csrf_client_for("bereaved-member")
    client.get("/join/frontline/")  # sets the CSRF cookie, as a browser would

    response = client.post(
        "/join/frontline/",
        {"message": "Real", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert JoinRequest.objects.filter(
        user__username="bereaved-member", community=frontline
    ).exists()


# Deciding in the admin -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["bereaved-editor", "staff"])
def test_admin__the_communitys_editor_and_staff_see_the_pending_request(client_for, role):
    response = client_for(role).get("/admin/membership/")

    assert response.status_code == HTTPStatus.OK
    assert APPLICANT_MESSAGE in _text(response)


def test_admin__the_other_communitys_editor_opens_the_screen_but_not_the_request(client_for):
    response = client_for("frontline-editor").get("/admin/membership/")

    assert response.status_code == HTTPStatus.OK
    assert APPLICANT_MESSAGE not in _text(response)
    assert "No requests are waiting." in _text(response)


@pytest.mark.parametrize("role", ["bereaved-member", "frontline-member", "member-of-both"])
def test_admin__a_plain_member_cannot_open_the_membership_screen(client_for, role):
    """Members may enter the admin (to write drafts), but not this screen."""
    client = client_for(role)

    response = client.get("/admin/membership/")

    _assert_refused_by_the_admin(client, response)


def test_admin__a_plain_member_gets_403_from_a_script(client_for):
    response = client_for("bereaved-member").get(
        "/admin/membership/", headers={"x-requested-with": "XMLHttpRequest"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert APPLICANT_MESSAGE not in _text(response)


def test_admin__the_membership_menu_item_is_shown_to_editors_only(client_for):
    menu_item = '"url": "/admin/membership/"'  # in the sidebar's JSON props
    assert menu_item in _text(client_for("bereaved-editor").get("/admin/"))
    assert menu_item not in _text(client_for("bereaved-member").get("/admin/"))


@pytest.mark.parametrize("role", ["applicant", ANONYMOUS])
def test_admin__someone_without_admin_access_is_sent_to_the_admin_sign_in(client_for, role):
    response = client_for(role).get("/admin/membership/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ["bereaved-editor", "staff"])
def test_admin__admitting_makes_the_applicant_a_member_who_reads_the_community(client_for, role):
    join_request = _applicant_request()
    applicant = client_for("applicant")
    assert applicant.get("/bereaved/").status_code == HTTPStatus.FORBIDDEN

    response = client_for(role).post(
        f"/admin/membership/requests/{join_request.pk}/", {"action": "admit"}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert f"applicant was admitted to {BEREAVED_NAME}." in _text(response)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ADMITTED
    assert join_request.decided_by.username == role
    assert join_request.decided_at is not None
    assert _is_member("applicant", "bereaved")
    assert not _is_editor("applicant", "bereaved")
    # Membership follows at once: the community, its sections and Common Ground open.
    for url in ("/bereaved/", "/bereaved/resources/", "/common-ground/"):
        assert applicant.get(url).status_code == HTTPStatus.OK, url
    # ...and only that community.
    assert applicant.get("/frontline/").status_code == HTTPStatus.FORBIDDEN


def test_admin__declining_leaves_the_applicant_outside(client_for):
    join_request = _applicant_request()
    groups_before = _state()["memberships"]

    response = client_for("bereaved-editor").post(
        f"/admin/membership/requests/{join_request.pk}/", {"action": "decline"}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert f"The request of applicant to join {BEREAVED_NAME} was declined." in _text(response)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert join_request.decided_by.username == "bereaved-editor"
    assert _state()["memberships"] == groups_before
    assert client_for("applicant").get("/bereaved/").status_code == HTTPStatus.FORBIDDEN
    # The applicant sees the answer on their account page.
    account = client_for("applicant").get("/account/")
    assert f"{BEREAVED_NAME}: declined" in _text(account)


@pytest.mark.parametrize("action", ["admit", "decline"])
def test_admin__the_other_communitys_editor_cannot_decide_and_nothing_changes(client_for, action):
    join_request = _applicant_request()
    before = _state()
    client = client_for("frontline-editor")

    response = client.post(f"/admin/membership/requests/{join_request.pk}/", {"action": action})

    _assert_refused_by_the_admin(client, response)
    assert _state() == before
    assert client_for("applicant").get("/bereaved/").status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("role", ["bereaved-member", "member-of-both"])
def test_admin__a_plain_member_cannot_decide_and_nothing_changes(client_for, role):
    join_request = _applicant_request()
    before = _state()
    client = client_for(role)

    response = client.post(f"/admin/membership/requests/{join_request.pk}/", {"action": "admit"})

    _assert_refused_by_the_admin(client, response)
    assert _state() == before


@pytest.mark.parametrize("exists", [True, False])
def test_admin__a_foreign_request_and_a_missing_id_get_the_same_refusal(client_for, exists):
    """No probing: trying ids tells another community's editor nothing."""
    join_request = _applicant_request()
    request_id = join_request.pk if exists else join_request.pk + 1000
    before = _state()
    client = client_for("frontline-editor")

    response = client.post(f"/admin/membership/requests/{request_id}/", {"action": "admit"})

    _assert_refused_by_the_admin(client, response)
    assert _state() == before


def test_admin__the_other_communitys_editor_gets_403_from_a_script(client_for):
    join_request = _applicant_request()
    before = _state()

    response = client_for("frontline-editor").post(
        f"/admin/membership/requests/{join_request.pk}/",
        {"action": "admit"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _state() == before


@pytest.mark.parametrize("role", ["applicant", ANONYMOUS])
def test_admin__someone_without_admin_access_cannot_decide(client_for, role):
    join_request = _applicant_request()
    before = _state()

    response = client_for(role).post(
        f"/admin/membership/requests/{join_request.pk}/", {"action": "admit"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/admin/login/")
    assert _state() == before


def test_admin__the_other_communitys_editor_is_refused_by_the_service_too(user):
    before = _state()

    with pytest.raises(PermissionDenied):
        services.join_request_decide(
            join_request_id=_applicant_request().pk,
            decided_by=user("frontline-editor"),
            admit=True,
        )

    assert _state() == before


@pytest.mark.parametrize(
    ("first", "second", "status"),
    [
        ("admit", "admit", "admitted"),
        ("admit", "decline", "admitted"),
        ("decline", "admit", "declined"),
        ("decline", "decline", "declined"),
    ],
)
def test_admin__deciding_twice_gives_a_clear_message_and_changes_nothing(
    client_for, first, second, status
):
    join_request = _applicant_request()
    editor = client_for("bereaved-editor")
    editor.post(f"/admin/membership/requests/{join_request.pk}/", {"action": first})
    before = _state()

    response = editor.post(
        f"/admin/membership/requests/{join_request.pk}/", {"action": second}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert f"This request was already answered ({status})." in _text(response)
    assert _state() == before


@pytest.mark.parametrize("action", ["", "promote", "ADMIT"])
def test_admin__an_unknown_action_gives_a_clear_message_and_changes_nothing(client_for, action):
    join_request = _applicant_request()
    before = _state()

    response = client_for("bereaved-editor").post(
        f"/admin/membership/requests/{join_request.pk}/", {"action": action}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert "Choose admit or decline." in _text(response)
    assert _state() == before


def test_admin__deciding_by_get_is_not_allowed(client_for):
    join_request = _applicant_request()
    before = _state()

    response = client_for("bereaved-editor").get(
        f"/admin/membership/requests/{join_request.pk}/?action=admit"
    )

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert _state() == before


def test_admin__a_forged_decision_without_csrf_token_is_refused(csrf_client_for):
    join_request = _applicant_request()
    before = _state()

    response = csrf_client_for("bereaved-editor").post(
        f"/admin/membership/requests/{join_request.pk}/", {"action": "admit"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _state() == before


# Invitations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["bereaved-editor", "staff"])
def test_invitation__created_in_the_admin_shown_once_and_only_its_hash_stored(client_for, role):
    client = client_for(role)
    count = Invitation.objects.count()

    response = _create_invitation_in_admin(client, "bereaved", note="For Sam", days=7)

    assert response.status_code == HTTPStatus.OK
    body = _text(response)
    assert "Copy the link now: it is shown only once." in body
    token = INVITATION_LINK.search(body).group(1)
    assert Invitation.objects.count() == count + 1
    invitation = Invitation.objects.latest("created_at")
    assert invitation.community.slug == "bereaved"
    assert invitation.note == "For Sam"
    assert invitation.created_by.username == role
    assert invitation.used_at is None
    expected_expiry = timezone.now() + timedelta(days=7)
    assert abs(invitation.expires_at - expected_expiry) < timedelta(minutes=1)
    # Only a hash of the token is stored, never the token itself.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert not any(token in str(value) for value in stored.values())
    # The link is not shown again.
    again = client.get("/admin/membership/")
    assert token not in _text(again)
    assert "For Sam" in _text(again)  # the invitation itself is listed


def test_invitation__opened_and_accepted_by_another_person_makes_them_a_member(client_for):
    _, token = _new_invitation()
    person = client_for("frontline-member")

    page = person.get(f"/invitation/{token}/")
    assert page.status_code == HTTPStatus.OK
    assert f"You are invited to join {BEREAVED_NAME}." in _text(page)
    assert "Accept and join" in _text(page)
    assert not _is_member("frontline-member", "bereaved")  # opening is not accepting

    response = person.post(f"/invitation/{token}/", follow=True)

    assert response.redirect_chain == [("/account/", HTTPStatus.FOUND)]
    assert f"Welcome to {BEREAVED_NAME}." in _text(response)
    assert _is_member("frontline-member", "bereaved")
    assert _is_member("frontline-member", "frontline")  # still in their own community
    invitation = Invitation.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
    assert invitation.used_by.username == "frontline-member"
    assert invitation.used_at is not None
    assert person.get("/bereaved/").status_code == HTTPStatus.OK


def test_invitation__accepting_answers_the_persons_pending_request(client_for):
    _, token = _new_invitation()
    join_request = _applicant_request()

    client_for("applicant").post(f"/invitation/{token}/")

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ADMITTED
    assert _is_member("applicant", "bereaved")
    assert APPLICANT_MESSAGE not in _text(client_for("bereaved-editor").get("/admin/membership/"))


def test_invitation__used_a_second_time_is_refused_and_changes_nothing(client_for):
    _, token = _new_invitation()
    client_for("frontline-member").post(f"/invitation/{token}/")
    before = _state()
    second = client_for("applicant")

    page = second.get(f"/invitation/{token}/")
    response = second.post(f"/invitation/{token}/")

    assert page.status_code == HTTPStatus.GONE
    assert response.status_code == HTTPStatus.BAD_REQUEST
    for answer in (page, response):
        assert "This invitation has already been used. Ask for a new one." in _text(answer)
        assert "Accept and join" not in _text(answer)
    assert _state() == before
    assert not _is_member("applicant", "bereaved")


def test_invitation__an_expired_one_is_refused_and_changes_nothing(client_for):
    invitation, token = _new_invitation()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    before = _state()
    client = client_for("applicant")

    page = client.get(f"/invitation/{token}/")
    response = client.post(f"/invitation/{token}/")

    assert page.status_code == HTTPStatus.GONE
    assert response.status_code == HTTPStatus.BAD_REQUEST
    for answer in (page, response):
        assert "This invitation has expired. Ask for a new one." in _text(answer)
        assert "Accept and join" not in _text(answer)
    assert _state() == before
    assert not _is_member("applicant", "bereaved")


def test_invitation__one_that_is_not_yet_expired_is_accepted(client_for):
    """The twin of the expired invitation: one minute left is enough."""
    invitation, token = _new_invitation()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(minutes=1)
    )

    response = client_for("applicant").post(f"/invitation/{token}/")

    assert response.status_code == HTTPStatus.FOUND
    assert _is_member("applicant", "bereaved")


@pytest.mark.parametrize(
    "token",
    ["not-a-real-token", "A" * 43, "x"],
)
def test_invitation__an_invalid_token_is_refused_and_changes_nothing(client_for, token):
    _new_invitation()  # a real invitation exists; a wrong token must not find it
    before = _state()
    client = client_for("applicant")

    page = client.get(f"/invitation/{token}/")
    response = client.post(f"/invitation/{token}/")

    assert page.status_code == HTTPStatus.GONE
    assert response.status_code == HTTPStatus.BAD_REQUEST
    for answer in (page, response):
        assert "This invitation link is not valid. Check that it is complete." in _text(answer)
        assert BEREAVED_NAME not in _text(answer)
    assert _state() == before


def test_invitation__a_truncated_link_is_refused(client_for):
    _, token = _new_invitation()
    before = _state()

    response = client_for("applicant").post(f"/invitation/{token[:-1]}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This invitation link is not valid." in _text(response)
    assert _state() == before


def test_invitation__a_visitor_is_offered_sign_in_and_sign_up_that_come_back(client_for):
    _, token = _new_invitation()
    link = f"/invitation/{token}/"

    response = client_for(ANONYMOUS).get(link)

    assert response.status_code == HTTPStatus.OK
    body = _text(response)
    assert f"You are invited to join {BEREAVED_NAME}." in body
    assert f'href="/account/login/?next={link}"' in body
    assert f'href="/account/signup/?next={link}"' in body
    assert "Accept and join" not in body


def test_invitation__a_visitor_posting_is_sent_back_to_the_link_and_nothing_changes(client_for):
    _, token = _new_invitation()
    before = _state()

    response = client_for(ANONYMOUS).post(f"/invitation/{token}/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/invitation/{token}/"
    assert _state() == before


def test_invitation__a_visitor_signs_up_from_the_link_and_accepts(db):
    _, token = _new_invitation()
    link = f"/invitation/{token}/"
    client = Client()

    signup = client.post(
        f"/account/signup/?next={link}",
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a-long-and-unusual-passphrase-17",
            "password2": "a-long-and-unusual-passphrase-17",
            "next": link,
        },
    )
    assert signup.status_code == HTTPStatus.OK  # "check your e-mail" (docs/privacy.md)
    sent = mail.outbox[-1].body
    opened = client.get(re.search(r"http://testserver(/account/signup/\S+)", sent)[1])
    assert opened.status_code == HTTPStatus.FOUND
    assert opened["Location"] == link

    accepted = client.post(link)

    assert accepted.status_code == HTTPStatus.FOUND
    assert _is_member("newcomer", "bereaved")
    assert client.get("/bereaved/").status_code == HTTPStatus.OK


def test_invitation__a_visitor_signs_in_from_the_link_and_accepts(db):
    from tests.conftest import DEMO_PASSWORD

    _, token = _new_invitation()
    link = f"/invitation/{token}/"
    client = Client()

    signin = client.post(
        "/account/login/", {"username": "applicant", "password": DEMO_PASSWORD, "next": link}
    )
    assert signin.status_code == HTTPStatus.FOUND
    assert signin["Location"] == link

    assert client.post(link).status_code == HTTPStatus.FOUND
    assert _is_member("applicant", "bereaved")


@pytest.mark.parametrize("role", ["bereaved-member", "bereaved-editor", "member-of-both"])
def test_invitation__an_existing_member_accepting_is_told_and_the_invitation_stays_unused(
    client_for, role
):
    invitation, token = _new_invitation()
    before = _state()

    response = client_for(role).post(f"/invitation/{token}/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"You are already a member of {BEREAVED_NAME}." in _text(response)
    assert _state() == before
    invitation.refresh_from_db()
    assert invitation.used_at is None and invitation.used_by is None
    # The invitation still works for someone who is not a member.
    assert client_for("applicant").post(f"/invitation/{token}/").status_code == HTTPStatus.FOUND
    assert _is_member("applicant", "bereaved")


def test_invitation__a_forged_acceptance_without_csrf_token_is_refused(csrf_client_for):
    _, token = _new_invitation()
    before = _state()

    response = csrf_client_for("applicant").post(f"/invitation/{token}/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _state() == before


def test_invitation__an_editor_cannot_create_one_for_a_community_they_do_not_edit(client_for):
    before = _state()

    response = _create_invitation_in_admin(client_for("frontline-editor"), "bereaved")

    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice." in _text(response)
    assert INVITATION_LINK.search(_text(response)) is None
    assert _state() == before


def test_invitation__an_editor_creates_one_for_their_own_community(client_for):
    """The twin of the refused creation above: same editor, own community."""
    count = Invitation.objects.count()

    response = _create_invitation_in_admin(client_for("frontline-editor"), "frontline")

    assert INVITATION_LINK.search(_text(response)) is not None
    assert Invitation.objects.count() == count + 1


def test_invitation__the_service_refuses_an_editor_of_another_community(user, bereaved):
    before = _state()

    with pytest.raises(PermissionDenied):
        invitation_create(community=bereaved, created_by=user("frontline-editor"))

    assert _state() == before


@pytest.mark.parametrize("role", ["bereaved-member", "member-of-both"])
def test_invitation__a_plain_member_cannot_create_one(client_for, role):
    before = _state()
    client = client_for(role)

    response = _create_invitation_in_admin(client, "bereaved")

    _assert_refused_by_the_admin(client, response)
    assert _state() == before


@pytest.mark.parametrize("days", [0, 91, -1, "soon"])
def test_invitation__a_lifetime_outside_1_to_90_days_is_refused(client_for, days):
    before = _state()

    response = _create_invitation_in_admin(client_for("bereaved-editor"), "bereaved", days=days)

    assert response.status_code == HTTPStatus.OK
    assert INVITATION_LINK.search(_text(response)) is None
    assert _state() == before


@pytest.mark.parametrize("days", [0, 91])
def test_invitation__the_service_refuses_a_lifetime_outside_1_to_90_days(days):
    before = _state()

    with pytest.raises(MembershipError, match="between 1 and 90 days"):
        _new_invitation(days=days)

    assert _state() == before


def test_invitation__a_forged_creation_without_csrf_token_is_refused(csrf_client_for, bereaved):
    before = _state()

    response = csrf_client_for("bereaved-editor").post(
        "/admin/membership/", {"community": bereaved.pk, "note": "", "days": 14}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _state() == before


def test_invitation__two_people_accepting_one_after_the_other__only_the_first_joins(user):
    _, token = _new_invitation()

    invitation_accept(token=token, user=user("applicant"))
    before = _state()
    with pytest.raises(MembershipError, match="already been used"):
        invitation_accept(token=token, user=user("frontline-member"))

    assert _state() == before
    assert _is_member("applicant", "bereaved")
    assert not _is_member("frontline-member", "bereaved")


def test_invitation__two_people_who_both_opened_the_link_before_either_accepted(user):
    """Both read the invitation while it was unused; the single-use claim still admits one.

    The second acceptance is given the stale invitation its reader saw, so only the final
    conditional update stands between it and a second membership.
    """
    invitation, token = _new_invitation()
    seen_while_unused = services.invitation_for_token(token)
    invitation_accept(token=token, user=user("applicant"))
    before = _state()

    with (
        mock.patch.object(services, "invitation_for_token", return_value=seen_while_unused),
        pytest.raises(MembershipError, match="already been used"),
    ):
        invitation_accept(token=token, user=user("frontline-member"))

    assert _state() == before
    assert not _is_member("frontline-member", "bereaved")
    invitation.refresh_from_db()
    assert invitation.used_by.username == "applicant"


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL row locks"
)
@pytest.mark.django_db(transaction=True)
def test_invitation__two_people_accepting_at_once_on_postgresql__only_one_joins(demo_loaded):
    """Two threads, two connections, both past the checks before either claims the link."""
    _, token = _new_invitation()
    people = [User.objects.get(username=name) for name in ("applicant", "frontline-member")]
    both_checked = threading.Barrier(len(people), timeout=20)
    real_is_member = services.is_member
    outcomes: dict[str, str] = {}

    def is_member_then_wait(user, community):
        answer = real_is_member(user, community)
        both_checked.wait()  # each has read the unused invitation; now both try to claim it
        return answer

    def accept(person):
        try:
            invitation_accept(token=token, user=person)
            outcomes[person.username] = "joined"
        except MembershipError as error:
            outcomes[person.username] = str(error)
        except Exception as error:  # anything else is reported by the assertion below
            outcomes[person.username] = repr(error)
        finally:
            connection.close()

    with mock.patch.object(services, "is_member", is_member_then_wait):
        threads = [threading.Thread(target=accept, args=(person,)) for person in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(outcomes.values()) == [
        "This invitation has already been used. Ask for a new one.",
        "joined",
    ], outcomes
    members = [p.username for p in people if _is_member(p.username, "bereaved")]
    assert members == [name for name, outcome in outcomes.items() if outcome == "joined"]
    invitation = Invitation.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
    assert invitation.used_by.username == members[0]


# Leaving -------------------------------------------------------------------------------------


def test_leave__a_member_leaves_and_then_gets_the_403_page(client_for):
    client = client_for("member-of-both")
    assert client.get("/bereaved/").status_code == HTTPStatus.OK

    response = client.post("/leave/bereaved/", follow=True)

    assert response.redirect_chain == [("/account/", HTTPStatus.FOUND)]
    assert f"You have left {BEREAVED_NAME}." in _text(response)
    assert not _is_member("member-of-both", "bereaved")
    denied = client.get("/bereaved/")
    assert denied.status_code == HTTPStatus.FORBIDDEN
    assert f"Ask to join {BEREAVED_NAME}" in _text(denied)
    assert 'name="password"' not in _text(denied)
    # Their other community and Common Ground stay open.
    assert client.get("/frontline/").status_code == HTTPStatus.OK
    assert client.get("/common-ground/").status_code == HTTPStatus.OK


def test_leave__leaving_the_only_community_closes_common_ground_too(client_for):
    client = client_for("bereaved-member")

    client.post("/leave/bereaved/")

    assert client.get("/bereaved/").status_code == HTTPStatus.FORBIDDEN
    assert client.get("/common-ground/").status_code == HTTPStatus.FORBIDDEN


def test_leave__an_editor_who_leaves_is_no_longer_an_editor(client_for):
    client = client_for("bereaved-editor")

    client.post("/leave/bereaved/")

    assert not _is_member("bereaved-editor", "bereaved")
    assert not _is_editor("bereaved-editor", "bereaved")
    assert client.get("/admin/membership/").status_code != HTTPStatus.OK


def test_leave__a_community_you_are_not_in_gives_a_clear_message_and_changes_nothing(client_for):
    before = _state()

    response = client_for("frontline-member").post("/leave/bereaved/", follow=True)

    assert response.status_code == HTTPStatus.OK
    assert f"You are not a member of {BEREAVED_NAME}." in _text(response)
    assert _state() == before


def test_leave__get_is_not_allowed_and_changes_nothing(client_for):
    before = _state()

    response = client_for("bereaved-member").get("/leave/bereaved/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert _state() == before
    assert _is_member("bereaved-member", "bereaved")


def test_leave__a_visitor_is_sent_to_sign_in(client_for):
    before = _state()

    response = client_for(ANONYMOUS).post("/leave/bereaved/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/account/login/?next=/leave/bereaved/")
    assert _state() == before


def test_leave__an_unknown_community_is_not_found(client_for):
    before = _state()

    response = client_for("bereaved-member").post("/leave/no-such-community/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert _state() == before


def test_leave__a_forged_form_without_csrf_token_is_refused(csrf_client_for):
    before = _state()

    response = csrf_client_for("bereaved-member").post("/leave/bereaved/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _state() == before
    assert _is_member("bereaved-member", "bereaved")


def test_leave__the_account_page_offers_leave_for_each_own_community_only(client_for):
    body = _text(client_for("frontline-member").get("/account/"))

    assert 'action="/leave/frontline/"' in body
    assert 'action="/leave/bereaved/"' not in body
    assert 'href="/join/bereaved/"' in body
    assert 'href="/join/frontline/"' not in body


def test_leave__after_leaving_one_can_ask_to_join_again(client_for, bereaved):
    client = client_for("bereaved-member")
    client.post("/leave/bereaved/")

    response = client.post("/join/bereaved/", {"message": "I would like to come back."})

    assert response.status_code == HTTPStatus.FOUND
    assert JoinRequest.objects.filter(
        user__username="bereaved-member", community=bereaved, status=JoinRequest.Status.PENDING
    ).exists()


def test_join_page__tells_a_member_they_already_belong(client_for):
    response = client_for("frontline-member").get("/join/frontline/")
    body = response.content.decode()
    assert "You are already a member of Frontline care providers." in body
    assert "Send my request" not in body
    other = client_for("frontline-member").get("/join/bereaved/").content.decode()
    assert "Send my request" in other


def test_admin__editors_see_the_applicants_display_name_not_their_username(client_for, user):
    """Usernames may be real names: the membership screen shows the chosen display name."""
    from home.services import display_name_set

    display_name_set(user=user("applicant"), display_name="Quiet Heron")
    body = _text(client_for("bereaved-editor").get("/admin/membership/"))
    assert APPLICANT_MESSAGE in body
    assert "Quiet Heron" in body
    assert "applicant" not in body.replace(APPLICANT_MESSAGE, "")
