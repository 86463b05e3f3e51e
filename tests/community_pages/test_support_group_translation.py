"""Translating a support group with wagtail-localize: translators get its words, never its facts.

The time, place, online link, phone, languages, openness, public listing, schedule rules and
cancelled dates are synchronised from the source page (not offered as text to translate), and a
translation keeps its source's privacy: the online link is for members only on /pt/ too.
"""

from __future__ import annotations

from datetime import date, time
from http import HTTPStatus

import pytest
from wagtail.models import Locale
from wagtail_localize.fields import SynchronizedField, TranslatableField, get_translatable_fields
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from community_pages.models import SupportGroupPage
from tests.conftest import ANONYMOUS

SOURCE_PATH = "/frontline/groups/smart-recovery/"  # hybrid: address, online link, phone, notes
ONLINE_URL = "https://zoom.us/j/5550100001"
PORTUGUESE = {
    "SMART Recovery for care providers": "SMART Recovery para profissionais de cuidado",
    "A SMART Recovery meeting for people who work on the front line: self-management and "
    "recovery training, with tools for stress and burnout.": (
        "Um encontro SMART Recovery para quem trabalha na linha de frente: treinamento em "
        "autogestão e recuperação, com ferramentas para o estresse e o esgotamento."
    ),
    "Ground floor, side entrance on Warren St.": "Térreo, entrada lateral pela Warren St.",
}
SYNCHRONIZED = [
    "kind",
    "attendance",
    "is_open",
    "is_public",
    "publish_address",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "time_zone",
    "location_name",
    "address",
    "city",
    "state",
    "postal_code",
    "region",
    "online_url",
    "online_url_notes",
    "phone",
    "public_conference_url",
    "public_conference_phone",
    "public_join_url",
    "facilitator",
    "languages",
    "wheelchair_accessible",
]


def _rules(page):
    return [(r.kind, r.weekday, r.nth, r.on) for r in page.schedule_rules.all()]


def _cancellations(page):
    return [(c.on, c.note) for c in page.cancellations.all()]


def _translate(source_page, locale, capture_on_commit):
    """What an editor's "Translate this page" and a translator's strings do."""
    source, created = TranslationSource.get_or_create_from_instance(source_page)
    if not created:
        source.update_from_db()
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        text = PORTUGUESE.get(segment.string.data)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": text},
            )
    with capture_on_commit(execute=True):  # wagtail-localize publishes on commit
        source.create_or_update_translation(locale, fallback=True)
    return source, SupportGroupPage.objects.get(
        translation_key=source_page.translation_key, locale=locale
    )


@pytest.fixture
def portuguese(db):
    return Locale.objects.get(language_code="pt")


def test_fields__words_translated_facts_synchronised():
    fields = {f.field_name: f for f in get_translatable_fields(SupportGroupPage)}
    for name in ("title", "description", "location_notes", "accessibility_notes"):
        assert isinstance(fields[name], TranslatableField), name
    for name in [*SYNCHRONIZED, "schedule_rules", "cancellations"]:
        assert isinstance(fields[name], SynchronizedField), name
    # What decides privacy or how to join cannot be overridden in a translation.
    for name in (
        "is_open",
        "is_public",
        "publish_address",
        "online_url",
        "phone",
        "address",
        "public_conference_url",
        "public_conference_phone",
        "public_join_url",
    ):
        assert fields[name].overridable is False, name


def test_translation__keeps_the_source_facts(
    page_at, portuguese, django_capture_on_commit_callbacks
):
    english = page_at(SOURCE_PATH)
    source, translated = _translate(english, portuguese, django_capture_on_commit_callbacks)

    # Only words were offered to the translator.
    offered = set(
        StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
    )
    assert set(PORTUGUESE) <= offered
    for fact in (english.time_zone, english.phone, english.online_url_notes, english.city):
        assert fact not in offered

    assert translated.live and translated.locale == portuguese
    assert translated.title == PORTUGUESE[english.title]
    assert translated.location_notes == PORTUGUESE[english.location_notes]
    for name in SYNCHRONIZED:
        assert getattr(translated, name) == getattr(english, name), name
    assert _rules(translated) == _rules(english) and _rules(english)
    assert _cancellations(translated) == _cancellations(english) and _cancellations(english)


def test_translation__follows_the_source_when_it_changes(
    page_at, portuguese, django_capture_on_commit_callbacks
):
    english = page_at(SOURCE_PATH)
    _translate(english, portuguese, django_capture_on_commit_callbacks)

    english.start_time, english.end_time = time(18, 0), time(19, 30)
    english.phone = "+16465550111"
    english.is_public = True
    english.cancellations.create(on=date(2027, 1, 5), note="Snow")
    english.save_revision().publish()
    _, translated = _translate(english, portuguese, django_capture_on_commit_callbacks)

    english = page_at(SOURCE_PATH)
    for name in SYNCHRONIZED:
        assert getattr(translated, name) == getattr(english, name), name
    assert _cancellations(translated) == _cancellations(english)
    assert (date(2027, 1, 5), "Snow") in _cancellations(translated)


@pytest.mark.parametrize(
    ("role", "status", "sees_link"),
    [
        ("frontline-member", HTTPStatus.OK, True),
        ("staff", HTTPStatus.OK, True),
        # Inside a space: the 404 of a missing page (docs/privacy.md).
        ("bereaved-member", HTTPStatus.NOT_FOUND, False),
        ("applicant", HTTPStatus.NOT_FOUND, False),
        (ANONYMOUS, HTTPStatus.FOUND, False),
    ],
)
def test_translation__online_link_for_members_only(
    client_for, page_at, portuguese, django_capture_on_commit_callbacks, role, status, sees_link
):
    english = page_at(SOURCE_PATH)
    _, translated = _translate(english, portuguese, django_capture_on_commit_callbacks)
    url = translated.get_url()
    assert url == f"/pt{SOURCE_PATH}"

    response = client_for(role).get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert (ONLINE_URL in html) is sees_link
    assert (english.phone in html) is sees_link
    if sees_link:
        assert PORTUGUESE[english.title] in html and "Participar on-line" in html
    # The English page answers the same way.
    assert client_for(role).get(SOURCE_PATH).status_code == status
