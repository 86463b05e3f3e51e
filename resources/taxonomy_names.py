"""Names the catalogs must hold although no code prints them literally: the usual topics (a
Topic row keeps its English name; `str(topic)` asks gettext for it) and the resource languages
Django has no name for (`Language.__str__`). `make messages` extracts them from here."""

from django.utils.translation import gettext_noop

TOPIC_NAMES = (
    gettext_noop("Crisis"),
    gettext_noop("Family"),
    gettext_noop("Grief"),
    gettext_noop("Mindfulness"),
    gettext_noop("Recovery"),
    gettext_noop("Self care"),
    gettext_noop("Treatment"),
    gettext_noop("Harm reduction"),
    gettext_noop("Burnout"),
    # Languages Django has no name for (Language.__str__).
    gettext_noop("Haitian Creole"),
    gettext_noop("Chinese"),
)
