from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "Moderators"  # Wagtail's group, which agency moderators join
RULES = {
    "blockedword": ("add", "change", "delete", "view"),
    "moderationsettings": ("change", "view"),
}


def let_moderators_manage_moderation_rules(apps, schema_editor):
    """Agency moderators keep the blocked words and the moderation settings in the Wagtail
    admin (not only superusers)."""
    config = apps.get_app_config("network")
    config.models_module = True  # create_permissions skips an app without models
    create_permissions(config, apps=apps, verbosity=0)
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    for model, actions in RULES.items():
        content_type = ContentType.objects.get(app_label="network", model=model)
        moderators.permissions.add(
            *Permission.objects.filter(
                content_type=content_type,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )


def take_them_back(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators = Group.objects.filter(name=MODERATORS).first()
    if moderators is not None:
        moderators.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="network", content_type__model__in=list(RULES)
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_moderation_settings_held_reason"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(let_moderators_manage_moderation_rules, take_them_back)]
