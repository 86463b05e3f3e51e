"""A real browser: an elected editor double-clicks "Approve" in the admin's edit screen.

The double click posts the edit form twice, the second while the first is approving and
publishing. Before the review service (workflows/services/review.py) the second post answered
500 (`'NoneType' object has no attribute 'on_action'`), or wrote the page back unpublished while
its author was e-mailed "approved", or saved a revision nobody wrote ("LIVE + DRAFT"). Now: no
server error, the page is live with exactly the submitted text, published once, one e-mail.
Chromium as in tests/test_browser.py (skipped without it, unless CI requires it).
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from wagtail.models import Page, PageLogEntry, Revision

from tests.test_browser import _sign_in, waiting
from tests.workflows.test_moderation import LIBRARY, _submit

pytestmark = pytest.mark.browser


def _posts_and_errors(browser) -> tuple[list[str], list[str]]:
    """(URLs posted to, responses that were server errors) since the last call."""
    import json

    posts, errors = [], []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        sent = message["method"] == "Network.requestWillBeSent"
        if sent and params["request"]["method"] == "POST":
            posts.append(params["request"]["url"])
        received = message["method"] == "Network.responseReceived"
        if received and params["response"]["status"] >= 500:
            errors.append(f"{params['response']['status']} {params['response']['url']}")
    return posts, errors


DOUBLE_CLICK = """
window.__beforeTheClick = true;
const button = document.querySelector(
  '[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])');
button.click();
// The second click while the first is being answered (a real double click's timing here).
setTimeout(() => button.click(), 150);
"""


def test_editor_double_clicks_approve__published_once__no_error(demo_loaded, server, browser):
    from selenium.webdriver.common.by import By

    member = Client()
    member.force_login(get_user_model().objects.get(username="frontline-member"))
    page = _submit(member, Page.objects.get(url_path=f"/home{LIBRARY}"))
    submitted = page.latest_revision_id
    revisions = Revision.objects.for_instance(page).count()
    edit = f"{server.url}/admin/pages/{page.pk}/edit/"
    mail.outbox.clear()

    _sign_in(browser, server.url, "frontline-editor")
    browser.get(edit)
    waiting(browser, 15).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, '[data-workflow-action-name="approve"]')
    )
    _posts_and_errors(browser)  # forget the requests so far
    browser.execute_script(DOUBLE_CLICK)
    # Both answers are in once the browser shows a new document, fully loaded (the edit
    # screen again, with the message that the review was already decided).
    waiting(browser, 30).until(
        lambda b: (
            b.execute_script("return window.__beforeTheClick === undefined && document.readyState")
            == "complete"
        )
    )
    shown = browser.find_element(By.TAG_NAME, "body").text
    posts, errors = _posts_and_errors(browser)

    posts = [url for url in posts if url == edit]
    assert len(posts) >= 1
    assert errors == []
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == submitted == page.latest_revision_id
    assert Revision.objects.for_instance(page).count() == revisions
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish").count() == 1
    assert [m.subject for m in mail.outbox if m.to == ["frontline-member@example.org"]] == [
        "Your draft was approved"
    ]
    # Live and readable by the community; not by the other community.
    assert member.get(page.url).status_code == HTTPStatus.OK
    other = Client()
    other.force_login(get_user_model().objects.get(username="bereaved-member"))
    assert other.get(page.url).status_code != HTTPStatus.OK
    print(f"\nbrowser sent {len(posts)} POST(s) to the edit view")  # noqa: T201
    if len(posts) > 1:  # the second was answered with the message, on the edit screen
        assert "This review has already been decided" in shown
