from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from content.permissions import register_writer_check
        from network import (  # noqa: F401 - checks register on import
            checks,
            header,
            moderation_content,
            receivers,
        )
        from network.permissions import can_write
        from network.registries import PersonalDataSection, register_personal_data_section
        from network.services.personal_data import contributions_data

        receivers.connect()
        header.register_parts()
        moderation_content.connect()
        register_writer_check(can_write)
        register_personal_data_section(
            PersonalDataSection(key="content_hub", export=contributions_data)
        )
