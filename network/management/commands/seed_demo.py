from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from network.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts


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

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: seed_demo creates accounts with a public password. "
                "Pass --force if this really is a demo site."
            )
        with transaction.atomic():
            # Accounts come first: every app's demo data has authors and members.
            seed_accounts(stdout=self.stdout)
            for module in demo_modules():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo territory ready."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<8} {description}")
