from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every app builds on. It imports no app (tests/test_layers.py checks it)."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from core import cache

        # Every app declares its caches in its `caches` module (core's own included); their
        # receivers are connected here, in one place, once all of them are declared.
        autodiscover_modules("caches")
        cache.connect_receivers()
