"""A real browser: a member signs in, reads their community, and meets the 403 page next door.

Uses Debian's `chromium` and `chromium-driver` packages (a test tool's own browser download does
not work offline). Skipped when they are missing, unless CI=true or NEIGHBORHOOD_REQUIRE_BROWSER=1
(then a missing browser fails the run).
"""

import os
import shutil

import pytest

from tests.conftest import DEMO_PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
REQUIRED = os.environ.get("CI") == "true" or os.environ.get("NEIGHBORHOOD_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        message = "Chromium and chromedriver are needed: apt-get install chromium chromium-driver"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_member_signs_in_reads_their_community_and_is_refused_next_door(
    demo_loaded, live_server, browser
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 15)

    browser.get(f"{live_server.url}/frontline/")
    wait.until(until.presence_of_element_located((By.NAME, "username")))
    # A visitor is sent to the member-facing sign-in page, not the Wagtail admin's.
    assert "/account/login/" in browser.current_url
    browser.find_element(By.NAME, "username").send_keys("frontline-member")
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()

    # Back where they were going: their community, with its sections.
    wait.until(until.url_to_be(f"{live_server.url}/frontline/"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Frontline care providers"
    sections = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "main .cards a")]
    assert sections == ["Resource library", "Peer-support guides", "Group schedule", "Elections"]
    browser.find_element(By.LINK_TEXT, "Resource library").click()
    wait.until(until.url_to_be(f"{live_server.url}/frontline/resources/"))

    # The other community: a 403 that explains how to ask to join, never the login form again.
    browser.get(f"{live_server.url}/bereaved/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "This space is for members only"
    assert not browser.find_elements(By.NAME, "password")
    join = browser.find_element(By.PARTIAL_LINK_TEXT, "Ask to join Bereaved by substance use")
    assert join.get_attribute("href") == f"{live_server.url}/join/bereaved/"
    assert "further on who now help others" not in browser.page_source
