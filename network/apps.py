from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from content.permissions import register_writer_check
        from network import checks, receivers  # noqa: F401 - checks register on import
        from network.permissions import can_write

        receivers.connect()
        register_writer_check(can_write)
