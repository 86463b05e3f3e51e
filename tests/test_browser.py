"""A real browser: a member signs in, reads their community, and meets the 403 page next door.

Uses Debian's `chromium` and `chromium-driver` packages (a test tool's own browser download does
not work offline). Skipped when they are missing, unless CI=true or NEIGHBORHOOD_REQUIRE_BROWSER=1
(then a missing browser fails the run).
"""

import os
import shutil

import pytest

from home.demo import PEOPLE
from tests.conftest import DEMO_PASSWORD

PEOPLE_ROLES = list(PEOPLE)

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


# No third-party requests, no CSP violation: every role, every page it may see (issue 6, item 1).

SPACE_PAGES = ["/{space}/", "/{space}/resources/", "/{space}/guides/", "/{space}/groups/"]
PUBLIC_PAGES = ["/", "/about/", "/your-data/", "/search/?q=support", "/es/", "/pt/your-data/"]
ACCOUNT_PAGES = ["/account/", "/account/feeds/", "/account/two-factor/", "/account/delete/"]
# CDP-injected, so it runs before the page's own code and is not itself subject to the policy.
RECORD_VIOLATIONS = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    "e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"
)


@pytest.fixture
def recording_browser():
    """One Chromium per role, with its network requests and console recorded."""
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
        "--disable-extensions",
        "--window-size=1200,900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    yield driver
    driver.quit()


def _pages_for(role: str) -> list[str]:
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from community_pages.models import SupportGroupPage
    from resources.models import GuidePage, ResourcePage
    from tests.conftest import ANONYMOUS, SEES

    pages = list(PUBLIC_PAGES)
    if role == ANONYMOUS:
        return [*pages, "/account/login/", "/account/signup/", "/frontline/"]
    pages += ACCOUNT_PAGES
    for space in sorted(SEES[role]):
        pages += [url.format(space=space) for url in SPACE_PAGES]
        for model in (ResourcePage, GuidePage, SupportGroupPage):
            first = model.objects.live().filter(url_path__startswith=f"/home/{space}/").first()
            pages.append(first.url)
    if not SEES[role]:
        pages.append("/frontline/")  # the 403 page that explains how to ask to join
        return pages
    # Members write drafts in the Wagtail admin; editors review there; staff run it.
    space = sorted(SEES[role])[0]
    user = get_user_model().objects.get(username=role)
    library = Page.objects.get(url_path=f"/home/{space}/resources/")
    resource = ResourcePage.objects.live().child_of(library).first()
    pages += [
        "/admin/",
        f"/admin/pages/{library.pk}/",
        f"/admin/pages/add/resources/resourcepage/{library.pk}/",
        "/admin/images/",
        "/admin/documents/",
    ]
    if user.is_superuser or role.endswith("-editor"):
        pages.append(f"/admin/pages/{resource.pk}/edit/")
    if user.is_superuser:
        pages += ["/admin/users/", "/admin/reports/site-history/", "/admin/membership/"]
    return pages


def _sign_in(browser, base: str, role: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base}/account/login/")
    browser.find_element(By.NAME, "username").send_keys(role)
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 15).until(until.url_to_be(f"{base}/account/"))


def _requested_urls(browser) -> list[str]:
    import json

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.mark.parametrize("role", ["visitor", *PEOPLE_ROLES])
def test_every_page__loads_nothing_from_another_origin_and_breaks_no_csp(
    demo_loaded, live_server, recording_browser, role
):
    from urllib.parse import urlsplit

    browser = recording_browser
    base = live_server.url
    origin = urlsplit(base)[:2]
    if role != "visitor":
        _sign_in(browser, base, role)
    violations, console = {}, {}
    for path in _pages_for(role):
        browser.get(f"{base}{path}")
        browser.execute_script("return document.readyState")
        found = browser.execute_script("return window.__cspViolations || []")
        if found:
            violations[path] = found
        refused = [
            entry["message"]
            for entry in browser.get_log("browser")
            if "Content Security Policy" in entry["message"]
        ]
        if refused:
            console[path] = refused
    requested = _requested_urls(browser)
    foreign = sorted(
        {
            url
            for url in requested
            if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url)[:2] != origin
        }
    )
    assert len(requested) > len(_pages_for(role))
    assert foreign == []
    assert violations == {}, "\n".join(f"{k}: {v}" for k, v in violations.items())
    assert console == {}


def test_hostile_text__no_script_runs_and_csp_blocks_even_raw_markup(
    demo_loaded, live_server, recording_browser
):
    """Titles are escaped; and were raw markup ever stored (not possible through the editor), the
    policy would still refuse to run its inline handler."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import WebDriverWait

    from home.models import HomePage, StandardPage

    home = HomePage.objects.get(depth=2, locale__language_code="en")
    home.add_child(
        instance=StandardPage(
            title="<script>alert('xss-title')</script>",
            slug="hostile",
            body='<p>Text<img src="/nothing.png" onerror="alert(\'xss-raw\')"></p>',
        )
    )
    recording_browser.get(f"{live_server.url}/hostile/")
    with pytest.raises(TimeoutException):
        WebDriverWait(recording_browser, 2).until(until.alert_is_present())
    violations = recording_browser.execute_script("return window.__cspViolations || []")
    assert any(v.startswith("script-src") for v in violations), violations
    assert "<script>alert('xss-title')</script>" in recording_browser.title
