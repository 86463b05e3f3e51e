"""A real browser: a member signs in, reads their community, and meets the 403 page next door.

Uses Debian's `chromium` and `chromium-driver` packages (a test tool's own browser download does
not work offline). Skipped when they are missing, unless CI=true or NEIGHBORHOOD_REQUIRE_BROWSER=1
(then a missing browser fails the run).
"""

import contextlib
import os
import shutil

import pytest

from home.demo import PEOPLE
from tests.axe import AxeCrawl, Checked, templates_served
from tests.conftest import DEMO_PASSWORD

PEOPLE_ROLES = list(PEOPLE)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
REQUIRED = os.environ.get("CI") == "true" or os.environ.get("NEIGHBORHOOD_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.browser

# How often a wait looks again. WebDriverWait's default is every half second, and most conditions
# here (the next page after a click, a new row) hold a few milliseconds after the first look:
# each such wait cost up to half a second of nothing.
POLL = 0.05


def waiting(driver, timeout: float, **options):
    """A WebDriverWait that looks every POLL seconds."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=POLL, **options)


def test_member_signs_in_reads_their_community_and_is_refused_next_door(
    demo_loaded, live_server, browser
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    wait = waiting(browser, 15)

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
    sections = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "main .sections a")]
    assert sections[:4] == [
        "Resource library",
        "Peer-support guides",
        "Group schedule",
        "Elections",
    ]
    assert "A place to remember" in sections  # remembrance: a link with its content note, no more
    browser.find_element(By.LINK_TEXT, "Resource library").click()
    wait.until(until.url_to_be(f"{live_server.url}/frontline/resources/"))

    # The other community: a 403 that explains how to ask to join, never the login form again.
    browser.get(f"{live_server.url}/bereaved/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "This space is for members only"
    assert not browser.find_elements(By.NAME, "password")
    join = browser.find_element(By.PARTIAL_LINK_TEXT, "Ask to join Bereaved by substance use")
    assert join.get_attribute("href") == f"{live_server.url}/join/bereaved/"
    assert "further on who now help others" not in browser.page_source  # the members' welcome
    assert "after a death from substance use" in browser.page_source  # its public description


# No third-party requests, no CSP violation: every role, every page it may see.

SPACE_PAGES = [
    "/{space}/",
    "/{space}/resources/",
    "/{space}/guides/",
    "/{space}/groups/",
    "/{space}/groups/?when=week&time=evening",  # the group finder, filtered
    "/es/{space}/resources/",  # English resources listed with notices until translated
]
# Remembrance, in communities only: the content note, the list after it, the form.
REMEMBRANCE_PAGES = [
    "/remembrance/{space}/",
    "/remembrance/{space}/?continue=1",
    "/remembrance/{space}/new/",
]
# Conversations, in every space: the list with its form; a moderator's list of reports.
CONVERSATION_PAGES = ["/conversations/{space}/", "/es/conversations/{space}/"]
# Proposals and gatherings, in every space: the lists (with who may propose, for moderators) and
# the forms.
TOOL_PAGES = [
    "/proposals/{space}/",
    "/proposals/{space}/new/",
    "/gatherings/{space}/",
    "/pt/gatherings/{space}/new/",
]
PUBLIC_PAGES = [
    "/",
    "/about/",
    "/your-data/",
    "/search/?q=support",
    "/es/",
    "/pt/your-data/",
    "/account/login/?next=/frontline/",  # the community's public card
]
# Named account routes that are not pages to look at: one signs out, one only takes a form's POST
# (the export's download has an argument, so it is not listed anyway).
NOT_PAGES = {"account_logout", "account_display_name"}
# CDP-injected, so it runs before the page's own code and is not itself subject to the policy.
RECORD_VIOLATIONS = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    "e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"
)


def _recording_browser():
    """A Chromium with its network requests and console recorded (the caller quits it)."""
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
    return driver


def _as_new(driver, origin: str):
    """The shared Chromium (tests/conftest.py's `browser`) as a new one would be: no cookies,
    cache, storage or logs left by the test before, its window at the size it starts with."""
    driver.get("about:blank")
    driver.set_window_size(1200, 900)
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    driver.get_log("performance")
    driver.get_log("browser")
    return driver


def _routes() -> dict[str, bool]:
    """{URL name (with its namespace): takes arguments} for every named route of the site."""
    from django.urls import URLResolver, get_resolver

    routes = {}

    def walk(resolver, namespace, has_args):
        for pattern in resolver.url_patterns:
            args = has_args or bool(pattern.pattern.regex.groups)
            if isinstance(pattern, URLResolver):
                walk(
                    pattern,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                    args,
                )
            elif pattern.name:
                routes.setdefault(namespace + pattern.name, args)

    walk(get_resolver(), "", False)
    return routes


def _named(predicate) -> list[str]:
    """The paths of the routes without arguments whose name passes `predicate` (not the admin
    listings' `results/` fragments, which their page fetches itself)."""
    from django.urls import reverse

    return sorted(
        {
            reverse(name)
            for name, has_args in _routes().items()
            if not has_args and not name.endswith("_results") and predicate(name)
        }
    )


def _account_pages() -> list[str]:
    """/account/...: every named page there (sign-in, two-factor, API tokens, password reset)."""
    from django.urls import reverse

    account = reverse("account")
    return [
        path
        for path in _named(lambda name: ":" not in name and name not in NOT_PAGES)
        if path.startswith(account)
    ]


def _reports() -> list[str]:
    """Every report in the admin (not their `results/` fragments)."""
    return _named(lambda name: name.startswith("wagtailadmin_reports:"))


def _page_screens(models, space: str | None = None) -> list[str]:
    """Each model's edit screen (its first page) and add screen (under a parent that allows one
    more), within a space's pages when `space` is given."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from wagtail.models import Page

    within = Page.objects.filter(url_path__startswith=f"/home/{space}/") if space else Page.objects
    screens = []
    for model in models:
        kind = ContentType.objects.get_for_model(model)
        if first := within.filter(content_type=kind).order_by("path").first():
            screens.append(reverse("wagtailadmin_pages:edit", args=[first.pk]))
        parent_kinds = ContentType.objects.get_for_models(*model.allowed_parent_page_models())
        parents = within.filter(content_type__in=parent_kinds.values()).order_by("path")
        if parent := next((p for p in parents if model.can_create_at(p)), None):
            screens.append(
                reverse("wagtailadmin_pages:add", args=[kind.app_label, kind.model, parent.pk])
            )
    return screens


def _tool_details(space: str) -> list[str]:
    """The demo's gathering, proposal and conversation in `space` (the first of each): their
    pages, as a member reaches them from the lists (home/demo/community_tools.py)."""
    from django.urls import reverse

    from workflows.conversations.models import Topic
    from workflows.gatherings.models import Gathering
    from workflows.proposals.models import Proposal

    pages = []
    for model, name in ((Gathering, "gathering"), (Proposal, "proposal")):
        found = model.objects.filter(space__slug=space).order_by("pk").first()
        if found is not None:
            pages.append(reverse(name, args=[space, found.pk]))
    topic = Topic.objects.filter(space__slug=space, page__isnull=True).order_by("pk").first()
    if topic is not None:
        pages.append(reverse("conversation_topic", args=[space, topic.pk]))
    return pages


def _pages_for(role: str) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from wagtail.models import Page, get_page_models

    from community_pages.models import Community, SupportGroupPage
    from resources.models import GuidePage, ResourcePage
    from tests.conftest import ANONYMOUS, SEES
    from workflows.selectors.elections import elections_visible_to

    pages = [*PUBLIC_PAGES, *_account_pages(), reverse("api_docs")]
    communities = list(Community.objects.order_by("slug"))
    if role == ANONYMOUS:
        return [
            *pages,
            reverse("password_reset_confirm", args=["MQ", "not-a-token"]),
            "/frontline/",
            reverse("election_list", args=["frontline"]),
            reverse("join", args=["frontline"]),
        ]
    user = get_user_model().objects.get(username=role)
    # Asking to join (or being told you already belong), and each community's elections: its
    # list, and each election's page (nominations, the ballot, or the results).
    pages += [reverse("join", args=[community.slug]) for community in communities]
    pages += [reverse("election_list", args=[community.slug]) for community in communities]
    pages += [
        reverse("election", args=[election.community.slug, election.pk])
        for election in elections_visible_to(user).order_by("pk")
    ]
    for space in sorted(SEES[role]):
        pages += [url.format(space=space) for url in SPACE_PAGES]
        if space != "common-ground":
            pages += [url.format(space=space) for url in REMEMBRANCE_PAGES]
        pages += [url.format(space=space) for url in CONVERSATION_PAGES]
        pages += [url.format(space=space) for url in TOOL_PAGES]
        pages += _tool_details(space)
        if space in {"bereaved", "common-ground"} and role.endswith("editor"):
            pages.append(f"/conversations/{space}/moderation/")
        for model in (ResourcePage, GuidePage, SupportGroupPage):
            first = model.objects.live().filter(url_path__startswith=f"/home/{space}/").first()
            pages.append(first.url)
    if not SEES[role]:
        pages.append("/frontline/")  # the 403 page that explains how to ask to join
        return pages
    # Members write drafts in the Wagtail admin; editors review there; staff run it.
    space = sorted(SEES[role])[0]
    library = Page.objects.get(url_path=f"/home/{space}/resources/")
    resource = ResourcePage.objects.live().child_of(library).first()
    screens = _page_screens((ResourcePage, GuidePage, SupportGroupPage), space)
    pages += [
        "/admin/",
        f"/admin/pages/{library.pk}/",
        *[screen for screen in screens if "/add/" in screen],
        reverse("wagtailadmin_pages:history", args=[resource.pk]),
        "/admin/images/",
        "/admin/documents/",
        reverse("wagtailadmin_account"),
        *_reports(),  # staff only: anyone else meets a refusal, which must break nothing either
    ]
    if user.is_superuser or role.endswith("-editor"):
        pages += [screen for screen in screens if "/edit/" in screen]
        pages += _named(lambda name: name.startswith("membership:"))  # its decisions are POSTs
    if user.is_superuser:
        ours = [m for m in get_page_models() if m._meta.app_label != "wagtailcore"]
        group = Group.objects.order_by("pk").first()
        member = get_user_model().objects.get(username="frontline-member")
        pages += [
            "/admin/users/",
            reverse("wagtailusers_users:edit", args=[member.pk]),
            reverse("neighborhood_member_delete", args=[member.pk]),
            reverse("wagtailusers_groups:edit", args=[group.pk]),
            *_named(lambda name: name.startswith("wagtailusers_groups:")),
            *_named(lambda name: name.startswith("wagtailusers_api_tokens:")),
            *_named(lambda name: name.startswith("elections:")),
            *[
                reverse("elections:detail", args=[election.pk])
                for election in elections_visible_to(user).order_by("pk")
            ],
            *_page_screens(ours),
        ]
    return list(dict.fromkeys(pages))


def _sign_in(browser, base: str, role: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    browser.get(f"{base}/account/login/")
    browser.find_element(By.NAME, "username").send_keys(role)
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    waiting(browser, 15).until(until.url_to_be(f"{base}/account/"))


def _network(browser) -> tuple[list[str], list[str]]:
    """(every URL requested, every response that was a server error) since the last call."""
    import json

    urls, errors = [], []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.responseReceived":
            response = message["params"]["response"]
            if response["status"] >= 500:
                errors.append(f"{response['status']} {response['url']}")
    return urls, errors


def _csp_problems(browser) -> list[str]:
    """What the policy refused on the page shown, by the page's own report and the console's."""
    found = browser.execute_script("return window.__cspViolations || []")
    return found + [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


def _add_inline_rows(browser) -> list[str]:
    """On a support group's edit screen, "Add" a schedule rule and a cancelled date, as an editor
    would. Each new row must appear with its date picker working, and the policy refuse nothing:
    the rows are copied from a template whose inline initialisers run only with the nonce."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By

    problems = []
    for prefix in ("schedule_rules", "cancellations"):
        rows = f"#id_{prefix}-FORMS > [data-inline-panel-child]"
        before = len(browser.find_elements(By.CSS_SELECTOR, rows))
        index = browser.find_element(By.ID, f"id_{prefix}-TOTAL_FORMS").get_attribute("value")
        add = browser.find_element(By.ID, f"id_{prefix}-ADD")
        browser.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", add
        )
        add.click()
        try:
            waiting(browser, 5).until(
                lambda b, rows=rows, before=before: (
                    len(b.find_elements(By.CSS_SELECTOR, rows)) == before + 1
                )
            )
        except TimeoutException:
            problems.append(f"{prefix}: clicking Add showed no new row")
            continue
        date = f"id_{prefix}-{index}-on"
        if not browser.find_element(By.ID, date).is_displayed():
            problems.append(f"{prefix}: the new row's date field is not shown")
        if not browser.execute_script(
            "return !!window.jQuery('#' + arguments[0]).data('xdsoft_datetimepicker')", date
        ):
            problems.append(f"{prefix}: the new row's date picker did not start")
    problems += _csp_problems(browser)
    # The nonce goes only with Wagtail's own initialisers: other markup inserted the same way,
    # through jQuery, is refused.
    browser.execute_script(
        "window.jQuery('body').append('<script>window.__injected = true;<' + '/script>')"
    )
    if browser.execute_script("return window.__injected === true"):
        problems.append("an inline script inserted with jQuery ran")
    # The violation event is dispatched after the refusal: on a busy machine, wait for it.
    with contextlib.suppress(TimeoutException):
        waiting(browser, 5).until(
            lambda b: any(
                v.startswith("script-src")
                for v in b.execute_script("return window.__cspViolations || []")
            )
        )
    if not any(v.startswith("script-src") for v in _csp_problems(browser)):
        problems.append("an inline script inserted with jQuery was not refused")
    return problems


# Staff and both editors open a support group's edit screen and add rows there; members not.
ADDS_ROWS = {"bereaved-editor", "frontline-editor", "staff"}


@pytest.fixture(scope="session")
def axe_checked(request, tmp_path_factory) -> Checked:
    """What axe-core has checked, for every role of the run. Under xdist, shared by the workers
    through a file in the run's temporary folder (each worker's own is inside it): a screen is
    checked once, on whichever worker a role showed it first, as in one process."""
    if hasattr(request.config, "workerinput"):
        return Checked(tmp_path_factory.getbasetemp().parent / "axe-checked.json")
    return Checked()


# Staff's crawl is by far the longest (every admin screen): it is two tests, its site pages and
# its admin screens, so that xdist's workers share it out as they do the other roles.
SPLIT = {"staff": ("site", "admin")}


def _crawls() -> list:
    return [
        pytest.param(role, part, id=f"{role}-{part}" if part else role)
        for role in ["visitor", *PEOPLE_ROLES]
        for part in SPLIT.get(role, (None,))
    ]


def _part(pages: list[str], part: str | None) -> list[str]:
    """All the role's pages, or only its admin screens, or only the others."""
    if part is None:
        return pages
    return [page for page in pages if page.startswith("/admin/") is (part == "admin")]


@pytest.mark.parametrize(("role", "part"), _crawls())
def test_every_page__loads_nothing_from_another_origin_and_breaks_no_csp(
    demo_loaded, live_server, browser, role, part, request, axe_checked
):
    """Each role in a browser with nothing left from another, on the demo as loaded (put back
    from its snapshot for each). axe-core checks each page at 1280 and 390 px (tests/axe.py)
    and its summary, one line per page, is in the test report ("axe-core, per page")."""
    from urllib.parse import urlsplit

    base = live_server.url
    origin = urlsplit(base)[:2]
    problems, added = {}, False
    pages = _part(_pages_for(role), part)
    assert pages
    if role != "visitor":
        _sign_in(browser, base, role)
    with templates_served() as templates, AxeCrawl(browser, axe_checked, templates) as axe:
        for path in pages:
            browser.get(f"{base}{path}")
            axe.check(role, path)
            if found := _csp_problems(browser):
                problems[path] = found
            if "/edit/" in path and browser.find_elements("id", "id_schedule_rules-ADD"):
                added = True
                if found := _add_inline_rows(browser):
                    problems[f"{path} (adding rows)"] = found
    requested, errors = _network(browser)
    foreign = sorted(
        {
            url
            for url in requested
            if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url)[:2] != origin
        }
    )
    if foreign:
        problems["(requests to other origins)"] = foreign
    if errors:
        problems["(server errors)"] = errors
    who = f"{role} ({part})" if part else role
    request.node.add_report_section("call", "axe", "\n".join([*axe.lines, axe.total(who)]))
    assert len(requested) > len(pages)
    assert problems == {}, "\n".join(f"{who} {k}: {v}" for k, v in problems.items())
    assert added is (role in ADDS_ROWS and part != "site")  # edit screens are admin screens
    assert axe.blocking == {}, "axe-core, serious or critical:\n" + "\n".join(
        f"{page}: {finding}" for page, found in axe.blocking.items() for finding in found[:8]
    )


def test_hostile_text__no_script_runs_and_csp_blocks_even_raw_markup(
    demo_loaded, live_server, browser
):
    """Titles are escaped; and were raw markup ever stored (not possible through the editor), the
    policy would still refuse to run its inline handler."""
    from selenium.webdriver.support import expected_conditions as until

    from home.models import HomePage, StandardPage

    home = HomePage.objects.get(depth=2, locale__language_code="en")
    home.add_child(
        instance=StandardPage(
            title="<script>alert('xss-title')</script>",
            slug="hostile",
            body='<p>Text<img src="/nothing.png" onerror="alert(\'xss-raw\')"></p>',
        )
    )
    browser.get(f"{live_server.url}/hostile/")
    # Until the policy has refused the image's inline handler (reported once the image failed to
    # load), rather than two seconds every time: by then the handler would have run. An alert
    # open meanwhile fails the wait's own scripts (an unexpected alert), and none may be open.
    refused = "return (window.__cspViolations || []).some(v => v.startsWith('script-src'))"
    waiting(browser, 15).until(lambda b: b.execute_script(refused))
    assert not until.alert_is_present()(browser)
    violations = browser.execute_script("return window.__cspViolations || []")
    assert any(v.startswith("script-src") for v in violations), violations
    assert "<script>alert('xss-title')</script>" in browser.title
