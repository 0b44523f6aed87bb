from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = _("Real time")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
        from .registrations import register

        register()
