from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content hub")

    def ready(self):
        from content import workflow_names

        workflow_names.connect()
