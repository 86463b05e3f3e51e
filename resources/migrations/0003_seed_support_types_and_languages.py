"""Seed the four kinds of peer support (a fixed list) and the first resource languages."""

from django.db import migrations

SUPPORT_TYPES = ["emotional", "informational", "instrumental", "affiliational"]
LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("ht", "Haitian Creole"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
]


def seed(apps, schema_editor):
    SupportType = apps.get_model("resources", "SupportType")
    Language = apps.get_model("resources", "Language")
    for order, slug in enumerate(SUPPORT_TYPES):
        SupportType.objects.update_or_create(slug=slug, defaults={"sort_order": order})
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("resources", "SupportType").objects.filter(slug__in=SUPPORT_TYPES).delete()
    apps.get_model("resources", "Language").objects.filter(
        code__in=[code for code, _name in LANGUAGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_language_supporttype_topic_guidepage_resourcepage")]

    operations = [migrations.RunPython(seed, unseed)]
