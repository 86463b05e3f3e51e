"""Sign-in hardening: throttling per account and per address, two-step sign-in."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, address="10.0.0.1", url="/account/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_throttle__account_locked_after_failures_even_with_the_right_password(settings):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, "frontline-member", "wrong", address=f"10.0.1.{attempt}")
        assert response.status_code == HTTPStatus.OK
    last = _sign_in(client, "frontline-member", "wrong", address="10.0.1.99")
    assert last.status_code == HTTPStatus.TOO_MANY_REQUESTS
    locked = _sign_in(client, "frontline-member", DEMO_PASSWORD, address="10.0.2.1")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many attempts" in locked.content.decode()
    assert SESSION_KEY not in client.session
    # Another account from another address is not affected.
    other = _sign_in(Client(), "bereaved-member", DEMO_PASSWORD, address="10.0.3.1")
    assert other.status_code == HTTPStatus.FOUND


def test_throttle__address_locked_after_failures_across_accounts(settings):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"nobody-{attempt}", "wrong", address="10.9.9.9")
    locked = _sign_in(client, "bereaved-member", DEMO_PASSWORD, address="10.9.9.9")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    elsewhere = _sign_in(Client(), "bereaved-member", DEMO_PASSWORD, address="10.9.9.10")
    assert elsewhere.status_code == HTTPStatus.FOUND


def test_throttle__admin_login_is_throttled_too(settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "staff", "wrong", address="10.4.4.4", url="/admin/login/")
    locked = _sign_in(client, "staff", DEMO_PASSWORD, address="10.4.4.5", url="/admin/login/")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_password_validators__weak_password_refused_at_signup():
    response = Client().post(
        "/account/signup/",
        {
            "username": "newcomer",
            "email": "n@example.org",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "too common" in response.content.decode()


def _unthrottle(device: TOTPDevice) -> None:
    """django-otp slows down guessing after a wrong code; the next test step comes at once."""
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def _enrol(client) -> TOTPDevice:
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user__username="frontline-editor", confirmed=False)
    wrong = client.post("/account/two-factor/", {"token": "000000"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    _unthrottle(device)
    assert not device.confirmed
    response = client.post("/account/two-factor/", {"token": _code(device)})
    assert response.status_code == HTTPStatus.FOUND
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_two_factor__enrolled_person_must_enter_a_code_after_the_password():
    client = Client()
    assert _sign_in(client, "frontline-editor", DEMO_PASSWORD).status_code == HTTPStatus.FOUND
    device = _enrol(client)
    client.post("/account/logout/")

    second = Client()
    response = _sign_in(second, "frontline-editor", DEMO_PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    for url in ("/account/", "/frontline/", "/admin/"):
        held = second.get(url)
        assert held.status_code == HTTPStatus.FOUND, url
        assert held.url.startswith("/account/two-factor/verify/"), url
    assert second.post("/account/two-factor/verify/", {"token": "123"}).status_code == 400
    _unthrottle(device)
    device.last_t = -1  # the code used at enrolment may be used again in this same step
    device.save()
    passed = second.post("/account/two-factor/verify/?next=/admin/", {"token": _code(device)})
    assert passed.status_code == HTTPStatus.FOUND
    assert second.get("/admin/").status_code == HTTPStatus.OK


def test_two_factor__required_setting_sends_editors_to_enrol_but_not_members(settings):
    settings.NEIGHBORHOOD_REQUIRE_2FA = True
    editor = Client()
    _sign_in(editor, "frontline-editor", DEMO_PASSWORD)
    held = editor.get("/admin/")
    assert held.status_code == HTTPStatus.FOUND
    assert held.url.startswith("/account/two-factor/?")
    member = Client()
    _sign_in(member, "frontline-member", DEMO_PASSWORD)
    assert member.get("/account/").status_code == HTTPStatus.OK


def test_two_factor__optional_by_default(settings):
    assert settings.NEIGHBORHOOD_REQUIRE_2FA is False
    editor = Client()
    _sign_in(editor, "frontline-editor", DEMO_PASSWORD)
    assert editor.get("/admin/").status_code == HTTPStatus.OK


def test_sign_in__successful_sign_ins_leave_no_address_log():
    from axes.models import AccessAttempt, AccessLog

    client = Client()
    _sign_in(client, "frontline-member", "wrong", address="10.7.7.7")
    assert AccessAttempt.objects.filter(username="frontline-member").exists()
    assert _sign_in(client, "frontline-member", DEMO_PASSWORD).status_code == HTTPStatus.FOUND
    assert not AccessLog.objects.exists()
    # A success resets the failures kept for that account.
    assert not AccessAttempt.objects.filter(username="frontline-member").exists()


def _enrolled_editor_signed_in_with_password_only() -> tuple[Client, TOTPDevice]:
    first = Client()
    _sign_in(first, "frontline-editor", DEMO_PASSWORD)
    device = _enrol(first)
    second = Client()
    assert _sign_in(second, "frontline-editor", DEMO_PASSWORD).status_code == HTTPStatus.FOUND
    return second, device


def _fresh(device: TOTPDevice) -> str:
    """A code that may be used now (the test's earlier step used the current one)."""
    _unthrottle(device)
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    return _code(device)


def test_two_factor__password_alone_cannot_turn_it_off():
    """Someone with only the password is sent to the second step; the device stays."""
    client, device = _enrolled_editor_signed_in_with_password_only()
    response = client.post("/account/two-factor/", {"action": "disable", "token": "000000"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/account/two-factor/verify/")
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert client.get("/admin/").status_code == HTTPStatus.FOUND


def test_two_factor__turning_it_off_takes_a_fresh_code():
    client, device = _enrolled_editor_signed_in_with_password_only()
    verified = client.post("/account/two-factor/verify/", {"token": _fresh(device)})
    assert verified.status_code == HTTPStatus.FOUND
    without = client.post("/account/two-factor/", {"action": "disable"})
    assert without.status_code == HTTPStatus.BAD_REQUEST
    wrong = client.post("/account/two-factor/", {"action": "disable", "token": "000000"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    right = client.post("/account/two-factor/", {"action": "disable", "token": _fresh(device)})
    assert right.status_code == HTTPStatus.FOUND
    assert not TOTPDevice.objects.filter(user__username="frontline-editor").exists()


def test_two_factor__a_device_confirmed_elsewhere_holds_an_older_session_at_the_admin():
    older = Client()
    _sign_in(older, "frontline-editor", DEMO_PASSWORD)
    assert older.get("/admin/").status_code == HTTPStatus.OK
    other = Client()
    _sign_in(other, "frontline-editor", DEMO_PASSWORD)
    _enrol(other)
    held = older.get("/admin/")
    assert held.status_code == HTTPStatus.FOUND
    assert held.url.startswith("/account/two-factor/verify/")


def test_two_factor__required_while_signed_in__holds_editors_not_members(settings):
    editor, member = Client(), Client()
    _sign_in(editor, "frontline-editor", DEMO_PASSWORD)
    _sign_in(member, "frontline-member", DEMO_PASSWORD)
    assert editor.get("/admin/").status_code == HTTPStatus.OK
    settings.NEIGHBORHOOD_REQUIRE_2FA = True
    held = editor.get("/admin/")
    assert held.status_code == HTTPStatus.FOUND
    assert held.url.startswith("/account/two-factor/?")
    assert member.get("/admin/").status_code == HTTPStatus.OK


def _fail_from(address_header: dict, usernames) -> None:
    client = Client()
    for name in usernames:
        client.post(
            "/account/login/",
            {"username": name, "password": "wrong"},
            REMOTE_ADDR="10.77.0.1",  # the load balancer
            **address_header,
        )


def test_throttle__behind_a_proxy_each_client_address_is_counted_separately(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    names = [f"nobody-{n}" for n in range(settings.AXES_FAILURE_LIMIT)]
    _fail_from({"HTTP_X_FORWARDED_FOR": "203.0.113.5"}, names)
    locked = Client().post(
        "/account/login/",
        {"username": "bereaved-member", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.77.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    other = Client().post(
        "/account/login/",
        {"username": "bereaved-member", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.77.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert other.status_code == HTTPStatus.FOUND
    # A client writing its own X-Forwarded-For cannot escape: the proxy's entry is the last.
    spoofed = Client().post(
        "/account/login/",
        {"username": "bereaved-member", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.77.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.5",
    )
    assert spoofed.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_throttle__without_a_proxy_x_forwarded_for_is_ignored(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    names = [f"nobody-{n}" for n in range(settings.AXES_FAILURE_LIMIT)]
    _fail_from({"HTTP_X_FORWARDED_FOR": "203.0.113.5"}, names)
    # Another forwarded address from the same REMOTE_ADDR is the same address: locked.
    response = Client().post(
        "/account/login/",
        {"username": "bereaved-member", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.77.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
