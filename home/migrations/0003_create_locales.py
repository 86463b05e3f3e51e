"""Create the Spanish and Portuguese locales (English, the source, exists since Wagtail's
migrations). Pages are translated with wagtail-localize; see docs/languages.md."""

from django.db import migrations

TARGET_LANGUAGES = ("es", "pt")


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    for code in TARGET_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def remove_locales(apps, schema_editor):
    # Only locales nothing uses: a locale with pages or translations stays.
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    for locale in Locale.objects.filter(language_code__in=TARGET_LANGUAGES):
        if not Page.objects.filter(locale=locale).exists():
            locale.delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0002_create_homepage")]

    operations = [migrations.RunPython(create_locales, remove_locales)]
