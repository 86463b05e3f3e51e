"""Languages: Spanish and Portuguese pages (wagtail-localize) and interface (gettext catalogs)."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

import polib
import pytest
from django.conf import settings
from wagtail.models import Locale

from tests.conftest import ANONYMOUS


def test_locales__exist_for_every_language(db):
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert codes >= {code for code, _ in settings.LANGUAGES}


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/es/", "El Vecindario"),
        ("/es/about/", "Acerca del Vecindario"),
        ("/es/crisis-help/", "a cualquier hora"),
        ("/pt/", "A Vizinhança"),
        ("/pt/about/", "Sobre a Vizinhança"),
        ("/pt/join/", "Como participar"),
    ],
)
def test_translated_pages__are_served_in_their_language(client_for, url, text):
    response = client_for(ANONYMOUS).get(url)
    assert response.status_code == HTTPStatus.OK
    assert text in response.content.decode()
    assert f'lang="{url[1:3]}"' in response.content.decode()


def test_spanish_guide__is_real_spanish(client_for):
    response = client_for("bereaved-member").get("/es/bereaved/guides/the-first-weeks/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Las primeras semanas después de una pérdida" in html
    assert "Lo que nos ayudó" in html


def test_interface__spanish_front_door(client_for):
    html = client_for(ANONYMOUS).get("/es/").content.decode()
    assert "Iniciar sesión" in html and "Crear una cuenta" in html
    assert "Comunidades" in html
    assert "Sign in" not in html


def test_interface__portuguese_login(client_for):
    response = client_for(ANONYMOUS).get("/pt/account/login/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Esqueceu sua senha?" in html and "Entrar" in html


def test_language_switch__links_the_translations(client_for):
    html = client_for(ANONYMOUS).get("/about/").content.decode()
    assert 'href="/es/about/"' in html and 'href="/pt/about/"' in html


@pytest.mark.parametrize("role", ["frontline-member", "bereaved-member", ANONYMOUS])
def test_language_switch__does_not_alter_privacy(client_for, role):
    client = client_for(role)
    for path in ("/frontline/", "/bereaved/guides/", "/common-ground/"):
        statuses = {client.get(f"{prefix}{path}").status_code for prefix in ("", "/es", "/pt")}
        assert len(statuses) == 1, (role, path, statuses)
    # Choosing a language by cookie or header changes nothing either.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert (
        client.get("/bereaved/", HTTP_ACCEPT_LANGUAGE="pt").status_code
        == client.get("/es/bereaved/").status_code
    )


@pytest.mark.parametrize("language", ["es", "pt"])
def test_catalogs__compiled_and_in_step(language):
    po_path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    catalog = polib.pofile(str(po_path))
    assert po_path.with_suffix(".mo").exists()
    assert po_path.with_suffix(".mo").stat().st_mtime >= po_path.stat().st_mtime - 1
    # Every interface string is translated and checked (no fuzzy guesses left by msgmerge).
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    assert not catalog.metadata_is_fuzzy


@pytest.mark.parametrize(
    ("role", "url", "texts", "english"),
    [
        (ANONYMOUS, "/es/account/login/", ["¿Olvidó su contraseña?"], "Forgot your password?"),
        ("applicant", "/pt/join/frontline/", ["Enviar meu pedido"], "Send my request"),
        (
            "frontline-member",
            "/es/frontline/resources/",
            ["Tipo de apoyo", "Quitar filtros"],
            "Clear filters",
        ),
    ],
)
def test_interface__member_pages_translated(client_for, role, url, texts, english):
    response = client_for(role).get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert all(text in html for text in texts)
    assert english not in html
