"""A real browser, 390 px wide: a member writes a guide on the site and sends it; the elected
editor double-clicks Approve; the guide is live for the community, published once.

The issue's "done when" (docs/moderation.md, "The loop from both sides"), on SQLite and, with
DATABASE_URL naming one, PostgreSQL. Chromium as in tests/test_browser.py.
"""

from __future__ import annotations

import pytest
from wagtail.models import PageLogEntry, Revision

from resources.models import GuidePage
from tests.test_browser import _sign_in, waiting

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def _no_sideways_scroll(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_write_on_the_site__editor_double_clicks_approve__live_once(
    demo_loaded,
    server,
    browser,
):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as until

    base = server.url  # requests take turns on SQLite (tests/conftest.py)
    wait = waiting(browser, 20)
    browser.set_window_size(PHONE_WIDTH, 900)

    # The member finds "Write a guide" on their guides page and writes with the keyboard.
    _sign_in(browser, base, "bereaved-member")
    browser.get(f"{base}/bereaved/guides/")
    browser.find_element(By.LINK_TEXT, "Write a guide").click()
    wait.until(until.url_to_be(f"{base}/bereaved/write/"))
    assert _no_sideways_scroll(browser)
    title = browser.find_element(By.ID, "id_title")
    title.send_keys("Evenings are the hardest")
    title.send_keys(Keys.TAB)  # the next field is the summary: the order a reader expects
    browser.switch_to.active_element.send_keys("What got us through the evenings.")
    browser.find_element(By.ID, "id_text").send_keys(
        "We light a candle at eight.", Keys.ENTER, Keys.ENTER, "Then we call someone."
    )
    browser.find_element(By.ID, "id_steps").send_keys("Light a candle", Keys.ENTER, "Call")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=id_text]").text.startswith("Your guide")
    send = browser.find_element(By.NAME, "submit")
    send.send_keys(Keys.ENTER)  # pressed from the keyboard
    wait.until(until.url_to_be(f"{base}/account/writing/"))
    assert "Waiting for the editors' review" in browser.page_source
    assert _no_sideways_scroll(browser)
    guide = GuidePage.objects.get(title="Evenings are the hardest")
    assert not guide.live

    # The elected editor reads it on the site and double-clicks Approve.
    browser.delete_all_cookies()
    _sign_in(browser, base, "bereaved-editor")
    browser.get(f"{base}/account/reviews/")
    browser.find_element(By.LINK_TEXT, "Evenings are the hardest").click()
    wait.until(until.url_to_be(f"{base}/account/reviews/{guide.pk}/"))
    assert "We light a candle at eight." in browser.page_source
    assert _no_sideways_scroll(browser)
    approve = browser.find_element(By.CSS_SELECTOR, "button[value=approve]")
    ActionChains(browser).double_click(approve).perform()
    # The browser shows the answer to the second click: the list (it came after the first
    # committed) or, when it waited on the row lock (PostgreSQL), the review page telling that it
    # was already decided. Either way no error and nothing published twice.
    decided = "This review has already been decided: nothing was changed."
    wait.until(
        lambda driver: (
            driver.current_url == f"{base}/account/reviews/" or decided in driver.page_source
        )
    )
    if browser.current_url == f"{base}/account/reviews/":
        wait.until(lambda driver: "Evenings are the hardest" not in driver.page_source)

    # Live, readable by the community, published exactly once, no revision nobody wrote.
    guide.refresh_from_db()
    assert guide.live and not guide.has_unpublished_changes
    assert PageLogEntry.objects.filter(page=guide, action="wagtail.publish").count() == 1
    assert Revision.objects.for_instance(guide).count() == 1
    browser.delete_all_cookies()
    _sign_in(browser, base, "bereaved-member")
    browser.get(f"{base}{guide.url}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Evenings are the hardest"
    assert "Then we call someone." in browser.page_source
