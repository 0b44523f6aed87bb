from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmbassadorsConfig(AppConfig):
    name = "ambassadors"
    verbose_name = _("Ambassadors")

    def ready(self):
        from content.permissions import register_contributor_check
        from network.api import add_app_router

        from . import cache, personal_data, receivers
        from .api import router
        from .permissions import is_ambassador
        from .press import register as register_press
        from .services.badges import register_notification_kind as register_badge_kind
        from .services.briefings import register_notification_kind as register_briefing_kind
        from .services.greeters import register_notification_kind as register_greeter_kind
        from .services.missions import register_moderation_kind, register_trust_source

        # Ambassadors (a valid licence) propose stories and suggest updates on the content hub.
        register_contributor_check(is_ambassador)
        register_moderation_kind()
        register_trust_source()  # approved missions count towards trust levels
        add_app_router("", router, tags=["ambassadors"])
        personal_data.register()
        cache.connect()  # the map's markers are forgotten when a profile changes
        register_briefing_kind()
        register_press()
        register_badge_kind()
        register_greeter_kind()
        receivers.connect()
        from .campaigns import apps as campaigns

        campaigns.ready()
