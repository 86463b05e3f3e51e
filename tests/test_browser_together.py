"""A real browser, one story (issue 17, "Done when"): in the bereaved community a member proposes
a potluck, members agree, a gathering is made from the outcome, three members say they are
coming (capacity 2: the third is on the waiting list), one replies in the gathering's
conversation, another reports the reply and an elected editor hides it. A frontline member, an
applicant and a visitor see none of it by any path (site pages, the API, feeds, search); the
gathering is in the bereaved calendar feed, with the exact address for those coming only.

One Chromium session for the story, as tests/test_browser_writing.py; what outsiders get is asked
with Django's test client on the same live database (cheap), compared with the answer for an id
that does not exist (docs/privacy.md, "What someone who may not see gets").
"""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import make_api_client
from tests.conftest import ANONYMOUS
from tests.test_browser import _sign_in, waiting
from tests.test_existence_pairs import MISSING_ID, assert_pair
from workflows.conversations.models import Reply
from workflows.gatherings.models import Gathering, Rsvp
from workflows.proposals.models import Proposal

pytestmark = pytest.mark.browser

TITLE = "Spring potluck by the river"
ADDRESS = "12 Elm Street"
AREA = "Riverside"
REPLY = "I will bring a lemon cake for everyone."
OUTSIDERS = ["frontline-member", "applicant", ANONYMOUS]


def _set(driver, element_id: str, value: str) -> None:
    """Type into a field; date, time and datetime inputs take their value as the browser would
    after a pick (typing into them depends on the locale's format)."""
    driver.execute_script(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input', {bubbles: true}));",
        element_id,
        value,
    )


def _client(role: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    if role != ANONYMOUS:
        client.force_login(get_user_model().objects.get(username=role))
    return client


def test_together__a_potluck_from_proposal_to_gathering__nobody_outside_sees_it(
    demo_loaded,
    live_server,
    browser,
):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import Select

    base = live_server.url
    wait = waiting(browser, 20)

    def sign_in(role: str) -> None:
        browser.delete_all_cookies()
        _sign_in(browser, base, role)

    def click(text: str) -> None:
        browser.find_element(By.LINK_TEXT, text).click()

    def press(css: str) -> None:
        button = browser.find_element(By.CSS_SELECTOR, css)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()

    def submit(css: str) -> None:
        """Press a form's button and wait for the page that answers it: a new document (the
        mark set on this one is gone), fully loaded. (Waiting for the old element to go stale
        raced: Chromium could answer "node does not belong to the document" mid-navigation.)"""
        browser.execute_script("window.__beforeTheAnswer = true;")
        press(css)
        waiting(browser, 20, ignored_exceptions=(WebDriverException,)).until(
            lambda b: (
                b.execute_script(
                    "return window.__beforeTheAnswer === undefined && document.readyState"
                )
                == "complete"
            )
        )

    # A bereaved member proposes a potluck from their community's page, and agrees with it.
    sign_in("bereaved-member")
    browser.get(f"{base}/bereaved/")
    click("Proposals")
    click("Make a proposal")
    browser.find_element(By.ID, "id_title").send_keys(TITLE)
    browser.find_element(By.ID, "id_text").send_keys("A potluck, to get to know each other.")
    closes = timezone.localtime() + timedelta(days=2)
    _set(browser, "id_closes_at", closes.strftime("%Y-%m-%dT%H:%M"))
    press("main form button[type=submit]")
    wait.until(until.url_matches(rf"{base}/proposals/bereaved/\d+/$"))
    proposal = Proposal.objects.get(title=TITLE)
    proposal_url = f"{base}/proposals/bereaved/{proposal.pk}/"

    def agree() -> None:
        browser.get(proposal_url)
        press("input[name=position][value=agree]")
        submit("form[action$='/respond/'] button[type=submit]")

    agree()
    # Members agree.
    for role in ("member-of-both", "bereaved-editor"):
        sign_in(role)
        agree()
    counts = browser.find_element(By.CSS_SELECTOR, "ul.counts").text
    assert "Agree: 3" in counts, counts

    # The closing time passes (moved, rather than waited for).
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    # The proposer makes a gathering from the outcome: a potluck for two, the exact address for
    # those coming only.
    sign_in("bereaved-member")
    browser.get(proposal_url)
    click("Create a gathering from this outcome")
    wait.until(until.presence_of_element_located((By.ID, "id_kind")))
    assert browser.find_element(By.ID, "id_title").get_attribute("value") == TITLE
    Select(browser.find_element(By.ID, "id_kind")).select_by_value("potluck")
    day = timezone.localdate() + timedelta(days=10)
    _set(browser, "id_date", day.isoformat())
    _set(browser, "id_start_time", "18:00")
    browser.find_element(By.ID, "id_area").send_keys(AREA)
    browser.find_element(By.ID, "id_address").send_keys(ADDRESS)
    assert browser.find_element(By.ID, "id_address_for_coming_only").is_selected()
    browser.find_element(By.ID, "id_capacity").send_keys("2")
    browser.find_element(By.ID, "id_bring_list").send_keys("Salad\nBread")
    press("main form button[type=submit]")
    wait.until(until.url_matches(rf"{base}/gatherings/bereaved/\d+/$"))
    gathering = Gathering.objects.get(title=TITLE)
    assert gathering.proposal_id == proposal.pk and gathering.capacity == 2
    gathering_url = f"{base}/gatherings/bereaved/{gathering.pk}/"

    # Three members say they are coming: the third is on the waiting list.
    def coming() -> None:
        browser.get(gathering_url)
        submit("button[name=answer][value=yes]")

    coming()
    sign_in("member-of-both")
    coming()
    assert ADDRESS in browser.page_source  # coming: the exact address
    # ... and replies in the gathering's conversation.
    browser.find_element(By.CSS_SELECTOR, "form.reply-form textarea[name=body]").send_keys(REPLY)
    submit("form.reply-form button[type=submit]")
    reply = Reply.objects.get(body=REPLY)

    # Another member reports the reply.
    sign_in("bereaved-member")
    browser.get(gathering_url)
    press(f"#reply-{reply.pk} details summary")  # "Report"
    browser.find_element(By.ID, f"report-{reply.pk}").send_keys("Not kind to the organiser.")
    submit(f"#reply-{reply.pk} form[action$='/report/'] button[type=submit]")
    assert Reply.objects.get(pk=reply.pk).reports.count() == 1

    # The elected editor says they are coming (the waiting list) and hides the reply.
    sign_in("bereaved-editor")
    coming()
    answers = dict(Rsvp.objects.filter(gathering=gathering).values_list("user__username", "answer"))
    assert answers == {
        "bereaved-member": "yes",
        "member-of-both": "yes",
        "bereaved-editor": "waiting",
    }
    assert ADDRESS not in browser.page_source  # on the waiting list: not coming yet
    browser.get(gathering_url)
    summaries = browser.find_elements(By.CSS_SELECTOR, f"#reply-{reply.pk} details summary")
    hide = next(summary for summary in summaries if summary.text == "Hide")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", hide)
    hide.click()
    browser.find_element(By.ID, f"hide-{reply.pk}").send_keys("Please keep it kind.")
    submit(f"#reply-{reply.pk} form[action$='/hide/'] button[type=submit]")
    reply.refresh_from_db()
    assert reply.is_hidden

    # Hidden: gone for everyone else; its author reads the editor's reason.
    assert REPLY not in _client("bereaved-member").get(gathering_url).content.decode()
    author_view = _client("member-of-both").get(gathering_url).content.decode()
    assert REPLY in author_view and "Please keep it kind." in author_view

    # The bereaved calendar feed: the gathering, with the address only for those coming.
    for role, sees_address in (
        ("bereaved-member", True),
        ("member-of-both", True),
        ("bereaved-editor", False),
    ):
        feed = _client(role).get("/feeds/bereaved/meetings.ics")
        text = b"".join(feed.streaming_content) if feed.streaming else feed.content
        assert feed.status_code == HTTPStatus.OK, role
        assert TITLE.encode() in text and AREA.encode() in text, role
        assert (ADDRESS.encode() in text) == sees_address, role

    # A frontline member, an applicant and a visitor: none of it, by any path, and every answer
    # is the answer for an id that does not exist.
    site = {
        f"/proposals/bereaved/{proposal.pk}/": f"/proposals/bereaved/{MISSING_ID}/",
        f"/gatherings/bereaved/{gathering.pk}/": f"/gatherings/bereaved/{MISSING_ID}/",
        f"/conversations/bereaved/{reply.topic_id}/": f"/conversations/bereaved/{MISSING_ID}/",
        f"/es/gatherings/bereaved/{gathering.pk}/": f"/es/gatherings/bereaved/{MISSING_ID}/",
    }
    api = {
        f"/api/v2/proposals/{proposal.pk}/": f"/api/v2/proposals/{MISSING_ID}/",
        f"/api/v2/gatherings/{gathering.pk}/": f"/api/v2/gatherings/{MISSING_ID}/",
        f"/api/v2/conversations/{reply.topic_id}/": f"/api/v2/conversations/{MISSING_ID}/",
        f"/api/v2/conversations/replies/{reply.pk}/": (
            f"/api/v2/conversations/replies/{MISSING_ID}/"
        ),
    }
    listings = [
        "/proposals/bereaved/",
        "/gatherings/bereaved/",
        "/conversations/bereaved/",
        "/conversations/",
        "/feeds/bereaved/meetings.ics",
        "/feeds/frontline/meetings.ics",
        f"/search/?q={TITLE.split()[1]}",
        f"/api/search/?q={TITLE.split()[1]}",
        "/api/v2/proposals/",
        "/api/v2/gatherings/",
        "/api/v2/conversations/",
        "/",
    ]
    for role in OUTSIDERS:
        client = _client(role)
        for hidden, missing in site.items():
            status, *_rest = assert_pair(client, hidden, missing)
            assert status == (HTTPStatus.FOUND if role == ANONYMOUS else HTTPStatus.NOT_FOUND)
        for auth in ("session", "token") if role != ANONYMOUS else ("none",):
            api_client = make_api_client(role, auth)
            for hidden, missing in api.items():
                got, expected = api_client.get(hidden), api_client.get(missing)
                assert (got.status_code, got.content) == (expected.status_code, expected.content)
                assert got.status_code in (401, 403, 404), (role, hidden)
        for url in listings:
            response = client.get(url)
            text = b"".join(response.streaming_content) if response.streaming else response.content
            for secret in (TITLE, ADDRESS, REPLY, "lemon cake"):
                assert secret.encode() not in text, (role, url, secret)

    # In the browser too: the frontline member follows the addresses and meets the 404 page.
    sign_in("frontline-member")
    for path in (f"/proposals/bereaved/{proposal.pk}/", f"/gatherings/bereaved/{gathering.pk}/"):
        browser.get(f"{base}{path}")
        assert TITLE not in browser.page_source and ADDRESS not in browser.page_source
    browser.get(f"{base}/frontline/")
    assert TITLE not in browser.page_source
