from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content hub")

    def ready(self):
        from config import images

        # Content is the bottom app: every upload, whichever app takes it, is cleaned from here.
        images.connect()
