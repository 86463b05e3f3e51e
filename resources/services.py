"""Writes for the resource library: the taxonomy rows the pages filter on."""

from resources.models import Language, SupportType

# Also seeded by migration 0003; kept here for databases emptied since (the demo, tests).
FIRST_LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("ht", "Haitian Creole"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
]


def taxonomy_ensure() -> None:
    """Create the four support types and the first languages if they are missing. Idempotent."""
    for order, kind in enumerate(SupportType.Kind):
        SupportType.objects.update_or_create(slug=kind.value, defaults={"sort_order": order})
    for code, name in FIRST_LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})
