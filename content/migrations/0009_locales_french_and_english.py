from django.db import migrations

TRANSLATORS = ["Moderators", "Editors"]


def create_locales(apps, schema_editor):
    """French (the default, which Wagtail created with its first migration) and English:
    each has its own tree of hub pages. Agency staff (Wagtail's Moderators and Editors) may
    translate pages with Wagtail's simple translation."""
    Locale = apps.get_model("wagtailcore.Locale")
    for language_code in ("fr", "en"):
        Locale.objects.get_or_create(language_code=language_code)

    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    # Permissions are created after the migrations run: make this one now.
    content_type, _ = ContentType.objects.get_or_create(
        app_label="simple_translation", model="simpletranslation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    for group in Group.objects.filter(name__in=TRANSLATORS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0008_community_rules"),
        ("wagtailcore", "0054_initial_locale"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
