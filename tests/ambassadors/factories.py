"""Builders for the ambassador programme: rows written directly (tests of a service call the
service itself)."""

from datetime import timedelta

from django.utils import timezone

from ambassadors.models import Charter, Licence, Mission, Profile
from ambassadors.models.missions import MissionType, TracerStage
from tests.factories import UserFactory


def charter(version=1, published=True):
    return Charter.objects.create(
        version=version, title=f"Charte v{version}", body="<p>Respect.</p>", published=published
    )


def ambassador(user=None, *, expired=False, charter_version=1, visibility="members", **profile):
    """A member holding a licence (valid unless `expired`) and a profile, listed in the
    directory while the licence is valid (as services.licences.refresh_listed keeps it)."""
    user = user or UserFactory()
    today = timezone.localdate()
    Licence.objects.create(
        holder=user,
        starts_on=today - timedelta(days=400 if expired else 10),
        expires_on=today - timedelta(days=1) if expired else today + timedelta(days=355),
        charter_version=charter_version,
    )
    fields = {
        f"{name}_visibility": visibility
        for name in (
            "photo",
            "headline",
            "bio",
            "areas",
            "interests",
            "skills",
            "languages",
            "organisations",
            "town",
            "activity",
        )
    }
    fields["listed"] = not expired
    fields.update(profile)
    Profile.objects.create(user=user, **fields)
    return user


def mission(**fields):
    values = {
        "title": "Partagez la plage",
        "description": "Partagez la page de la plage.",
        "stage": TracerStage.ENGAGEMENT,
        "type": MissionType.SHARE,
        "points": 10,
        "deadline": timezone.now() + timedelta(days=7),
        "status": Mission.Status.PUBLISHED,
    }
    values.update(fields)
    return Mission.objects.create(**values)


def staff(**fields):
    user = UserFactory(**fields)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user
