"""The admin answers "not yours" exactly like "not there".

Members write drafts in the Wagtail admin and editors review them there, so for everyone but
staff the admin must not say whether a page, image or document they may not see exists: not
another community's, not a page restricted to a community's editors, not another member's draft.

- **Existence pairs**: for each admin surface and each non-staff role, a hidden object and an id
  that does not exist answer byte-identically apart from the requested path (status, the headers
  that matter, the body once the path, CSRF tokens and nonces are taken out); for the listings
  (explorer, search, choosers, the admin API, file listings), the screen with the hidden object
  is the screen without it.
- **The URL walk**: every URL pattern registered under /admin/ (read from Django's resolver, so
  a view a Wagtail upgrade adds is walked too), filled with the ids of hidden objects, asked by a
  member of the other community, an applicant, and an ordinary member facing an editors-only page
  and a fellow member's draft: the answer is the missing-id answer, with no title or slug.
- Every allowed case has its twin on the same setup: the editor sees the editors-only page, the
  author sees her draft, a member sees her community's files.

The hidden objects are built once for the module (inside a transaction rolled back at its end).
"""

from __future__ import annotations

import re
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    BaseViewRestriction,
    Page,
    PageViewRestriction,
    Task,
    TaskState,
    UploadedFile,
    WorkflowState,
)

from community_pages.models import Community
from core.middleware import AdminPagePrivacyMiddleware
from resources.models import GuidePage, ResourcePage

DRAFT_TITLE = "Zephyrine circle for siblings"
DRAFT_SLUG = "zephyrine-circle"
EDITORS_TITLE = "Quillonet notes for editors"
EDITORS_SLUG = "quillonet-notes"
UPLOAD_NAME = "marzipanoid-upload"
MISSING = 987654  # no object of any kind has this id in the demo
# Who faces what: the roles of the URL walk and the hidden objects each one must not see.
OTHER_COMMUNITY = "frontline-member"
APPLICANT = "applicant"
ORDINARY_MEMBER = "bereaved-member"
WALK_ROLES = [OTHER_COMMUNITY, APPLICANT, ORDINARY_MEMBER]


# The hidden objects, built once -----------------------------------------------------------------


def _resource(parent: Page, title: str, slug: str, owner) -> ResourcePage:
    page = ResourcePage(
        title=title, slug=slug, summary="Private.", kind="website", link="https://example.org/"
    )
    page.owner = owner
    parent.add_child(instance=page)
    return page


@pytest.fixture(scope="module")
def hidden(django_db_setup, django_db_blocker):
    """In the bereaved community: a page only its editors may see (live), a member's draft
    submitted for review, an upload in progress by its editor; plus its section, image and
    document, which the other community and applicants may not see."""
    users = get_user_model().objects
    with django_db_blocker.unblock(), transaction.atomic():
        editor = users.get(username="bereaved-editor")
        author = users.get(username="member-of-both")  # a bereaved member, not an editor
        library = Page.objects.get(url_path="/home/bereaved/resources/")
        bereaved = Community.objects.get(slug="bereaved")

        editors_only = _resource(library, EDITORS_TITLE, EDITORS_SLUG, editor)
        editors_only.save_revision(user=editor).publish()
        restriction = PageViewRestriction.objects.create(
            page=editors_only, restriction_type=BaseViewRestriction.GROUPS
        )
        restriction.groups.set([bereaved.editors_group])

        draft = _resource(library, DRAFT_TITLE, DRAFT_SLUG, author)
        draft.live = False
        draft.save()
        draft.save_revision(user=author)
        draft.get_workflow().start(draft, author)
        draft.refresh_from_db()

        collection = bereaved.collection
        upload = UploadedFile.objects.create(
            file=ContentFile(b"pending", name=f"{UPLOAD_NAME}.txt"),
            for_content_type=ContentType.objects.get_for_model(get_document_model()),
            uploaded_by_user=editor,
        )
        objects = {
            "section": library,
            "editors_only": editors_only,
            "draft": draft,
            "image": get_image_model().objects.get(collection=collection),
            "document": get_document_model().objects.get(collection=collection),
            "upload": upload,
            "task_state": TaskState.objects.filter(workflow_state__object_id=str(draft.pk)).get(),
            "workflow_state": WorkflowState.objects.filter(object_id=str(draft.pk)).get(),
        }
        yield objects
        transaction.set_rollback(True)


def _hidden_from(role: str, hidden: dict) -> dict[str, list]:
    """{kind: hidden objects} for a role; the ordinary member sees her community's section."""
    pages = [hidden["editors_only"], hidden["draft"]]
    if role == ORDINARY_MEMBER:
        return {"page": pages, "image": [], "document": [], "upload": [hidden["upload"]]}
    return {
        "page": [hidden["section"], *pages],
        "image": [hidden["image"]],
        "document": [hidden["document"]],
        "upload": [hidden["upload"]],
    }


def _markers(role: str, hidden: dict) -> list[str]:
    """Text that must never reach this role: titles, slugs and file names of what it may not see."""
    markers = [DRAFT_TITLE, DRAFT_SLUG, EDITORS_TITLE, EDITORS_SLUG, UPLOAD_NAME]
    if role != ORDINARY_MEMBER:
        markers += [
            hidden["image"].title,
            hidden["document"].title,
            hidden["document"].file.name.rsplit("/", 1)[-1],
            "/bereaved/",
        ]
    return markers


# Comparing answers ------------------------------------------------------------------------------

HEADERS = ("Content-Type", "Cache-Control", "Vary", "Content-Language", "X-Frame-Options")
TOKENS = re.compile(  # also inside the JSON of modal choosers, where quotes are escaped
    rb'(csrfmiddlewaretoken\\?" value=\\?"|"csrf_?token": "|nonce=\\?"|nonce-)[^"\\\'; ]+',
    re.IGNORECASE,
)


# How long ago something was saved (the explorer's "Updated" column) moves with the clock; in
# the choosers' JSON the no-break space is written \u00a0.
WHEN = re.compile(rb"Just now|\d+(?:\xc2\xa0| |\\u00a0)\w+ ago")
MESSAGES = re.compile(rb'<ul class="messages">.*?</ul>', re.DOTALL)


def _shape(response, path: str) -> tuple:
    """What an answer tells, with the requested path, CSRF tokens, nonces, relative times and
    flash messages (left in the session by an earlier answer) taken out."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    forms = {
        path,
        quote(path),
        quote(path, safe="/"),
        quote(path, safe=""),
        path.replace("&", "&amp;"),
    }
    for form in sorted(forms, key=len, reverse=True):
        body = body.replace(form.encode(), b"<path>")
    body = TOKENS.sub(rb"\1<token>", body)
    body = WHEN.sub(b"<when>", body)
    body = MESSAGES.sub(b"", body)
    headers = tuple((name, response.get(name)) for name in HEADERS)
    location = response.get("Location", "")
    for form in sorted(forms, key=len, reverse=True):
        location = location.replace(form, "<path>")
    policy = TOKENS.sub(b"\\1<token>", response.get("Content-Security-Policy", "").encode())
    return response.status_code, headers, location, policy, body


def _difference(url: str, one: tuple, other: tuple) -> tuple:
    """Where two answers differ (for a readable failure)."""
    if one[:-1] != other[:-1]:
        return url, one[:-1], other[:-1]
    lines = zip(one[-1].splitlines(), other[-1].splitlines(), strict=False)
    return url, next(((a[:300], b[:300]) for a, b in lines if a != b), "lengths differ")


def _assert_same(ask, role: str, hidden_url: str, missing_url: str, markers, method="get"):
    """The hidden URL answers exactly like the missing one; its status."""
    hidden_status, hidden_shape = ask(role, method, hidden_url)
    _missing_status, missing_shape = ask(role, method, missing_url)
    assert hidden_shape == missing_shape, (
        method,
        _difference(hidden_url, hidden_shape, missing_shape),
    )
    text = hidden_shape[-1].decode(errors="replace")
    assert not [marker for marker in markers if marker in text], hidden_url
    return hidden_status


@pytest.fixture
def as_role(db):
    clients = {}

    def get(role: str) -> Client:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(get_user_model().objects.get(username=role))
        return clients[role]

    return get


@pytest.fixture(scope="module")
def refusals(hidden):
    """{(role, method, URL): (status, shape)}: the refusals asked so far in this module."""
    return {}


@pytest.fixture
def ask(as_role, refusals):
    """(status, shape) of a role's request, asked once for the module. The existence pairs and
    the walk ask for many of the same addresses (one missing id answers for every hidden object
    of a kind; the surfaces above are Wagtail URL patterns the walk reaches too; an address with
    no id of its own, such as a model's usage screen, is both the hidden and the missing URL).
    Every one of these answers is a refusal (a 404, or the API's 400 for a filter), which changes
    nothing, and all of them are asked on the module's same hidden objects, so asking again
    would get the same bytes. Listings, which the tests change under them, are not asked here."""

    def get(role: str, method: str, url: str) -> tuple[int, tuple]:
        key = (role, method, url)
        if key not in refusals:
            response = getattr(as_role(role), method)(url)
            refusals[key] = response.status_code, _shape(response, url)
        return refusals[key]

    return get


# Existence pairs, surface by surface -------------------------------------------------------------

PAGE_SURFACES = [
    "/admin/pages/{id}/",
    "/admin/pages/{id}/edit/",
    "/admin/pages/{id}/history/",
    "/admin/pages/{id}/revisions/",
    "/admin/pages/{id}/workflow_history/",
    "/admin/pages/{id}/view_draft/",
    "/admin/pages/{id}/move/",
    "/admin/pages/{id}/copy/",
    "/admin/pages/{id}/delete/",
    "/admin/pages/{id}/usage/",
    "/admin/pages/add/resources/resourcepage/{id}/",
    "/admin/choose-page/{id}/",
    "/admin/choose-page/chosen-multiple/?id={id}",
    "/admin/api/main/pages/{id}/",
    "/admin/api/main/pages/?child_of={id}",
    "/admin/api/main/pages/?descendant_of={id}",
    "/admin/api/main/pages/find/?id={id}",
    "/admin/bulk/wagtailcore/page/delete/?id={id}",
    "/admin/pages/search/?q={slug}",
]
FILE_SURFACES = {
    "image": [
        "/admin/images/{id}/",
        "/admin/images/{id}/delete/",
        "/admin/images/{id}/generate_url/",
        "/admin/images/{id}/preview/fill-80x80/",
        "/admin/images/usage/{id}/",
        "/admin/images/chooser/chosen/{id}/",
        "/admin/images/chooser/{id}/select_format/",
        "/admin/images/chooser/chosen-multiple/?id={id}",
        "/admin/api/main/images/{id}/",
        "/admin/bulk/resources/privateimage/delete/?id={id}",
    ],
    "document": [
        "/admin/documents/edit/{id}/",
        "/admin/documents/delete/{id}/",
        "/admin/documents/multiple/{id}/",
        "/admin/documents/usage/{id}/",
        "/admin/documents/chooser/chosen/{id}/",
        "/admin/documents/chooser/chosen-multiple/?id={id}",
        "/admin/api/main/documents/{id}/",
        "/admin/bulk/wagtaildocs/document/delete/?id={id}",
    ],
    "upload": [
        "/admin/documents/multiple/create_from_uploaded_document/{id}/",
        "/admin/documents/multiple/delete_upload/{id}/",
    ],
}


@pytest.mark.parametrize("role", WALK_ROLES)
def test_pages__hidden_answers_like_missing(ask, hidden, role):
    for page in _hidden_from(role, hidden)["page"]:
        for surface in PAGE_SURFACES:
            hidden_url = surface.format(id=page.pk, slug=page.slug)
            missing_url = surface.format(id=MISSING, slug=page.slug)
            if "{id}" not in surface:  # a search: the same words, the object gone instead
                continue
            markers = _markers(role, hidden)
            status = _assert_same(ask, role, hidden_url, missing_url, markers)
            if "_of=" not in surface:  # a filter of the API's listing: its own 400, the same
                assert status == HTTPStatus.NOT_FOUND, hidden_url
            _assert_same(ask, role, hidden_url, missing_url, markers, method="post")


@pytest.mark.parametrize("role", WALK_ROLES)
def test_files__hidden_answers_like_missing(ask, hidden, role):
    checked = 0
    for kind, surfaces in FILE_SURFACES.items():
        for obj in _hidden_from(role, hidden)[kind]:
            for surface in surfaces:
                hidden_url, missing_url = surface.format(id=obj.pk), surface.format(id=MISSING)
                status = _assert_same(ask, role, hidden_url, missing_url, _markers(role, hidden))
                assert status == HTTPStatus.NOT_FOUND, hidden_url
                checked += 1
    assert checked >= len(FILE_SURFACES["upload"])


def test_workflow_action__another_pages_task_state_answers_like_missing(ask, hidden):
    """Wagtail looks a task state up by id alone: on a page the member may open (her own
    community's library), the draft's task state must not differ from a missing one."""
    library, task_state = hidden["section"], hidden["task_state"]
    base = f"/admin/pages/workflow/action/{library.pk}/approve/"
    markers = _markers(ORDINARY_MEMBER, hidden)
    _assert_same(ask, ORDINARY_MEMBER, f"{base}{task_state.pk}/", f"{base}{MISSING}/", markers)


# Listings: the screen with the hidden object is the screen without it -------------------------

LISTINGS = [
    "/admin/",
    "/admin/pages/{library}/",
    "/admin/pages/{library}/results/",
    "/admin/pages/{library}/?q={word}&search_all=1",
    "/admin/pages/{home}/?q={word}&search_all=1",
    "/admin/pages/search/?q={word}",
    "/admin/pages/search/results/?q={word}",
    "/admin/pages/create/resources/resourcepage",
    "/admin/choose-page/",
    "/admin/choose-page/{library}/",
    "/admin/choose-page/{home}/",
    "/admin/choose-page/search/?q={word}",
    "/admin/api/main/pages/?child_of={library}&for_explorer=1",
    "/admin/api/main/pages/?child_of={home}&for_explorer=1",
    "/admin/api/main/pages/?descendant_of={home}&fields=title",
    "/admin/api/main/pages/?search={word}",
    "/admin/api/main/pages/{home}/",
    "/admin/images/",
    "/admin/images/?q={word}",
    "/admin/images/chooser/",
    "/admin/images/chooser/results/?q={word}",
    "/admin/documents/",
    "/admin/documents/?q={word}",
    "/admin/documents/chooser/",
    "/admin/documents/chooser/results/?q={word}",
]


LISTING_BATCH = 8


def _delete_hidden(role: str, hidden: dict) -> None:
    for objects in _hidden_from(role, hidden).values():
        for obj in objects:
            if obj is hidden["section"]:
                continue  # the frontline member's listings never reach into it anyway
            # Through the queryset: the module's objects keep their ids for the next tests.
            type(obj).objects.filter(pk=obj.pk).delete()


@pytest.mark.parametrize("role", WALK_ROLES)
def test_listings__the_same_with_or_without_the_hidden_objects(as_role, hidden, role):
    client = as_role(role)
    library = (
        hidden["section"]
        if role == ORDINARY_MEMBER
        else Page.objects.get(url_path="/home/frontline/resources/")
    )
    home = library.get_parent().get_parent()
    words = ["Zephyrine", "Quillonet", "welcome", "Bereaved"]
    urls = [
        url.format(library=library.pk, home=home.pk, word=word)
        for url in LISTINGS
        for word in (words if "{word}" in url else [None])
    ]
    before, after = {}, {}
    # A few screens at a time, so each pair stays close in time (the listings say "Just now",
    # "1 minute ago") while the hidden objects are deleted once per batch, not once per screen.
    for start in range(0, len(urls), LISTING_BATCH):
        batch = urls[start : start + LISTING_BATCH]
        # Shown with everything first: the renditions it makes stay, so the rolled-back pass
        # without the hidden objects reuses their ids (PostgreSQL does not reuse a sequence's).
        before |= {url: _shape(client.get(url), url) for url in batch}
        with transaction.atomic():
            _delete_hidden(role, hidden)
            after |= {url: _shape(client.get(url), url) for url in batch}
            transaction.set_rollback(True)
    for url, shape in before.items():
        text = shape[-1].decode(errors="replace")
        assert not [m for m in _markers(role, hidden) if m in text], url
    assert [
        _difference(url, before[url], after[url]) for url in urls if before[url] != after[url]
    ] == []
    if role != APPLICANT:  # the screens were really shown (the applicant has no admin at all)
        assert before["/admin/"][0] == HTTPStatus.OK


# The allowed twins, same setup --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_editors_only", "sees_draft"),
    [
        ("bereaved-editor", True, True),  # the community's editor reviews both
        ("member-of-both", False, True),  # the draft's author, not an editor
        (ORDINARY_MEMBER, False, False),
    ],
)
def test_twins__editor_and_author_see_what_the_member_does_not(
    as_role, hidden, role, sees_editors_only, sees_draft
):
    client = as_role(role)
    library = hidden["section"]
    expect = {EDITORS_TITLE: sees_editors_only, DRAFT_TITLE: sees_draft}
    for url in [
        f"/admin/pages/{library.pk}/",
        f"/admin/choose-page/{library.pk}/",
        f"/admin/api/main/pages/?child_of={library.pk}&for_explorer=1",
        "/admin/pages/search/?q=Zephyrine",
        "/admin/pages/search/?q=Quillonet",
        "/admin/choose-page/search/?q=Zephyrine",
        "/admin/choose-page/search/?q=Quillonet",
        "/admin/api/main/pages/?search=Zephyrine",
    ]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        body = response.content.decode()
        for title, seen in expect.items():
            if ("q=" in url or "search=" in url) and title.split()[0] not in url:
                continue
            assert (title in body) is seen, (url, title)
    for page, seen in ((hidden["editors_only"], sees_editors_only), (hidden["draft"], sees_draft)):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert (response.status_code == HTTPStatus.OK) is seen, (role, page.title)
        assert (response.status_code == HTTPStatus.NOT_FOUND) is not seen


@pytest.mark.parametrize(("role", "seen"), [(ORDINARY_MEMBER, True), (OTHER_COMMUNITY, False)])
def test_twins__a_member_chooses_her_communitys_files(as_role, hidden, role, seen):
    client = as_role(role)
    for kind, chooser in (("image", "images"), ("document", "documents")):
        obj = hidden[kind]
        assert (obj.title in client.get(f"/admin/{chooser}/chooser/").content.decode()) is seen
        response = client.get(f"/admin/{chooser}/chooser/chosen/{obj.pk}/")
        assert response.status_code == (HTTPStatus.OK if seen else HTTPStatus.NOT_FOUND)


def test_twins__staff_see_every_hidden_object(as_role, hidden):
    client = as_role("staff")
    for key in ("section", "editors_only", "draft"):
        assert client.get(f"/admin/pages/{hidden[key].pk}/edit/").status_code == HTTPStatus.OK
    assert client.get(f"/admin/images/{hidden['image'].pk}/").status_code == HTTPStatus.OK
    assert client.get("/admin/reports/locked/").status_code == HTTPStatus.OK
    body = client.get(f"/admin/api/main/pages/?child_of={hidden['section'].pk}").content.decode()
    assert DRAFT_TITLE in body and EDITORS_TITLE in body


# The walk: every admin URL pattern --------------------------------------------------------------

PAGE_KWARGS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"}


def _admin_patterns():
    """(URL name or None, full route for display, kwarg names) for every pattern under admin/."""
    found = []

    def walk(resolver, namespaces, route, names):
        for pattern in resolver.url_patterns:
            here = names | _kwarg_names(pattern.pattern)
            text = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern, ns, text, here)
            elif isinstance(pattern, URLPattern):
                name = ":".join([*namespaces, pattern.name]) if pattern.name else None
                found.append((name, text, here))

    for top in get_resolver().url_patterns:
        if isinstance(top, URLResolver) and str(top.pattern) == "admin/":
            walk(top, [top.namespace] if top.namespace else [], "admin/", frozenset())
    return found


def _kwarg_names(pattern) -> frozenset:
    if isinstance(pattern, RoutePattern):
        return frozenset(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return frozenset(pattern.regex.groupindex)
    return frozenset()


def _kind_of(name: str | None, kwargs: frozenset) -> list[str]:
    if kwargs & PAGE_KWARGS or (name or "").startswith(
        ("wagtailadmin_api:pages", "wagtailadmin_pages")
    ):
        return ["page"]
    if {"image_id"} & kwargs or (name or "").startswith(
        ("wagtailimages", "wagtailadmin_api:images")
    ):
        return ["image"]
    if {"document_id", "doc_id"} & kwargs or (name or "").startswith(
        ("wagtaildocs", "wagtailadmin_api:documents")
    ):
        return ["document"]
    if "uploaded_file_id" in kwargs:
        return ["upload"]
    if {"app_label", "app_name", "content_type_app_name"} & kwargs:
        return ["page", "image", "document"]
    return ["page"]


def _labels(obj) -> tuple[str, str]:
    model = obj.specific_class if isinstance(obj, Page) else type(obj)
    return model._meta.app_label, model._meta.model_name


def _fill(kwargs: frozenset, obj, pk: int, hidden: dict) -> dict:
    """Arguments for a pattern: the object's id everywhere, and its own sub-objects' ids."""
    app_label, model_name = _labels(obj)
    is_draft = obj is hidden["draft"]
    values = {}
    for key in kwargs:
        if key in ("app_label", "app_name", "content_type_app_name"):
            values[key] = app_label
        elif key in ("model_name", "content_type_model_name"):
            values[key] = model_name
        elif key == "revision_id":
            revision = obj.latest_revision_id if isinstance(obj, Page) and pk == obj.pk else None
            values[key] = revision or pk
        elif key == "revision_id_a":
            values[key] = "earliest"
        elif key == "revision_id_b":
            values[key] = "latest"
        elif key == "task_state_id":
            values[key] = hidden["task_state"].pk if is_draft and pk == obj.pk else pk
        elif key == "workflow_state_id":
            values[key] = hidden["workflow_state"].pk if is_draft and pk == obj.pk else pk
        elif key == "task_id":
            values[key] = Task.objects.order_by("pk").values_list("pk", flat=True).first()
        elif key in ("action", "action_name"):
            values[key] = "delete" if key == "action" else "approve"
        elif key == "filter_spec":
            values[key] = "fill-80x80"
        elif key in ("uidb64", "token", "mode"):
            values[key] = "x"
        else:
            values[key] = pk
    return values


def _walk_urls(role: str, hidden: dict):
    """(hidden URL, missing URL) for every admin pattern with arguments; plain URLs otherwise."""
    hidden_objects = _hidden_from(role, hidden)
    pairs, plain = [], []
    for name, _route, kwargs in _admin_patterns():
        if not kwargs:
            if name and name != "wagtailadmin_logout":  # staying signed in for the walk
                plain.append(reverse(name))
            continue
        if name is None:
            continue  # only admin/^.*/$, the catch-all 404, takes no arguments by name
        if (
            name in AdminPagePrivacyMiddleware.ALWAYS
            or AdminPagePrivacyMiddleware.FOR_MEMBERS.get(name, ("named",)) == ()
        ):
            # Open views whose arguments name no page or file (a password-reset token, an
            # editing session, a join request, a taxonomy topic): nothing of this walk's.
            continue
        for kind in _kind_of(name, kwargs):
            for obj in hidden_objects[kind]:
                hidden_url = reverse(name, kwargs=_fill(kwargs, obj, obj.pk, hidden))
                missing_url = reverse(name, kwargs=_fill(kwargs, obj, MISSING, hidden))
                if name == "wagtail_bulk_action":
                    hidden_url += f"?id={obj.pk}"
                    missing_url += f"?id={MISSING}"
                pairs.append((hidden_url, missing_url))
    return pairs, plain


@pytest.mark.parametrize("role", WALK_ROLES)
def test_walk__every_admin_url_answers_hidden_like_missing(as_role, ask, hidden, role):
    client = as_role(role)
    markers = _markers(role, hidden)
    pairs, plain = _walk_urls(role, hidden)
    assert len(pairs) > 150  # the walk reaches Wagtail's own views, not a hand-kept list
    failures = []
    # Several hidden objects of a kind share one missing URL (the same pattern, the missing id),
    # and a few patterns are reached twice (under two names, or filled alike for two objects):
    # each address is asked once per method (`ask`) and compared with every hidden one's.
    for hidden_url, missing_url in dict.fromkeys(pairs):
        for method in ("get", "post"):
            hidden_status, hidden_shape = ask(role, method, hidden_url)
            missing_status, missing_shape = ask(role, method, missing_url)
            if hidden_shape != missing_shape:
                failures.append((method, hidden_url, hidden_status, missing_status))
            elif hidden_status != HTTPStatus.NOT_FOUND:
                failures.append((method, hidden_url, "not 404", hidden_status))
            text = hidden_shape[-1].decode(errors="replace")
            leaked = [marker for marker in markers if marker in text]
            if leaked:
                failures.append((method, hidden_url, "leaks", leaked))
    for url in plain:
        response = client.get(url)
        text = _shape(response, url)[-1].decode(errors="replace")
        leaked = [marker for marker in markers if marker in text]
        if leaked:
            failures.append(("get", url, "leaks", leaked))
    assert failures == []


def test_walk__a_view_no_one_listed_is_not_there_for_members(as_role):
    """Deny by default: every admin view outside the allow-list answers non-staff with the 404
    of an address the admin does not have, and staff reach it."""
    names = {name for name, _route, kwargs in _admin_patterns() if name and not kwargs}
    unlisted = sorted(
        names - set(AdminPagePrivacyMiddleware.FOR_MEMBERS) - AdminPagePrivacyMiddleware.ALWAYS
    )
    assert (
        "wagtailadmin_reports:locked_pages" in unlisted and "wagtailusers_users:index" in unlisted
    )
    member, staff = as_role("bereaved-editor"), as_role("staff")
    nothing = _shape(member.get("/admin/no-such-screen/"), "/admin/no-such-screen/")
    assert nothing[0] == HTTPStatus.NOT_FOUND
    for name in unlisted:
        url = reverse(name)
        assert _shape(member.get(url), url) == nothing, name
    assert staff.get(reverse("wagtailusers_users:index")).status_code == HTTPStatus.OK


# Counts on screens the member may open ------------------------------------------------------------

REFERENCED = re.compile(r"Referenced (\d+) times?")


def _referenced(client: Client, page: Page) -> int:
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == HTTPStatus.OK
    return int(REFERENCED.search(response.content.decode()).group(1))


def test_usage_count__counts_only_referring_pages_the_admin_shows(as_role):
    """A Common Ground page both communities' editors edit: a bereaved page that links to it
    adds one to "Referenced N times" for the bereaved editor, nothing for the frontline one."""
    from wagtail.models import ReferenceIndex

    target = Page.objects.get(url_path="/home/common-ground/resources/988-lifeline/")
    frontline, bereaved = as_role("frontline-editor"), as_role("bereaved-editor")
    before = _referenced(frontline, target), _referenced(bereaved, target)
    library = Page.objects.get(url_path="/home/bereaved/resources/")
    author = get_user_model().objects.get(username="bereaved-member")
    referring = _resource(library, "A circle that links", "circle-that-links", author)
    referring.body = f'<p><a linktype="page" id="{target.pk}">the lifeline</a></p>'
    referring.save()
    ReferenceIndex.create_or_update_for_object(referring)
    assert (_referenced(frontline, target), _referenced(bereaved, target)) == (
        before[0],
        before[1] + 1,
    )


# Whether a section holds anything: the folder icon and the chooser's arrow -----------------------


def _folder_shown(client: Client, parent: Page, section: Page) -> bool:
    """Does the explorer of `parent` show `section` as a folder (something inside)?"""
    html = client.get(f"/admin/pages/{parent.pk}/").content.decode()
    row = re.search(rf'<span id="page_{section.pk}_title">(.*?)</span>', html, re.DOTALL)
    assert row, "the section is listed"
    return "icon-folder" in row.group(1)


def _descend_shown(client: Client, parent: Page, section: Page) -> bool:
    """Does the page chooser offer to go into `section`?"""
    html = client.get(f"/admin/choose-page/{parent.pk}/").json()["html"]
    return f"/admin/choose-page/{section.pk}/" in html


@pytest.mark.parametrize(
    ("role", "sees_inside"), [(ORDINARY_MEMBER, False), ("member-of-both", True)]
)
def test_child_counts__a_section_holding_only_a_fellow_members_draft_looks_empty(
    as_role, role, sees_inside
):
    """The bereaved guides, emptied, then given one draft by member-of-both: to another member
    the section looks exactly as when it is empty; its author sees something inside."""
    space = Page.objects.get(url_path="/home/bereaved/")
    guides = Page.objects.get(url_path="/home/bereaved/guides/")
    for child in guides.get_children():
        child.delete()
    guides.refresh_from_db()
    client = as_role(role)
    empty = (_folder_shown(client, space, guides), _descend_shown(client, space, guides))

    author = get_user_model().objects.get(username="member-of-both")
    draft = GuidePage(
        title=DRAFT_TITLE,
        slug=DRAFT_SLUG,
        summary="Private.",
        byline="A member",
        body=[("paragraph", "<p>Not yet.</p>")],
        owner=author,
        live=False,
    )
    guides.add_child(instance=draft)
    draft.save_revision(user=author)
    client = as_role(role)
    holding = (_folder_shown(client, space, guides), _descend_shown(client, space, guides))

    assert empty == (False, False)
    assert holding == ((True, True) if sees_inside else (False, False))


@pytest.mark.parametrize(
    ("role", "sees_rename"),
    [("bereaved-member", False), ("member-of-both", True), ("bereaved-editor", True)],
)
def test_pending_title__a_live_pages_rename_waiting_for_review_is_the_drafts(
    as_role, role, sees_rename
):
    """member-of-both renames her live guide and submits the text: the explorer shows the new
    title to her and to the reviewing editor, the published one to another member."""
    guides = Page.objects.get(url_path="/home/bereaved/guides/")
    author = get_user_model().objects.get(username="member-of-both")
    guide = GuidePage(
        title="Walking after loss",
        slug="walking-after-loss",
        summary="What helped me.",
        byline="A member",
        body=[("paragraph", "<p>Published.</p>")],
        owner=author,
    )
    guides.add_child(instance=guide)
    guide.save_revision(user=author).publish()
    guide = GuidePage.objects.get(pk=guide.pk)
    guide.title = "Quillonet renamed, not yet approved"
    guide.save_revision(user=author)

    client = as_role(role)
    for url in (
        f"/admin/pages/{guides.pk}/",  # the explorer
        "/admin/pages/search/?q=walking",  # the admin's page search
        f"/admin/api/main/pages/?child_of={guides.pk}&fields=admin_display_title",
        f"/admin/choose-page/{guides.pk}/",  # the page chooser
    ):
        text = client.get(url).content.decode()
        assert ("Quillonet renamed" in text) is sees_rename, url
        assert "Walking after loss" in text or sees_rename, url  # listed, by its published title
