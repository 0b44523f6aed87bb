"""The programme's demo data (seed_demo)."""

import pytest
from django.core.management import call_command

from ambassadors.models import (
    Application,
    BadgeAward,
    LinkClickDay,
    Mission,
    PointEntry,
    Submission,
)
from ambassadors.models.missions import TracerStage
from ambassadors.selectors import ambassadors

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_programme_and_runs_twice():
    call_command("seed_demo", "--force")
    counts = (ambassadors().count(), Mission.objects.count(), LinkClickDay.objects.count())
    call_command("seed_demo", "--force")
    assert (ambassadors().count(), Mission.objects.count(), LinkClickDay.objects.count()) == counts
    assert counts[0] == 20 and counts[2] > 0
    assert set(Mission.objects.values_list("stage", flat=True)) == set(TracerStage.values)
    assert Application.objects.filter(status=Application.Status.PENDING).count() == 2
    assert Submission.objects.filter(status=Submission.Status.WAITING).exists()
    assert PointEntry.objects.filter(user__username="camille").exists()
    from ambassadors.models import GreeterProposal, GreeterRequest

    assert GreeterRequest.objects.filter(status=GreeterRequest.Status.OPEN).count() == 2
    assert GreeterProposal.objects.filter(greeter__username="camille").exists()
    for name in ("camille", "hugo"):
        assert BadgeAward.objects.filter(user__username=name).count() >= 2
