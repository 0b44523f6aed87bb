"""e-PR's demo data: a dozen contacts in three segments and one sent release with opens."""

import io

import pytest

from ambassadors.press.demo import seed_press
from ambassadors.press.models import PressContact, PressRecipient, PressRelease, PressSegment
from tests.content import factories_contrib as f

from .factories import published_story

pytestmark = pytest.mark.django_db


def test_the_demo_has_contacts_and_a_sent_release_with_opens_and_runs_twice():
    f.moderator("agence")
    published_story()
    seed_press(stdout=io.StringIO())
    counts = (PressContact.objects.count(), PressRecipient.objects.count())
    seed_press(stdout=io.StringIO())
    assert (PressContact.objects.count(), PressRecipient.objects.count()) == counts
    assert counts[0] == 12 and PressSegment.objects.count() == 3
    release = PressRelease.objects.get()
    assert release.status == PressRelease.Status.SENT
    opened = PressRecipient.objects.filter(opened_at__isnull=False)
    assert opened.count() >= 2 and all(r.link_id for r in opened)
    assert PressRecipient.objects.filter(status="skipped").count() == 1
