from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content hub")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, Site

        from core.mail import forget_site_root_url, validate_single_line

        # E-mails link to the default site's address (core.mail.site_url).
        post_save.connect(forget_site_root_url, sender=Site, dispatch_uid="forget_site_root_url")
        post_delete.connect(forget_site_root_url, sender=Site, dispatch_uid="forget_site_root_url")

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
