from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = _("Ambassadors")

    def ready(self):
        from content.permissions import register_contributor_check

        from .selectors import is_ambassador

        # Ambassadors propose stories and suggest updates on the content hub.
        register_contributor_check(is_ambassador)
