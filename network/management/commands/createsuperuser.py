"""Django's createsuperuser, which also marks the new administrator's address verified: the
person at the server's shell vouches for it, and the first admin must be able to sign in
before e-mail works (verification is mandatory)."""

from django.contrib.auth.management.commands.createsuperuser import Command as BaseCommand
from django.db.models.signals import post_save

from network.models import User
from network.services.accounts import verify_admin_email


class Command(BaseCommand):
    def handle(self, *args, **options):
        made = []

        def remember(sender, instance, created, **kwargs):
            if created:
                made.append(instance)

        post_save.connect(remember, sender=User, weak=False, dispatch_uid="createsuperuser")
        try:
            super().handle(*args, **options)
        finally:
            post_save.disconnect(sender=User, dispatch_uid="createsuperuser")
        for user in made:
            if user.is_superuser and user.email:
                verify_admin_email(user=user)
