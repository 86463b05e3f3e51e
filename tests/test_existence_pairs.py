"""Existence pairs: a hidden object and a missing one answer byte-identically, apart from the path.

For every surface (site pages in every locale, editors-only pages, restricted pages outside any
space, elections, files: originals, renditions and documents, the API's detail and find, the
feeds) and every demo role, the answer for something the role may not see is compared with the
answer for an id or slug that does not exist: same status, same headers that matter, same body
once the requested path (and per-response noise: CSRF tokens, CSP nonces) is taken out. Each
denied pair keeps its allowed twin on the same setup: the role that may see gets the object.

docs/privacy.md, "What someone who may not see gets", is the rule these pairs hold to.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from community_pages.models import Community, CommunityPage, JoinRequest
from home.models import StandardPage
from tests.api.conftest import api_client  # noqa: F401 (fixture)
from tests.conftest import ALL_ROLES, ANONYMOUS, ROLES, SEES, SPACES

LOCALES = ["", "es/", "pt/"]
MISSING_ID = 987654
HEADERS = (
    "Content-Type",
    "Location",
    "Cache-Control",
    "Vary",
    "Content-Language",
    "Content-Disposition",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "WWW-Authenticate",
    "Allow",
)
# Headers whose value may differ between two identical answers (lengths, dates, cookies).
NOISY = {"content-length", "expires", "date", "set-cookie", "etag", "last-modified"}
CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
NONCE_BODY = re.compile(rb'(nonce=")[^"]*(")')
NONCE_HEADER = re.compile(r"'nonce-[^']*'")

# Every caller: the visitor, each demo role by session and, for the API and files, by token.
CALLERS = [(ANONYMOUS, "none")] + [(role, auth) for role in ROLES for auth in ("session", "token")]


def _variants(path: str) -> list[str]:
    """The path as a page may repeat it: encoded, without its language prefix (the language
    switcher), without the leading slash (DEBUG's technical 404)."""
    bare = re.sub(r"^/(es|pt)/", "/", path)
    found = {path, bare, path.lstrip("/")} - {"", "/"}
    found |= {quote(p, safe="/") for p in found} | {quote(p, safe="") for p in found}
    return sorted(found, key=len, reverse=True)


def _shape(response, path: str) -> tuple:
    """What a prober could compare: status, the headers that matter, the body without the path."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for variant in _variants(path):
        body = body.replace(variant.encode(), b"<path>")
    body = NONCE_BODY.sub(rb"\1\2", CSRF.sub(rb"\1\2", body))
    headers = {}
    for name in HEADERS:
        value = response.get(name)
        if value is not None:
            for variant in _variants(path):
                value = value.replace(variant, "<path>")
            headers[name] = NONCE_HEADER.sub("'nonce'", value)
    names = {name.lower() for name in response.headers} - NOISY
    cookies = sorted(response.cookies)
    return response.status_code, headers, names, cookies, body


def assert_pair(
    client: Client, hidden: str, missing: str, asked: dict | None = None, **params
) -> tuple:
    """The hidden and the missing address answer alike; returns the shared (status, headers).
    With `asked` ({path: shape}), an address the test already asked is not asked again (the
    same missing file for several hidden ones, a rendition compared with two missing ones)."""
    got_hidden = _asked(client, hidden, asked, params)
    got_missing = _asked(client, missing, asked, params)
    assert got_hidden[:4] == got_missing[:4], (hidden, missing)
    assert got_hidden[4] == got_missing[4], (hidden, missing)
    return got_hidden


def _asked(client: Client, path: str, asked: dict | None, params: dict) -> tuple:
    if asked is None or params:
        return _shape(client.get(path, params), path)
    if path not in asked:
        asked[path] = _shape(client.get(path), path)
    return asked[path]


def _client(role: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    if role != ANONYMOUS:
        client.force_login(get_user_model().objects.get(username=role))
    return client


def _login_location(locale: str, path: str) -> str:
    return f"/{locale}account/login/?next=<path>"


def _page_url(page: Page) -> str:
    return page.get_url(None)


def _inside(space: str, locale: str) -> list[str]:
    """Existing addresses inside a space in a locale: a section and, where there is one, a page."""
    home = Page.objects.get(depth=2, locale__language_code=locale.strip("/") or "en")
    space_page = Page.objects.child_of(home).get(slug=space)
    urls = [_page_url(p) for p in Page.objects.live().child_of(space_page).order_by("path")[:1]]
    deep = Page.objects.live().descendant_of(space_page).filter(depth=5).order_by("path").first()
    if deep is not None:
        urls.append(_page_url(deep))
    return urls


def _missing_twin(url: str) -> str:
    """An address at the same depth, beside `url`, where nothing exists."""
    parent = url.rstrip("/").rsplit("/", 1)[0]
    return f"{parent}/no-such-page/"


# Site pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_inside_a_space__hidden_answers_like_missing(db, role, locale):
    client = _client(role)
    for space in SPACES:
        for url in _inside(space, locale):
            missing = _missing_twin(url)
            if space in SEES[role]:
                assert client.get(url).status_code == HTTPStatus.OK, url  # the allowed twin
                assert client.get(missing).status_code == HTTPStatus.NOT_FOUND, missing
                continue
            status, headers, *_ = assert_pair(client, url, missing)
            if role == ANONYMOUS:
                # One redirect for every path under a space's address, so a member can sign in.
                assert status == HTTPStatus.FOUND
                assert headers["Location"] == _login_location(locale, url)
            else:
                assert status == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_space_front_page__the_one_friendly_exception(db, role, locale):
    """A space's own front page: a visitor signs in, a signed-in non-member may ask to join
    (community names are public); nothing inside the space gets that page."""
    client = _client(role)
    for space in SPACES:
        url = f"/{locale}{space}/"
        response = client.get(url)
        if space in SEES[role]:
            assert response.status_code == HTTPStatus.OK
        elif role == ANONYMOUS:
            assert response.status_code == HTTPStatus.FOUND
            assert response["Location"].startswith(f"/{locale}account/login/?next=")
        else:
            assert response.status_code == HTTPStatus.FORBIDDEN
            body = response.content.decode()
            assert ("/join/" in body) or ("/account/" in body)
            inner = client.get(f"{url}resources/")
            assert inner.status_code == HTTPStatus.NOT_FOUND
            assert b"/join/" + space.encode() not in inner.content


@pytest.fixture
def editors_only(db):
    """An editors-only guide inside Frontline (a nested groups restriction)."""
    guides = Page.objects.get(url_path="/home/frontline/guides/")
    page = guides.add_child(
        instance=StandardPage(title="Editors' handover notes", slug="handover", body="<p>x</p>")
    )
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Community.objects.get(slug="frontline").editors_group)
    return _page_url(page)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_editors_only_page__hidden_answers_like_missing(editors_only, role):
    client = _client(role)
    missing = _missing_twin(editors_only)
    if role in ("staff", "frontline-editor"):
        response = client.get(editors_only)
        assert response.status_code == HTTPStatus.OK
        assert b"Editors&#x27; handover notes" in response.content
        return
    status, headers, *_ = assert_pair(client, editors_only, missing)
    if role == ANONYMOUS:
        assert status == HTTPStatus.FOUND
        assert headers["Location"] == _login_location("", editors_only)
    else:
        assert status == HTTPStatus.NOT_FOUND  # a member too: never 403, never the title


@pytest.fixture
def restricted_outside(db):
    """Two restricted pages outside any space: one for signed-in people, one for a group."""
    about = Page.objects.get(url_path="/home/about/")
    login_page = about.add_child(
        instance=StandardPage(title="Volunteer rota", slug="rota", body="<p>x</p>")
    )
    PageViewRestriction.objects.create(page=login_page, restriction_type=PageViewRestriction.LOGIN)
    group_page = about.add_child(
        instance=StandardPage(title="Board minutes", slug="minutes", body="<p>x</p>")
    )
    restriction = PageViewRestriction.objects.create(
        page=group_page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Board"))
    return {"login": _page_url(login_page), "group": _page_url(group_page)}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("kind", ["login", "group"])
def test_restricted_page_outside_spaces__hidden_answers_404_like_missing(
    restricted_outside, role, kind
):
    client = _client(role)
    url = restricted_outside[kind]
    allowed = role == "staff" or (kind == "login" and role != ANONYMOUS)
    if allowed:
        assert client.get(url).status_code == HTTPStatus.OK
        return
    status, *_ = assert_pair(client, url, _missing_twin(url))
    assert status == HTTPStatus.NOT_FOUND


def test_restricted_page_outside_spaces__visitor_404_offers_to_sign_in(restricted_outside):
    body = _client(ANONYMOUS).get(restricted_outside["login"]).content.decode()
    assert "/account/login/?next=/about/rota/" in body


@pytest.mark.parametrize("role", [ANONYMOUS, "frontline-member", "applicant"])
def test_pages_under_debug__hidden_answers_like_missing(db, role, settings):
    settings.DEBUG = True
    client = _client(role)
    assert_pair(client, "/bereaved/guides/the-first-weeks/", "/bereaved/guides/no-such-page/")
    assert_pair(client, "/es/bereaved/resources/", "/es/bereaved/no-such-page/")


@pytest.mark.parametrize("role", ["frontline-member", "bereaved-member", "applicant"])
def test_password_forms__answer_404_for_every_id(db, role):
    client = _client(role)
    restriction = PageViewRestriction.objects.first()
    status, *_ = assert_pair(
        client,
        f"/_util/authenticate_with_password/{restriction.pk}/{restriction.page_id}/",
        f"/_util/authenticate_with_password/{MISSING_ID}/{MISSING_ID}/",
    )
    assert status == HTTPStatus.NOT_FOUND


# Elections -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_elections__hidden_answers_like_missing(db, role):
    from workflows.models import Election

    client = _client(role)
    for space in ("frontline", "bereaved"):
        election = Election.objects.filter(community__slug=space).first()
        url = f"/{space}/elections/{election.pk}/"
        missing = f"/{space}/elections/{MISSING_ID}/"
        if space in SEES[role]:
            assert client.get(url).status_code == HTTPStatus.OK
            assert client.get(missing).status_code == HTTPStatus.NOT_FOUND
            continue
        status, *_ = assert_pair(client, url, missing)
        assert status == (HTTPStatus.FOUND if role == ANONYMOUS else HTTPStatus.NOT_FOUND)


# Files ---------------------------------------------------------------------------------------


def _file_space(name: str) -> str:
    base = name.split("/")[-1]
    return next((s for s in SPACES if base.startswith(s + "-")), "public")


def _file_pairs() -> list[tuple[str, str, str]]:
    """(space, existing URL, missing URL) for every original, rendition and document."""
    pairs = []
    for image in get_image_model().objects.all():
        space = _file_space(image.file.name)
        pairs.append((space, image.serve_url, f"/images/{MISSING_ID}/original/"))
        rendition = image.get_rendition("fill-80x80")
        pairs.append((space, rendition.url, f"/images/{image.pk}/{MISSING_ID}/"))
        pairs.append((space, rendition.url, f"/images/{MISSING_ID}/{rendition.pk}/"))
    for document in get_document_model().objects.all():
        space = _file_space(document.file.name)
        pairs.append((space, document.url, f"/documents/{MISSING_ID}/{document.filename}"))
        pairs.append((space, document.url, f"/documents/{document.pk}/not-its-name.pdf"))
    return pairs


@pytest.mark.parametrize(("role", "auth"), CALLERS)
def test_files__hidden_answers_like_missing(api_client, role, auth):  # noqa: F811
    client = api_client(role, auth)
    pairs = _file_pairs()
    kinds = {kind for _s, url, _m in pairs for kind in ("/images/", "/documents/") if kind in url}
    assert kinds == {"/images/", "/documents/"}
    assert {space for space, _u, _m in pairs} == {*SPACES, "public"}
    asked: dict[str, tuple] = {}  # each address once: the pairs share some (see _file_pairs)
    for space, url, missing in pairs:
        if space == "public" or space in SEES[role]:
            assert _asked(client, url, asked, {})[0] == HTTPStatus.OK, url  # the allowed twin
            assert _asked(client, missing, asked, {})[0] == HTTPStatus.NOT_FOUND, missing
            continue
        status, headers, *_, body = assert_pair(client, url, missing, asked)
        assert status == HTTPStatus.NOT_FOUND, url
        assert headers["Content-Type"].startswith("text/html")
        for name in Community.objects.values_list("name", flat=True):
            assert name.encode() not in body  # no owner named


@pytest.mark.parametrize("role", [ANONYMOUS, "bereaved-member"])
def test_files_under_debug__say_nothing_more_than_production(db, role, settings):
    client = _client(role)
    hidden = [(url, missing) for space, url, missing in _file_pairs() if space == "frontline"]
    production = [assert_pair(client, url, missing) for url, missing in hidden]
    settings.DEBUG = True
    debug = [assert_pair(client, url, missing) for url, missing in hidden]
    assert debug == production
    assert all(b"matches the given query" not in shape[-1] for shape in debug)


# The API -------------------------------------------------------------------------------------


def _hidden_ids(model, role: str) -> list[int]:
    """Ids of objects in spaces the role may not see: every file, and for pages one per space,
    language and depth (the space, a section, a page inside), drafts included."""
    if model is not Page:
        space_of = {f.pk: _file_space(f.file.name) for f in model.objects.all()}
        return [pk for pk, s in space_of.items() if s in SPACES and s not in SEES[role]]
    chosen: dict[tuple, int] = {}
    for page in Page.objects.filter(depth__in=(3, 4, 5)).order_by("path"):
        space = page.url_path.strip("/").split("/")[1]
        if space in SPACES and space not in SEES[role]:
            chosen.setdefault((space, page.locale_id, page.depth), page.pk)
    return list(chosen.values())


@pytest.mark.parametrize(("role", "auth"), CALLERS)
def test_api_detail_and_find__hidden_answers_like_missing(api_client, role, auth):  # noqa: F811
    client = api_client(role, auth)
    for kind, model in (
        ("pages", Page),
        ("images", get_image_model()),
        ("documents", get_document_model()),
    ):
        hidden = _hidden_ids(model, role)
        if not SEES[role]:
            assert hidden  # the visitor and the applicant have hidden objects of every kind
        missing_url = f"/api/v2/{kind}/{MISSING_ID}/"
        missing = _shape(client.get(missing_url), missing_url)
        missing_find = _shape(client.get(f"/api/v2/{kind}/find/", {"id": MISSING_ID}), "")
        assert missing[0] == missing_find[0] == HTTPStatus.NOT_FOUND
        assert missing[1]["Content-Type"].startswith("application/json")
        for pk in hidden:
            url = f"/api/v2/{kind}/{pk}/"
            assert _shape(client.get(url), url) == missing, url
            assert _shape(client.get(f"/api/v2/{kind}/find/", {"id": pk}), "") == missing_find
    # The allowed twin on the same setup: what the role sees is found.
    for space in SEES[role]:
        page = Page.objects.get(url_path=f"/home/{space}/")
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == HTTPStatus.OK


@pytest.mark.parametrize(("role", "auth"), CALLERS)
def test_api_find_by_path_and_tree_filters__hidden_answers_like_missing(
    api_client,  # noqa: F811
    role,
    auth,
):
    client = api_client(role, auth)
    for space in SPACES:
        page = Page.objects.get(url_path=f"/home/{space}/resources/")
        hidden_path = f"/{space}/resources/"
        missing_path = f"/{space}/no-such-page/"
        by_path = [
            _shape(client.get("/api/v2/pages/find/", {"html_path": p}), p)
            for p in (hidden_path, missing_path)
        ]
        tree = {
            name: [
                _shape(client.get("/api/v2/pages/", {name: pk}), "") for pk in (page.pk, MISSING_ID)
            ]
            for name in ("child_of", "descendant_of")
        }
        if space in SEES[role]:
            assert by_path[0][0] == HTTPStatus.FOUND
            assert tree["child_of"][0][0] == HTTPStatus.OK
            continue
        assert by_path[0] == by_path[1]
        assert by_path[0][0] == HTTPStatus.NOT_FOUND
        for name, (hidden, missing) in tree.items():
            assert hidden == missing, name


# Feeds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "auth"), CALLERS)
def test_feeds__hidden_answers_like_missing(api_client, role, auth):  # noqa: F811
    client = api_client(role, auth)
    asked: dict[str, tuple] = {}  # the missing addresses are the same for every space
    for space in SPACES:
        group = (
            Page.objects.live()
            .filter(url_path__startswith=f"/home/{space}/groups/", depth=5)
            .order_by("path")
            .first()
        )
        urls = [
            (f"/feeds/{space}/meetings.json", "/feeds/no-such-space/meetings.json"),
            (f"/feeds/{space}/meetings.ics", "/feeds/no-such-space/meetings.ics"),
            (f"/feeds/{space}/groups/{group.slug}.ics", "/feeds/no-such-space/groups/x.ics"),
            (f"/feeds/{space}/groups/{group.slug}.ics", f"/feeds/{space}/groups/no-such.ics"),
        ]
        for url, missing in urls:
            if space in SEES[role]:
                assert _asked(client, url, asked, {})[0] == HTTPStatus.OK, url
                continue
            status, *_ = assert_pair(client, url, missing, asked)
            assert status == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(("role", "auth"), CALLERS)
def test_api_elections__hidden_answers_like_missing(api_client, role, auth):  # noqa: F811
    from workflows.models import Election

    client = api_client(role, auth)
    for space in ("frontline", "bereaved"):
        election = Election.objects.filter(community__slug=space).exclude(status="draft").first()
        url, missing = f"/api/v2/elections/{election.pk}/", f"/api/v2/elections/{MISSING_ID}/"
        if role == ANONYMOUS:
            status, *_ = assert_pair(client, url, missing)
            assert status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)
        elif space in SEES[role]:
            assert client.get(url).status_code == HTTPStatus.OK  # the allowed twin
        else:
            status, *_ = assert_pair(client, url, missing)
            assert status == HTTPStatus.NOT_FOUND
            for rest in ("vote/", "nominations/", "close/"):
                got = [
                    _shape(client.post(f"{base}{rest}", {}, content_type="application/json"), "")
                    for base in (url, missing)
                ]
                assert got[0] == got[1], rest


@pytest.mark.parametrize("role", [ANONYMOUS, "bereaved-member", "applicant"])
def test_unpublished_space__everything_under_it_is_missing(db, role):
    """A space that is not live is not on the front door: no sign-in redirect, no join page."""
    Page.objects.get(url_path="/home/frontline/").specific.unpublish()
    client = _client(role)
    for url in ("/frontline/", "/frontline/resources/", "/frontline/guides/after-a-hard-shift/"):
        status, *_ = assert_pair(client, url, _missing_twin(url))
        assert status == HTTPStatus.NOT_FOUND, url


# Export --------------------------------------------------------------------------------------


def _own_page(owner, space: str, title: str) -> Page:
    from resources.models import GuidePage

    guides = Page.objects.get(url_path=f"/home/{space}/guides/")
    guide = GuidePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=title,
        byline="Night Owl",
        body=[("paragraph", f"<p>{title}</p>")],
        owner=owner,
    )
    guides.add_child(instance=guide)
    guide.save_revision(user=owner).publish()
    return guide


@pytest.mark.parametrize("role", ["applicant", "frontline-member"])
def test_export__one_hidden_page_is_described_exactly_like_another(db, role):
    """Which hidden page a person owns (its space, title, id) does not show in the export."""
    from django.contrib.auth import get_user_model

    from home.selectors import member_data_export

    person = get_user_model().objects.get(username=role)

    def entries():
        data = member_data_export(person)
        revisions = [{k: v for k, v in r.items() if k != "created_at"} for r in data["revisions"]]
        return data["pages"], revisions

    first = _own_page(person, "bereaved", "Notes on the grief circle")
    hidden_bereaved = entries()
    Page.objects.filter(pk=first.pk).update(owner=None)
    first.revisions.update(user=None)
    _own_page(person, "bereaved", "Another title entirely")
    hidden_other = entries()
    assert hidden_bereaved == hidden_other
    assert hidden_bereaved[0] == [{"page": "a page in a space you no longer belong to"}]
    # The allowed twin on the same setup: staff, who may see it, get the title.
    staff = get_user_model().objects.get(username="staff")
    _own_page(staff, "bereaved", "Staff handover")
    assert "Staff handover" in {p.get("title") for p in member_data_export(staff)["pages"]}


@pytest.mark.parametrize("method", ["get", "post"])
def test_join__an_unpublished_community_answers_like_a_missing_one(db, method):
    """An unpublished community's name is not on the front door, so neither its join page nor
    the join-request API confirms that it exists; published, the same page is the join form."""
    client = _client("applicant")
    published = getattr(client, method)("/join/bereaved/", {"message": ""})
    # the form, the request made, or "you have already asked": the community is there
    assert published.status_code in (HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST)
    JoinRequest.objects.filter(community__slug="bereaved").delete()
    for page in CommunityPage.objects.filter(slug="bereaved"):
        page.unpublish()
    requests_before = JoinRequest.objects.count()

    for hidden, missing in [("/join/bereaved/", "/join/no-such-community/")]:
        got_hidden = _shape(getattr(client, method)(hidden), hidden)
        got_missing = _shape(getattr(client, method)(missing), missing)
        assert got_hidden == got_missing
        assert got_hidden[0] == HTTPStatus.NOT_FOUND
    api = [
        client.post("/api/v2/join-requests/", {"community": slug}).json()
        for slug in ("bereaved", "no-such-community")
    ]
    assert api[0]["message"].replace("bereaved", "no-such-community") == api[1]["message"]
    assert JoinRequest.objects.count() == requests_before
