from django.db import migrations


def create_locales(apps, schema_editor):
    """French (the default, which Wagtail created with its first migration) and English:
    each has its own tree of hub pages."""
    Locale = apps.get_model("wagtailcore.Locale")
    for language_code in ("fr", "en"):
        Locale.objects.get_or_create(language_code=language_code)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0008_community_rules"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
