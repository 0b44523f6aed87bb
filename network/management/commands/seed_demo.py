from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Site

from network.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts

WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]"}  # noqa: S104 - names, nothing binds here


def set_default_site_address(*, host=None, port=None) -> Site:
    """Point the default Wagtail site at where the demo is served. A wildcard address
    (0.0.0.0, ::) is not one a browser or an e-mail can reach: "localhost" stands for it."""
    site = Site.objects.get(is_default_site=True)
    if host:
        site.hostname = "localhost" if host in WILDCARD_HOSTS else host.strip("[]")
    if port:
        site.port = port
    site.save()  # save(), not update(): e-mail links forget the old address (core.mail)
    return site


def demo_modules():
    """Each app's own `demo.py`, in INSTALLED_APPS order, so that an app's demo data is
    loaded after that of the apps it depends on."""
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if find_spec(app_config.name) and find_spec(name):
            yield import_module(name)


class Command(BaseCommand):
    help = (
        "Load the demo territory. Idempotent: running it again updates the demo data "
        "instead of duplicating it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a real site).",
        )
        parser.add_argument(
            "--host",
            help="The host name the demo is served on (the default site's hostname: "
            "canonical links, the sitemap, the API and e-mails use it).",
        )
        parser.add_argument("--port", type=int, help="The port the demo is served on.")

    def handle(self, *args, force=False, host=None, port=None, **options):
        if not (settings.DEBUG or getattr(settings, "DEMO_SITE", False) or force):
            raise CommandError(
                "DEBUG is off: seed_demo creates accounts with a public password. "
                "Pass --force if this really is a demo site."
            )
        with transaction.atomic():
            # Accounts come first: every app's demo data has authors and members.
            seed_accounts(stdout=self.stdout)
            for module in demo_modules():
                module.seed(stdout=self.stdout)
            if host or port:
                site = set_default_site_address(host=host, port=port)
                self.stdout.write(f"Site address: {site.root_url}/")
        self.stdout.write(self.style.SUCCESS("Demo territory ready."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<8} {description}")
