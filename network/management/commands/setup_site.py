from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from content.services.site_setup import set_up_site
from network.services.accounts import make_site_admin

# Wagtail's group, given the moderation rights by the migrations (core/roles.py).
MODERATORS = "Moderators"


class Command(BaseCommand):
    help = (
        "First set-up of a real deployment (never the demo): the pages the menu and footer "
        "link to, the Site's public host name, port and name, the moderators group and, with "
        "--admin, a site administrator whose address is verified. Idempotent: a second run "
        "creates nothing and keeps what staff edited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", required=True, help="The public host name: territory.example")
        parser.add_argument(
            "--port", type=int, default=443, help="The public port (default 443: HTTPS)."
        )
        parser.add_argument(
            "--name", default=None, help="The site's name (default: TERRITORY_NAME)."
        )
        parser.add_argument(
            "--admin",
            metavar="EMAIL",
            help="Make the account with this address a site administrator (created with no "
            "usable password if missing) and mark the address verified.",
        )

    def handle(self, *args, host, port, name, admin, **options):
        host = host.strip().lower()
        if not host or "/" in host or ":" in host:
            raise CommandError("--host takes a host name only, e.g. territory.example")
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        if admin:
            try:
                validate_email(admin)
            except ValidationError as error:
                raise CommandError(f"--admin: {error.messages[0]}") from error

        setup = set_up_site(hostname=host, port=port, site_name=name or settings.TERRITORY_NAME)
        for title in setup.created:
            self.stdout.write(f"  page created: {title}")
        _group, created = Group.objects.get_or_create(name=MODERATORS)
        if created:
            self.stdout.write(f"  group created: {MODERATORS}")
        self.stdout.write(f"  site: {setup.site.root_url} ({setup.site.site_name})")

        if admin:
            user, created = make_site_admin(email=admin)
            self.stdout.write(
                f"  administrator: {user.username} <{user.email}>, address verified"
                + (" (new account)" if created else "")
            )
            if not user.has_usable_password():
                self.stdout.write(
                    f"  set the password with: manage.py changepassword {user.username}"
                )
        self.stdout.write(self.style.SUCCESS("Site ready."))
