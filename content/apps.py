from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content hub")

    def ready(self):
        from wagtail.models import Page

        from core.mail import validate_single_line

        # A page title goes into Wagtail's workflow e-mail subjects, feeds and calendars:
        # every page, whatever its type and whoever saves it (admin form, service, import),
        # keeps it on one line. Page.full_clean() runs the field's validators on each save.
        title_validators = Page._meta.get_field("title").validators
        if validate_single_line not in title_validators:
            title_validators.append(validate_single_line)

        from core import images

        # Content is the bottom app: every upload, whichever app takes it, is cleaned from here.
        images.connect()

        from content import workflow_names

        workflow_names.connect()
