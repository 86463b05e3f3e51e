"""Member-facing accounts: sign in, sign out, sign up, reset a forgotten password.

Members use `/account/...`, never the Wagtail admin's login. Each allowed case has its refused
twin on the same demo data; a refusal shows a clear sentence and changes nothing.
"""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.test import Client

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()

NEW_PASSWORD = "a-fresh-and-unusual-passphrase-93"
WRONG_CREDENTIALS = "Please enter a correct username and password."
RESET_LINK = re.compile(r"http://testserver(/account/password-reset/[^/\s]+/[^/\s]+/)")


def _text(response) -> str:
    return response.content.decode()


def _signed_in_as(client) -> str | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk).username if pk else None


def _sign_in(client, username, password, next_url=None):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/account/login/", data)


def _signup_data(**overrides):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def _password_hashes():
    return sorted(User.objects.values_list("username", "password"))


# Signing in ----------------------------------------------------------------------------------


def test_sign_in__the_page_is_member_facing_not_the_wagtail_admin_login():
    response = Client().get("/account/login/")

    assert response.status_code == HTTPStatus.OK
    assert "registration/login.html" in [t.name for t in response.templates]
    assert not any(t.name.startswith("wagtailadmin/") for t in response.templates)
    body = _text(response)
    assert 'action="/account/login/"' in body
    assert 'href="/account/password-reset/"' in body
    assert 'href="/account/signup/"' in body


def test_sign_in__a_private_page_sends_a_visitor_to_the_member_sign_in():
    response = Client().get("/bereaved/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/account/login/?next=/bereaved/"


@pytest.mark.parametrize("username", ["bereaved-member", "frontline-editor", "applicant"])
def test_sign_in__with_the_right_password_signs_in_and_opens_the_account(username):
    client = Client()

    response = _sign_in(client, username, DEMO_PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/account/"
    assert _signed_in_as(client) == username
    account = client.get("/account/")
    assert account.status_code == HTTPStatus.OK
    assert f"Signed in as {username}." in _text(account)


@pytest.mark.parametrize(
    ("username", "password", "error"),
    [
        ("bereaved-member", "not-the-password", WRONG_CREDENTIALS),
        ("bereaved-member", DEMO_PASSWORD.upper(), WRONG_CREDENTIALS),
        ("nobody-by-that-name", DEMO_PASSWORD, WRONG_CREDENTIALS),
        ("bereaved-member", "", "This field is required."),
    ],
)
def test_sign_in__a_wrong_password_or_unknown_name_shows_an_error_and_signs_in_nobody(
    username, password, error
):
    client = Client()

    response = _sign_in(client, username, password)

    assert response.status_code == HTTPStatus.OK
    assert error in _text(response)
    assert _signed_in_as(client) is None
    assert client.get("/account/").status_code == HTTPStatus.FOUND


def test_sign_in__then_the_page_asked_for_opens():
    client = Client()
    denied = client.get("/bereaved/")

    response = _sign_in(client, "bereaved-member", DEMO_PASSWORD, next_url="/bereaved/")

    assert denied.status_code == HTTPStatus.FOUND
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/bereaved/"
    assert client.get("/bereaved/").status_code == HTTPStatus.OK


def test_sign_in__a_non_member_is_then_shown_the_403_page_not_the_sign_in_again():
    client = Client()
    _sign_in(client, "frontline-member", DEMO_PASSWORD, next_url="/bereaved/")

    response = client.get("/bereaved/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert 'name="password"' not in _text(response)
    assert 'href="/join/bereaved/"' in _text(response)


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/steal",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_sign_in__next_to_another_host_is_not_followed(next_url):
    client = Client()

    response = _sign_in(client, "bereaved-member", DEMO_PASSWORD, next_url=next_url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/account/"
    assert _signed_in_as(client) == "bereaved-member"


def test_sign_in__a_forged_form_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)

    response = _sign_in(client, "bereaved-member", DEMO_PASSWORD)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _signed_in_as(client) is None


def test_sign_in__an_already_signed_in_member_is_sent_to_their_account(client_for):
    response = client_for("bereaved-member").get("/account/login/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/account/"


def test_sign_in__an_inactive_account_cannot_sign_in():
    User.objects.filter(username="bereaved-member").update(is_active=False)
    client = Client()

    response = _sign_in(client, "bereaved-member", DEMO_PASSWORD)

    assert response.status_code == HTTPStatus.OK
    assert _signed_in_as(client) is None


# Signing out ---------------------------------------------------------------------------------


def test_sign_out__by_post_signs_out_and_closes_the_community_again():
    client = Client()
    _sign_in(client, "bereaved-member", DEMO_PASSWORD)
    assert client.get("/bereaved/").status_code == HTTPStatus.OK

    response = client.post("/account/logout/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/"
    assert _signed_in_as(client) is None
    assert client.get("/bereaved/")["Location"] == "/account/login/?next=/bereaved/"
    assert client.get("/account/").status_code == HTTPStatus.FOUND


def test_sign_out__the_button_on_every_page_posts_to_the_member_sign_out(client_for):
    body = _text(client_for("bereaved-member").get("/"))

    assert 'method="post" action="/account/logout/"' in body


def test_sign_out__get_is_not_allowed_and_keeps_the_member_signed_in(client_for):
    client = client_for("bereaved-member")

    response = client.get("/account/logout/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert _signed_in_as(client) == "bereaved-member"


def test_sign_out__a_forged_form_without_csrf_token_keeps_the_member_signed_in():
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="bereaved-member"))

    response = client.post("/account/logout/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _signed_in_as(client) == "bereaved-member"


# Signing up ----------------------------------------------------------------------------------


SIGNUP_LINK = re.compile(r"http://testserver(/account/signup/[^/\s]+/[^/\s]+/(?:\?next=\S+)?)")
CHECK_EMAIL = "Check your e-mail"


def _sign_up(client, **overrides):
    """Post the form and open the link of the e-mail it sent; returns (form answer, link answer)."""
    sent = len(mail.outbox)
    response = client.post("/account/signup/", _signup_data(**overrides))
    assert len(mail.outbox) == sent + 1
    link = SIGNUP_LINK.search(mail.outbox[-1].body)
    return response, (client.get(link.group(1)) if link else None)


def test_sign_up__creates_an_account_in_no_community_and_signs_in():
    client = Client()
    count = User.objects.count()

    response, opened = _sign_up(client)

    assert response.status_code == HTTPStatus.OK
    assert CHECK_EMAIL in _text(response)
    assert mail.outbox[-1].to == ["newcomer@example.org"]
    assert opened.status_code == HTTPStatus.FOUND
    assert opened["Location"] == "/account/"
    assert User.objects.count() == count + 1
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.email == "newcomer@example.org" and newcomer.is_active
    assert newcomer.check_password(NEW_PASSWORD)
    assert not newcomer.is_staff and not newcomer.is_superuser
    assert not newcomer.groups.exists()
    assert _signed_in_as(client) == "newcomer"
    account = client.get("/account/")
    assert "Welcome. Your account is ready." in _text(account)
    assert "You are not a member of any community yet." in _text(account)
    # An account is not membership.
    assert client.get("/bereaved/").status_code == HTTPStatus.FORBIDDEN
    # ...and the new password works on the sign-in page.
    assert _sign_in(Client(), "newcomer", NEW_PASSWORD).status_code == HTTPStatus.FOUND


def test_sign_up__before_the_link_is_opened_the_account_cannot_sign_in():
    client = Client()
    client.post("/account/signup/", _signup_data())

    assert not User.objects.get(username="newcomer").is_active
    assert _signed_in_as(client) is None
    assert WRONG_CREDENTIALS in _text(_sign_in(Client(), "newcomer", NEW_PASSWORD))


def test_sign_up__the_link_works_once_and_a_changed_link_not_at_all():
    client = Client()
    _response, opened = _sign_up(client)
    assert opened.status_code == HTTPStatus.FOUND
    link = SIGNUP_LINK.search(mail.outbox[-1].body).group(1)
    assert Client().get(link).status_code == HTTPStatus.BAD_REQUEST  # used
    forged = link.rstrip("/")[:-2] + "xx/"
    assert Client().get(forged).status_code == HTTPStatus.BAD_REQUEST
    assert Client().get("/account/signup/!!/abc/").status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("taken", ["applicant", "Applicant", "bereaved-member"])
def test_sign_up__a_taken_name_answers_exactly_like_a_free_one(taken):
    """The page says nothing; the e-mail tells the address's owner."""
    before = _password_hashes()
    answers = []
    for username, email in ((taken, "someone@example.org"), ("free-name-42", "x@example.org")):
        response = Client().post("/account/signup/", _signup_data(username=username, email=email))
        body = re.sub(r'value="[^"]*"', "", _text(response))  # the CSRF token
        answers.append((response.status_code, response["Content-Type"], body))
    assert answers[0] == answers[1]
    assert answers[0][0] == HTTPStatus.OK and CHECK_EMAIL in answers[0][2]
    taken_mail, free_mail = mail.outbox[-2:]
    assert "already taken" in taken_mail.body and not SIGNUP_LINK.search(taken_mail.body)
    assert "/account/password-reset/" in taken_mail.body
    assert SIGNUP_LINK.search(free_mail.body) and "already taken" not in free_mail.body
    # The taken account is untouched; only the free name waits for its link.
    assert User.objects.get(username__iexact=taken).is_active
    after = _password_hashes()
    assert set(before) < set(after) and len(after) == len(before) + 1
    assert not User.objects.get(username="free-name-42").is_active


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"email": ""}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"password2": NEW_PASSWORD + "x"}, "password fields didn"),
        ({"password1": "12345678", "password2": "12345678"}, "This password is too common."),
        ({"password1": "short", "password2": "short"}, "This password is too short."),
        ({"username": "has spaces"}, "Enter a valid username."),
    ],
)
def test_sign_up__bad_input_shows_the_error_and_creates_nothing(overrides, error):
    client = Client()
    before = _password_hashes()

    response = client.post("/account/signup/", _signup_data(**overrides))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert error in _text(response)
    assert _password_hashes() == before
    assert _signed_in_as(client) is None
    assert not mail.outbox


def test_sign_up__an_empty_form_says_what_is_missing_and_creates_nothing():
    before = _password_hashes()

    response = Client().post("/account/signup/")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This field is required." in _text(response)
    assert _password_hashes() == before


def test_sign_up__a_safe_next_is_followed():
    _response, opened = _sign_up(Client(), next="/join/bereaved/")

    assert opened.status_code == HTTPStatus.FOUND
    assert opened["Location"] == "/join/bereaved/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/steal", "javascript:alert(1)"]
)
def test_sign_up__next_to_another_host_is_not_followed(next_url):
    client = Client()

    _response, opened = _sign_up(client, next=next_url)

    assert opened.status_code == HTTPStatus.FOUND
    assert opened["Location"] == "/account/"
    assert _signed_in_as(client) == "newcomer"


def test_sign_up__the_form_carries_next_through():
    response = Client().get("/account/signup/?next=/invitation/abc/")

    assert response.status_code == HTTPStatus.OK
    assert 'name="next" value="/invitation/abc/"' in _text(response)


def test_sign_up__a_forged_form_without_csrf_token_creates_nothing():
    client = Client(enforce_csrf_checks=True)
    before = _password_hashes()

    response = client.post("/account/signup/", _signup_data())

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _password_hashes() == before
    assert _signed_in_as(client) is None


def test_sign_up__a_signed_in_member_is_sent_to_their_account_and_nothing_is_created(client_for):
    before = _password_hashes()

    response = client_for("bereaved-member").post("/account/signup/", _signup_data())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/account/"
    assert _password_hashes() == before


# Resetting a forgotten password --------------------------------------------------------------


def _ask_for_reset(client, email):
    return client.post("/account/password-reset/", {"email": email}, follow=True)


def test_password_reset__sends_a_link_that_sets_a_new_password_to_sign_in_with():
    client = Client()

    asked = _ask_for_reset(client, "bereaved-member@example.org")

    assert asked.redirect_chain == [("/account/password-reset/sent/", HTTPStatus.FOUND)]
    assert "Check your e-mail" in _text(asked)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bereaved-member@example.org"]
    assert message.subject == "Reset your Neighborhood password"
    link = RESET_LINK.search(message.body).group(1)

    opened = client.get(link, follow=True)
    assert opened.status_code == HTTPStatus.OK
    assert "Choose a new password" in _text(opened)
    set_password_url = opened.redirect_chain[-1][0]
    assert set_password_url.endswith("/set-password/")  # the token left the address bar

    saved = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved.status_code == HTTPStatus.FOUND
    assert saved["Location"] == "/account/password-reset/done/"
    assert "Your password was changed" in _text(client.get(saved["Location"]))

    signed_in = Client()
    assert _sign_in(signed_in, "bereaved-member", NEW_PASSWORD).status_code == HTTPStatus.FOUND
    assert _signed_in_as(signed_in) == "bereaved-member"
    old = Client()
    assert _sign_in(old, "bereaved-member", DEMO_PASSWORD).status_code == HTTPStatus.OK
    assert _signed_in_as(old) is None


def test_password_reset__the_link_works_only_once():
    client = Client()
    _ask_for_reset(client, "bereaved-member@example.org")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    set_password_url = client.get(link)["Location"]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    before = _password_hashes()

    again = Client().get(link, follow=True)

    assert "This link has expired or was already used." in _text(again)
    assert 'name="new_password1"' not in _text(again)
    assert _password_hashes() == before


def test_password_reset__a_tampered_link_is_refused():
    client = Client()
    _ask_for_reset(client, "bereaved-member@example.org")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    before = _password_hashes()

    response = client.get(link[:-2] + "x/", follow=True)

    assert "This link has expired or was already used." in _text(response)
    assert _password_hashes() == before


def test_password_reset__a_weak_new_password_is_refused_and_the_old_one_still_works():
    client = Client()
    _ask_for_reset(client, "bereaved-member@example.org")
    link = RESET_LINK.search(mail.outbox[0].body).group(1)
    set_password_url = client.get(link)["Location"]
    before = _password_hashes()

    response = client.post(
        set_password_url, {"new_password1": "password", "new_password2": "password"}
    )

    assert response.status_code == HTTPStatus.OK
    assert "This password is too common." in _text(response)
    assert _password_hashes() == before
    assert _sign_in(Client(), "bereaved-member", DEMO_PASSWORD).status_code == HTTPStatus.FOUND


def test_password_reset__an_unknown_address_sends_nothing_but_shows_the_same_page():
    known = _ask_for_reset(Client(), "bereaved-member@example.org")
    mail.outbox.clear()

    unknown = _ask_for_reset(Client(), "nobody@example.org")

    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert _text(unknown) == _text(known)


def test_password_reset__the_pages_are_member_facing():
    response = Client().get("/account/password-reset/")

    assert response.status_code == HTTPStatus.OK
    assert "registration/password_reset_form.html" in [t.name for t in response.templates]
    assert not any(t.name.startswith("wagtailadmin/") for t in response.templates)
