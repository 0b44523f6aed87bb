"""System checks of network's settings (run by `manage.py check` and at start-up)."""

from django.core.checks import Error, register


@register()
def check_exports_are_private(app_configs, **kwargs):
    from network.services.personal_data import exports_root_is_private

    if exports_root_is_private():
        return []
    return [
        Error(
            "EXPORTS_ROOT is inside MEDIA_ROOT: members' data exports would be public.",
            hint="Point EXPORTS_ROOT (or PRIVATE_ROOT) at a folder the web server does not serve.",
            id="network.E001",
        )
    ]
