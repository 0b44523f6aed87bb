"""`manage.py seed_demo`: the demo territory, loaded once, never on a real site by mistake."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page

pytestmark = pytest.mark.django_db

User = get_user_model()
ACCOUNTS = {"admin", "agence", "camille", "hugo", "nina", "lea"}


def test_it_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.filter(username__in=ACCOUNTS).exists()


def test_it_creates_the_demo_accounts_with_their_roles(settings, password):
    call_command("seed_demo", "--force")
    assert set(User.objects.values_list("username", flat=True)) >= ACCOUNTS
    for username in ACCOUNTS:
        assert User.objects.get(username=username).check_password(password)
    agence = User.objects.get(username="agence")
    assert not agence.is_superuser
    assert agence.has_perm("wagtailadmin.access_admin")
    assert User.objects.get(username="admin").is_superuser
    # Being an ambassador is holding a valid licence (ambassadors/demo/).
    from ambassadors.permissions import is_ambassador

    assert all(is_ambassador(User.objects.get(username=name)) for name in ("camille", "hugo"))
    assert not is_ambassador(User.objects.get(username="nina"))


def test_running_it_twice_duplicates_nothing():
    call_command("seed_demo", "--force")
    counts = (User.objects.count(), Page.objects.count())
    call_command("seed_demo", "--force")
    assert (User.objects.count(), Page.objects.count()) == counts


def test_it_keeps_what_staff_edited(settings):
    call_command("seed_demo", "--force")
    destinations = Page.objects.get(slug="destinations", locale__language_code="fr").specific
    destinations.title = "Nos destinations"
    destinations.save_revision().publish()
    call_command("seed_demo", "--force")
    french = Page.objects.get(slug="destinations", locale__language_code="fr")
    assert french.title == "Nos destinations"


def test_the_demo_accounts_can_log_in(client, password):
    call_command("seed_demo", "--force")
    response = client.post("/accounts/login/", {"login": "camille", "password": password})
    assert response.status_code == 302


def test_every_demo_account_has_notifications_some_unread_none_emailed(
    django_capture_on_commit_callbacks, mailoutbox
):
    from network.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force")
    for username in ("agence", "camille", "hugo", "nina"):
        received = Notification.objects.filter(recipient__username=username)
        assert received.filter(read_at__isnull=False).exists(), username
    hugo = Notification.objects.filter(recipient__username="hugo")
    assert hugo.filter(read_at__isnull=True, kind__in=["mention", "reply"]).exists()
    assert [m.subject for m in mailoutbox] == []  # past events are listed, not e-mailed

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force")
    assert Notification.objects.filter(recipient__username="hugo").count() == hugo.count()


def test_demo_notifications_are_dated_in_the_past(django_capture_on_commit_callbacks):
    from network.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force")
    dates = list(Notification.objects.values_list("created_at", flat=True))
    assert dates and max(dates) <= timezone.now()
    assert min(dates) < timezone.now() - timedelta(days=7)  # a history, not a burst
