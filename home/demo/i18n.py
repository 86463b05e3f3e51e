"""Demo translations: the front door, the spaces and their sections in Spanish and Portuguese,
and one peer-support guide in Spanish.

Made with wagtail-localize's own machinery, as an editor's "Translate this page" would: a
`TranslationSource` per page, the translated strings stored as `StringTranslation`s, and a
`Translation` record whose `save_target` creates and publishes the translated page (strings not
given here fall back to English; slugs stay English so `/es/about/` mirrors `/about/`).
Privacy follows by itself: spaces are provisioned in every locale, and
`community_pages/translation_privacy.py` gives every other translation its source's privacy.

Idempotent: a page that already has a translation in a locale is left alone.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from community_pages.models import (
    CommonGroundPage,
    CommunityPage,
    GroupScheduleIndexPage,
    GuideIndexPage,
    ResourceLibraryIndexPage,
)
from core.languages import content_language_codes
from home.models import HomePage, StandardPage

# The structure that is translated into every target language (content pages are translated
# by their editors, one at a time).
STRUCTURE_TYPES = (
    HomePage,
    StandardPage,
    CommunityPage,
    CommonGroundPage,
    ResourceLibraryIndexPage,
    GuideIndexPage,
    GroupScheduleIndexPage,
)
# The guide translated into Spanish: (URL path under the home page, language).
TRANSLATED_GUIDE = ("/bereaved/guides/the-first-weeks/", "es")

STRUCTURE_TEXT = {
    "es": {
        "The Neighborhood": "El Vecindario",
        "The Neighborhood is a place where people with a common purpose join together to "
        "become a dynamic community. Its communities are private spaces, their leadership comes "
        "from the community as a whole, and their data is protected from commercial uses.": (
            "El Vecindario es un lugar donde personas con un propósito común se unen para "
            "formar una comunidad viva. Sus comunidades son espacios privados, su liderazgo "
            "surge de la comunidad en su conjunto y sus datos están protegidos de usos "
            "comerciales."
        ),
        "About the Neighborhood": "Acerca del Vecindario",
        "Private peer-support communities, run by their members.": (
            "Comunidades privadas de apoyo entre pares, dirigidas por sus miembros."
        ),
        "Peer Support Community Partners provides the Neighborhood for free to frontline care "
        "providers and to people bereaved by a death from substance use in Massachusetts. Peer "
        "support is the giving and receiving of nonprofessional, nonclinical help from people "
        "with lived experience: emotional, informational, instrumental and affiliational.": (
            "Peer Support Community Partners ofrece el Vecindario gratuitamente a quienes "
            "brindan cuidados en primera línea y a las personas en duelo por una muerte "
            "relacionada con el consumo de sustancias en Massachusetts. El apoyo entre pares es "
            "dar y recibir ayuda no profesional y no clínica de personas con experiencia vivida: "
            "emocional, informativa, práctica y de pertenencia."
        ),
        "How to join": "Cómo unirse",
        "Create an account, then ask to join a community.": (
            "Cree una cuenta y luego pida unirse a una comunidad."
        ),
        "Create an account and ask to join the community you belong to. Its elected editors "
        "read each request. If a member gave you an invitation link, open it to join at once.": (
            "Cree una cuenta y pida unirse a la comunidad a la que pertenece. Sus editores "
            "elegidos leen cada solicitud. Si un miembro le dio un enlace de invitación, ábralo "
            "para unirse de inmediato."
        ),
        "Crisis help": "Ayuda en crisis",
        "If you or someone near you is in danger, get help now.": (
            "Si usted o alguien cercano está en peligro, busque ayuda ahora."
        ),
        'Call or text <a id="a1">988</a>, the Suicide &amp; Crisis Lifeline, at any '
        'hour. In an emergency, call <a id="a2">911</a>. For help with substance use '
        "in Massachusetts, call the Massachusetts Substance Use Helpline at "
        '<a id="a3">800-327-5050</a>.': (
            'Llame o envíe un mensaje de texto al <a id="a1">988</a>, la Línea de '
            "Prevención del Suicidio y Crisis, a cualquier hora. En una emergencia, llame al "
            '<a id="a2">911</a>. Para ayuda con el consumo de sustancias en '
            "Massachusetts, llame a la Línea de Ayuda de Massachusetts sobre Consumo de "
            'Sustancias al <a id="a3">800-327-5050</a>.'
        ),
        "Frontline care providers": "Cuidadores de primera línea",
        "For paid workers, volunteers and retired people who deliver close-up services to "
        "people at high risk of dying from substance use.": (
            "Para trabajadores remunerados, voluntarios y personas jubiladas que prestan "
            "servicios de cerca a personas con alto riesgo de morir por consumo de sustancias."
        ),
        "Bereaved by substance use": "En duelo por el consumo de sustancias",
        "For people grieving someone whose death was caused by alcohol or other drugs, and for "
        "those further on who now help others.": (
            "Para personas que lloran a alguien cuya muerte fue causada por el alcohol u otras "
            "drogas, y para quienes, más adelante en su camino, ahora ayudan a otros."
        ),
        "Peer support for people who work or volunteer with people who use drugs.": (
            "Apoyo entre pares para quienes trabajan o son voluntarios con personas que usan "
            "drogas."
        ),
        "Peer support for parents, partners, family and friends after a death from "
        "substance use.": (
            "Apoyo entre pares para padres, parejas, familiares y amigos tras una muerte por "
            "consumo de sustancias."
        ),
        "Common Ground": "Terreno Común",
        "Shared by the members of every community.": (
            "Compartido por los miembros de todas las comunidades."
        ),
        "Resource library": "Biblioteca de recursos",
        "Peer-support guides": "Guías de apoyo entre pares",
        "Group schedule": "Horario de grupos",
    },
    "pt": {
        "The Neighborhood": "A Vizinhança",
        "The Neighborhood is a place where people with a common purpose join together to "
        "become a dynamic community. Its communities are private spaces, their leadership comes "
        "from the community as a whole, and their data is protected from commercial uses.": (
            "A Vizinhança é um lugar onde pessoas com um propósito comum se unem para formar "
            "uma comunidade viva. Suas comunidades são espaços privados, sua liderança vem da "
            "comunidade como um todo, e seus dados são protegidos de usos comerciais."
        ),
        "About the Neighborhood": "Sobre a Vizinhança",
        "Private peer-support communities, run by their members.": (
            "Comunidades privadas de apoio entre pares, dirigidas por seus membros."
        ),
        "Peer Support Community Partners provides the Neighborhood for free to frontline care "
        "providers and to people bereaved by a death from substance use in Massachusetts. Peer "
        "support is the giving and receiving of nonprofessional, nonclinical help from people "
        "with lived experience: emotional, informational, instrumental and affiliational.": (
            "A Peer Support Community Partners oferece a Vizinhança gratuitamente a quem presta "
            "cuidados na linha de frente e a pessoas enlutadas por uma morte ligada ao uso de "
            "substâncias em Massachusetts. Apoio entre pares é dar e receber ajuda não "
            "profissional e não clínica de pessoas com experiência vivida: emocional, "
            "informativa, prática e de pertencimento."
        ),
        "How to join": "Como participar",
        "Create an account, then ask to join a community.": (
            "Crie uma conta e depois peça para entrar em uma comunidade."
        ),
        "Create an account and ask to join the community you belong to. Its elected editors "
        "read each request. If a member gave you an invitation link, open it to join at once.": (
            "Crie uma conta e peça para entrar na comunidade à qual você pertence. Seus editores "
            "eleitos leem cada pedido. Se um membro lhe deu um link de convite, abra-o para "
            "entrar imediatamente."
        ),
        "Crisis help": "Ajuda em crise",
        "If you or someone near you is in danger, get help now.": (
            "Se você ou alguém perto de você está em perigo, procure ajuda agora."
        ),
        'Call or text <a id="a1">988</a>, the Suicide &amp; Crisis Lifeline, at any '
        'hour. In an emergency, call <a id="a2">911</a>. For help with substance use '
        "in Massachusetts, call the Massachusetts Substance Use Helpline at "
        '<a id="a3">800-327-5050</a>.': (
            'Ligue ou envie mensagem para o <a id="a1">988</a>, a Linha de Prevenção '
            "do Suicídio e Crise, a qualquer hora. Em uma emergência, ligue para o <a "
            'id="a2">911</a>. Para ajuda com o uso de substâncias em Massachusetts, '
            "ligue para a Linha de Ajuda de Massachusetts sobre Uso de Substâncias: <a "
            'id="a3">800-327-5050</a>.'
        ),
        "Frontline care providers": "Cuidadores da linha de frente",
        "For paid workers, volunteers and retired people who deliver close-up services to "
        "people at high risk of dying from substance use.": (
            "Para trabalhadores remunerados, voluntários e aposentados que prestam serviços "
            "de perto a pessoas com alto risco de morrer pelo uso de substâncias."
        ),
        "Bereaved by substance use": "Enlutados pelo uso de substâncias",
        "For people grieving someone whose death was caused by alcohol or other drugs, and for "
        "those further on who now help others.": (
            "Para pessoas de luto por alguém cuja morte foi causada pelo álcool ou outras "
            "drogas, e para quem, mais adiante no caminho, agora ajuda outras pessoas."
        ),
        "Peer support for people who work or volunteer with people who use drugs.": (
            "Apoio entre pares para quem trabalha ou é voluntário com pessoas que usam drogas."
        ),
        "Peer support for parents, partners, family and friends after a death from "
        "substance use.": (
            "Apoio entre pares para pais, companheiros, familiares e amigos após uma morte por "
            "uso de substâncias."
        ),
        "Common Ground": "Terreno Comum",
        "Shared by the members of every community.": (
            "Compartilhado pelos membros de todas as comunidades."
        ),
        "Resource library": "Biblioteca de recursos",
        "Peer-support guides": "Guias de apoio entre pares",
        "Group schedule": "Agenda dos grupos",
    },
}

GUIDE_TEXT_ES = {
    "The first weeks after a loss to substance use": (
        "Las primeras semanas después de una pérdida por consumo de sustancias"
    ),
    "What other bereaved parents, partners and friends wish they had known.": (
        "Lo que otros padres, parejas y amigos en duelo desearían haber sabido."
    ),
    "This guide talks about death by overdose, and about the first days after it. Read it when "
    "you are ready, and stop when you need to.": (
        "Esta guía habla de la muerte por sobredosis y de los primeros días después. Léala "
        "cuando se sienta preparado o preparada, y deténgase cuando lo necesite."
    ),
    "Grief after a death from substance use can come with silence, stigma and questions nobody "
    "else seems to ask. You are not alone.": (
        "El duelo tras una muerte por consumo de sustancias puede venir con silencio, estigma y "
        "preguntas que nadie más parece hacerse. Usted no está solo ni sola."
    ),
    "Things that helped us": "Lo que nos ayudó",
    "Say their name": "Diga su nombre",
    "To people who will say it back.": "A personas que también lo digan.",
    "Find a group where everyone gets it": "Busque un grupo donde todos entiendan",
    "A group for substance-related loss is a safe place.": (
        "Un grupo para pérdidas relacionadas con sustancias es un lugar seguro."
    ),
    "Let some days be bad days": "Permita que algunos días sean días malos",
    "Everyone that attends feels comfortable knowing that they can say whatever they want, "
    "because we all get it.": (
        "Todas las personas que asisten se sienten cómodas sabiendo que pueden decir lo que "
        "quieran, porque todos lo entendemos."
    ),
    "A grief group facilitator": "Una facilitadora de un grupo de duelo",
    "If you are thinking of ending your life": "Si está pensando en quitarse la vida",
    "Call or text 988 now. Someone will answer.": (
        "Llame o envíe un mensaje de texto al 988 ahora. Alguien le responderá."
    ),
    "988 Suicide &amp; Crisis Lifeline": "988 Línea de Prevención del Suicidio y Crisis",
    "Every day, at any hour": "Todos los días, a cualquier hora",
    "Free and confidential. You can also call for someone you are worried about.": (
        "Gratuita y confidencial. También puede llamar por alguien que le preocupa."
    ),
    "SAMHSA's National Helpline": "Línea Nacional de Ayuda de SAMHSA",
    # The two resources the guide links to (translated with it).
    "Live4Lali grief group": "Grupo de duelo de Live4Lali",
    "A grief group for people who lost someone to substance use, since 2016: parents, "
    "grandparents, friends, relatives. Everyone there gets it.": (
        "Un grupo de duelo para personas que perdieron a alguien por el consumo de sustancias, "
        "desde 2016: padres, abuelos, amigos, familiares. Allí todos lo entienden."
    ),
    "People bereaved by a substance-related death": (
        "Personas en duelo por una muerte relacionada con sustancias"
    ),
    "Grief journal prompts": "Preguntas para un diario de duelo",
    "Twelve questions members found helpful to write about in the first months.": (
        "Doce preguntas sobre las que a los miembros les ayudó escribir en los primeros meses."
    ),
    "People in the first months after a loss": "Personas en los primeros meses tras una pérdida",
    "Treatment referral and information, in English and Spanish.": (
        "Derivación a tratamiento e información, en inglés y en español."
    ),
}


def page_translate(page: Page, locale: Locale, texts: dict[str, str]) -> Page | None:
    """Translate `page` into `locale` through wagtail-localize, with `texts` (English → target)
    as the translator's strings. Returns the translation, or None if it existed already."""
    page = page.specific
    if page.has_translation(locale):
        return None
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        text = texts.get(segment.string.data)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
    _links_translate(page, source, locale, texts)
    translation, _ = Translation.objects.update_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    translation.save_target(publish=True)  # publishes when the transaction commits
    return page.get_translation(locale)


def _links_translate(page: Page, source: TranslationSource, locale: Locale, texts) -> None:
    """Point the translation's page links (related resources) at the linked pages'
    translations, translating them first: an editor would choose them in the translation's
    "Change" of each link (a wagtail-localize segment override). A Spanish guide links the
    Spanish resources of its own space."""
    overridable = {
        segment.context.path: segment
        for segment in OverridableSegment.objects.filter(source=source).select_related("context")
    }
    # Wagtail updates the reference index in a background task: with TASKS_BACKEND=database
    # nobody has run it yet inside this transaction, so index the page here.
    ReferenceIndex.create_or_update_for_object(page)
    for reference in ReferenceIndex.get_references_for_object(page):
        target_model = reference.to_content_type.model_class()
        segment = overridable.get(reference.content_path)
        if segment is None or not issubclass(target_model, Page):
            continue
        linked = Page.objects.filter(pk=reference.to_object_id).first()
        if linked is None or linked.locale_id == locale.pk:
            continue
        page_translate(linked, locale, texts)
        translated = linked.get_translation_or_none(locale)
        if translated is not None:
            SegmentOverride.objects.update_or_create(
                locale=locale,
                context=segment.context,
                defaults={"data_json": json.dumps(translated.pk)},
            )


@transaction.atomic
def load_translations_demo() -> None:
    source_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    home = HomePage.objects.filter(depth=2, locale=source_locale).order_by("path").first()
    if home is None:
        return
    structure = (
        Page.objects.descendant_of(home, inclusive=True)
        .filter(locale=source_locale, depth__lte=home.depth + 2)
        .type(*STRUCTURE_TYPES)
        .order_by("path")
    )
    # Every target language of the site (settings.WAGTAIL_CONTENT_LANGUAGES) that the demo has
    # words for.
    for language in [code for code in content_language_codes() if code in STRUCTURE_TEXT]:
        locale, _ = Locale.objects.get_or_create(language_code=language)
        for page in structure:  # parents before children
            page_translate(page, locale, STRUCTURE_TEXT[language])

    guide_path, language = TRANSLATED_GUIDE
    guide = Page.objects.filter(url_path=f"{home.url_path}{guide_path.lstrip('/')}").first()
    if guide is not None:
        page_translate(guide, Locale.objects.get(language_code=language), GUIDE_TEXT_ES)
