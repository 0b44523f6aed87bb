"""Fixtures for the content tests."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import clear_url_caches


@receiver(setting_changed)
def _forget_reversed_language_prefixes(*, setting, **kwargs):
    """Django's URL resolver keeps each language's reversed patterns, the i18n prefix
    included (none for the default language): a test that sets LANGUAGE_CODE = "en" and
    reverses would leave /en/ pages reversed without their prefix for the next tests."""
    if setting in ("LANGUAGE_CODE", "LANGUAGES"):
        clear_url_caches()
