"""A real browser, as a Spanish- and a Portuguese-speaking frontline member (issue 15): the
library lists as many resources as in English (with language notices), the schedule the same
meetings, and no English interface string is left on those pages; the member's pages are
screenshotted at 1280 and 390 px (artefacts under var/screenshots/, or $NEIGHBORHOOD_ARTEFACTS)
and none scrolls sideways at 390 px."""

import os
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.conftest import DEMO_PASSWORD
from tests.test_browser import waiting

pytestmark = pytest.mark.browser


@pytest.fixture
def chromium(live_server):
    """A Chromium of its own for each test. The process's shared one (tests/conftest.py), reset
    between tests, once refused this module's sign-in on PostgreSQL under CI ("CSRF token from
    POST incorrect": the CSRF cookie changed between the form and its post, something left by
    the test before); three tests pay about a second each to start from nothing."""
    from tests.test_browser import _recording_browser  # noqa: PLC0415 (selenium is optional)

    driver = _recording_browser()  # skips (or fails under CI) without Chromium
    yield driver
    driver.quit()


WIDTHS = (1280, 390)
# English interface words that must not remain on a Spanish or Portuguese page (outside content
# marked lang="en", which is English on purpose until translated).
ENGLISH_INTERFACE = (
    "Resource library",
    "Group schedule",
    "Clear filters",
    "Kind of support",
    "Join online",
    "Dial in",
    "The next four weeks",
    "This week",
    "Sign out",
    "My account",
    "Search",
    "in English",
    "Hybrid",
)


def _interface_strings(language: str) -> set[str]:
    """Every English interface string the catalog translates differently for `language`, of at
    least two words (placeholders cut out: the fixed words around them count), for finding
    English left on a page; one-word strings would also match words of the content."""
    found = set()
    catalog = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po")
    )
    for entry in catalog.translated_entries():
        if entry.msgstr == entry.msgid:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|<[^>]+>|\n", entry.msgid):
            piece = piece.strip(" .,:;·()“”\"'")
            if len(piece.split()) >= 2 and not re.search(r"[{}%&]", piece):
                found.add(piece)
    return found


# The text a reader sees, without content marked as another language than the page's.
VISIBLE_TEXT = """
const copy = document.body.cloneNode(true);
const page = document.documentElement.lang;
copy.querySelectorAll('[lang]').forEach(e => { if (e.lang !== page) e.remove(); });
copy.querySelectorAll('script, style, [hidden]').forEach(e => e.remove());
return copy.innerText;
"""


def _artefacts() -> Path:
    folder = Path(
        os.environ.get("NEIGHBORHOOD_ARTEFACTS") or Path(settings.BASE_DIR) / "var" / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sign_in(browser, base, role):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    browser.get(f"{base}/account/login/?next=/account/")
    browser.find_element(By.NAME, "username").send_keys(role)
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    waiting(browser, 15).until(until.url_to_be(f"{base}/account/"))


def _count(browser, selector: str) -> int:
    return len(browser.find_elements("css selector", selector))


def test_spanish_and_portuguese_member__same_library_and_schedule_in_their_language(
    demo_loaded, live_server, chromium
):
    browser = chromium
    base = live_server.url
    _sign_in(browser, base, "frontline-member")
    browser.get(f"{base}/frontline/resources/")
    resources = _count(browser, "main .cards > li")
    browser.get(f"{base}/frontline/groups/")
    meetings = _count(browser, "main .schedule-day li")
    assert resources == 3 and meetings >= 4
    problems = {}
    for language in ("es", "pt"):
        browser.get(f"{base}/{language}/frontline/resources/")
        assert _count(browser, "main .cards > li") == resources
        assert _count(browser, "main .cards .lang-notice") == resources  # none translated yet
        library_text = browser.execute_script(VISIBLE_TEXT)
        browser.get(f"{base}/{language}/frontline/groups/")
        assert _count(browser, "main .schedule-day li") == meetings
        schedule_text = browser.execute_script(VISIBLE_TEXT)
        english = set(ENGLISH_INTERFACE) | _interface_strings(language)
        for name, text in (("library", library_text), ("schedule", schedule_text)):
            left = sorted(words for words in english if words in text)
            if left:
                problems[f"{language} {name}"] = left
    assert problems == {}, problems


def _member_pages():
    from resources.models import GuidePage

    guide = GuidePage.objects.live().filter(url_path__startswith="/home/frontline/").first()
    return {
        "front-door": "/",
        "community": "/frontline/",
        "library": "/frontline/resources/",
        "guide": guide.url,
        "group-finder": "/frontline/groups/",
        "account": "/account/",
        "feeds": "/account/feeds/",
        "join": "/join/bereaved/",
    }


def test_member_pages__screenshots_and_no_sideways_scroll(demo_loaded, live_server, chromium):
    browser = chromium
    base = live_server.url
    _sign_in(browser, base, "frontline-member")
    folder = _artefacts()
    overflow = {}
    # Each page is opened once and shown at each width in turn (the window resized, as a reader
    # turning a tablet would): no script of ours lays a page out by width, so the narrow layout
    # is the one a page opened at that width gets.
    for name, path in _member_pages().items():
        for language in ("en", "es", "pt"):
            prefix = "" if language == "en" else f"/{language}"
            browser.set_window_size(WIDTHS[0], 900)
            browser.get(f"{base}{prefix}{path}")
            for width in WIDTHS:
                browser.set_window_size(width, 900)
                browser.save_screenshot(str(folder / f"{name}-{language}-{width}.png"))
                wide = browser.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth"
                )
                if wide > 0:
                    overflow[f"{prefix}{path} at {width}px"] = wide
    assert overflow == {}, overflow
    assert len(list(folder.glob("*-390.png"))) >= len(_member_pages()) * 3


def test_group_finder__my_town_is_remembered_on_this_device_only(
    demo_loaded, live_server, chromium
):
    """ "Near me" without a position: the last town filtered by is kept in the browser's own
    storage and offered as a quick filter; a browser without it shows nothing."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415 (selenium is optional)

    browser = chromium
    base = live_server.url
    _sign_in(browser, base, "frontline-member")
    browser.get(f"{base}/frontline/groups/")
    link = browser.find_element(By.CSS_SELECTOR, "[data-my-town]")
    assert not link.is_displayed()  # nothing chosen yet
    browser.get(f"{base}/frontline/groups/?town=Boston")
    browser.get(f"{base}/es/frontline/groups/")
    link = browser.find_element(By.CSS_SELECTOR, "[data-my-town]")
    assert link.is_displayed() and link.text == "Mi ciudad: Boston"
    assert link.get_attribute("href") == f"{base}/es/frontline/groups/?town=Boston"
    link.click()
    assert "SMART Recovery for care providers" in browser.page_source
    # A town that is not one of the reader's groups' is never stored or offered.
    browser.execute_script("localStorage.clear()")
    browser.get(f"{base}/frontline/groups/?town=Quincy")
    browser.get(f"{base}/frontline/groups/")
    assert not browser.find_element(By.CSS_SELECTOR, "[data-my-town]").is_displayed()
    assert browser.execute_script("return localStorage.getItem('neighborhood.town')") is None
