"""The API's contract (issue 14): no 500 for a non-integer where an id is expected, every error
body in the v2 shape `{"message": …}`, a JSON 404 for any other address under /api/, and `find`
resolving localized paths. docs/api.md, "Errors"."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from wagtail.models import Locale

from tests.api.conftest import BAD_TOKEN
from tests.conftest import ANONYMOUS

FILES = ["images", "documents"]


@pytest.mark.parametrize("endpoint", ["pages", *FILES])
@pytest.mark.parametrize("value", ["abc", "1x", "", "1.5", "٣"])
def test_find__a_non_integer_id_is_a_400_naming_it(api_client, endpoint, value):
    response = api_client(ANONYMOUS).get(f"/api/v2/{endpoint}/find/", {"id": value})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {"message": "id must be an integer"}


@pytest.mark.parametrize("endpoint", ["pages", *FILES])
def test_find__an_integer_id_still_finds_or_is_a_404(api_client, endpoint):
    client = api_client("staff")
    first = client.get(f"/api/v2/{endpoint}/").json()["items"][0]["id"]
    found = client.get(f"/api/v2/{endpoint}/find/", {"id": first})
    assert found.status_code == HTTPStatus.FOUND
    assert found["Location"].endswith(f"/api/v2/{endpoint}/{first}/?")
    for missing in (987654, -3, 99_999_999_999_999):
        response = client.get(f"/api/v2/{endpoint}/find/", {"id": missing})
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == {"message": "not found"}


@pytest.mark.parametrize(
    "params, name",
    [
        ({"type": "resources.ResourcePage", "topics": "x"}, "topics"),
        ({"type": "resources.ResourcePage", "topics": "1;2"}, "topics"),
        ({"id": "abc"}, "id"),
        ({"type": "resources.ResourcePage", "first_published_at": "yesterday"}, None),
    ],
)
def test_field_filters__a_value_of_the_wrong_type_is_a_400_naming_the_field(
    api_client, params, name
):
    response = api_client("frontline-member").get("/api/v2/pages/", params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    message = response.json()["message"]
    assert name is None or message.endswith(f"for {name}")


def test_field_filters__a_valid_related_id_still_filters(api_client, page_at):
    topic = page_at("/frontline/resources/smart-recovery/").topics.first()
    client = api_client("frontline-member")
    filtered = client.get("/api/v2/pages/", {"type": "resources.ResourcePage", "topics": topic.pk})
    assert filtered.status_code == HTTPStatus.OK
    slugs = [item["meta"]["slug"] for item in filtered.json()["items"]]
    assert "smart-recovery" in slugs


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/pages/abc/",
        "/api/v2/images/1x/",
        "/api/v2/elections/abc/",
        "/api/v2/elections/abc/results/",
        "/api/v2/account/tokens/abc/",
        "/api/v2/join-requests/x/decide/",
        "/api/v2/no-such-endpoint/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_api_addresses__are_the_json_404(api_client, path, method):
    response = getattr(api_client("frontline-member", "token"), method)(path)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": "Not found."}
    assert "private" in response["Cache-Control"]


def test_an_address_without_its_slash_is_still_redirected(api_client):
    response = api_client(ANONYMOUS).get("/api/v2/pages")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/api/v2/pages/"


@pytest.mark.parametrize(
    "role, method, path, status",
    [
        (BAD_TOKEN, "get", "/api/v2/pages/", HTTPStatus.UNAUTHORIZED),
        (BAD_TOKEN, "get", "/api/v2/account/", HTTPStatus.UNAUTHORIZED),
        (ANONYMOUS, "get", "/api/v2/account/", HTTPStatus.UNAUTHORIZED),
        (ANONYMOUS, "post", "/api/v2/elections/1/vote/", HTTPStatus.UNAUTHORIZED),
        ("frontline-member", "post", "/api/v2/elections/", HTTPStatus.FORBIDDEN),
        ("frontline-member", "put", "/api/v2/elections/", HTTPStatus.METHOD_NOT_ALLOWED),
    ],
)
def test_errors__are_in_the_v2_shape_everywhere(api_client, role, method, path, status):
    auth = "token" if role not in (ANONYMOUS, BAD_TOKEN) else "session"
    response = getattr(api_client(role, auth), method)(path, content_type="application/json")
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["message"]
    assert body["message"]


def test_errors__a_malformed_json_body_is_a_400_in_the_v2_shape(api_client):
    response = api_client("frontline-member", "token").post(
        "/api/v2/join-requests/", "{bad", content_type="application/json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["message"].startswith("JSON parse error")


@pytest.mark.parametrize("page", ["0", "", "²", "1001", "x"])
def test_search_api__a_bad_page_is_a_400_in_the_v2_shape(api_client, page):
    response = api_client(ANONYMOUS).get("/api/search/", {"page": page, "q": "grief"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()) == ["message"]


# find/?html_path= in every language ----------------------------------------------------------

LOCALIZED = ["/es/", "/pt/", "/es/about/", "/pt/join/"]


@pytest.mark.parametrize("html_path", LOCALIZED)
def test_find__resolves_a_localized_path(api_client, html_path):
    client = api_client(ANONYMOUS)
    found = client.get("/api/v2/pages/find/", {"html_path": html_path})
    assert found.status_code == HTTPStatus.FOUND
    page = client.get(found["Location"], {"fields": "-title"}).json()
    assert page["meta"]["html_url"].endswith(html_path)
    assert page["meta"]["locale"] == html_path.split("/")[1]


@pytest.mark.parametrize("prefix", ["/es", "/pt"])
@pytest.mark.parametrize("auth", ["session", "token"])
def test_find__a_localized_private_page_answers_like_a_missing_one(
    api_client, page_at, prefix, auth
):
    """Invariant `visitors-see-public-only`, in every language: a bereaved member asking for a
    frontline page by its Spanish path gets what a path that does not exist gets."""
    english = page_at("/frontline/resources/")
    translated = english.get_translation_or_none(Locale.objects.get(language_code=prefix[1:]))
    assert translated is not None, "the demo translates the frontline library"
    path = f"{prefix}/frontline/{translated.slug}/"
    member = api_client("frontline-member", auth).get("/api/v2/pages/find/", {"html_path": path})
    assert member.status_code == HTTPStatus.FOUND
    # The reader's language is kept, for the detail's `meta.content_locale` and `fallback`.
    assert member["Location"].endswith(f"/api/v2/pages/{translated.pk}/?reader_locale={prefix[1:]}")
    outsider = api_client("bereaved-member", auth)
    hidden = outsider.get("/api/v2/pages/find/", {"html_path": path})
    missing = outsider.get("/api/v2/pages/find/", {"html_path": f"{prefix}/frontline/nothing/"})
    assert hidden.status_code == missing.status_code == HTTPStatus.NOT_FOUND
    assert hidden.content == missing.content


@pytest.mark.parametrize("html_path", ["/xx/", "/en/about/", "/es/no-such-page/"])
def test_find__an_unknown_language_or_path_is_a_404(api_client, html_path):
    response = api_client(ANONYMOUS).get("/api/v2/pages/find/", {"html_path": html_path})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"message": "not found"}
