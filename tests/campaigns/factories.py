"""Builders for campaigns: the services themselves where the rule matters, rows otherwise."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ambassadors.campaigns.models import Campaign, CreatorProfile
from ambassadors.campaigns.services import briefs, creators
from tests.ambassadors.factories import staff
from tests.factories import UserFactory


def creator(user=None, *, kind="influencer", audience=25_000, niches="food, surf", **fields):
    user = user or UserFactory()
    creators.save_creator_profile(
        actor=user,
        kind=kind,
        platforms=[{"platform": "instagram", "handle": f"@{user.username}", "audience": audience}],
        niches=niches,
        languages=fields.pop("languages", ["fr"]),
        **fields,
    )
    return user


def brief_data(**fields):
    today = timezone.localdate()
    data = {
        "title": "Hiver à Morvellec",
        "objectives": "Faire connaître la presqu'île en hiver.",
        "stage": "reputation",
        "relationship": "gifted",
        "cash_amount": "0",
        "starts_on": (today + timedelta(days=1)).isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
    }
    data.update(fields)
    return data


def brief(actor=None, *, status="open", in_kind=None, deliverables=None, pages=None, **fields):
    actor = actor or staff()
    if in_kind is None and fields.get("relationship", "gifted") == "gifted":
        in_kind = [{"label": "Nuit à l'hôtel", "value": "180"}]
    if deliverables is None:
        deliverables = [
            {
                "platform": "instagram",
                "format": "post",
                "count": 1,
                "due_on": timezone.localdate() + timedelta(days=20),
            }
        ]
    campaign = briefs.save_brief(
        actor=actor,
        data=brief_data(**fields),
        in_kind=in_kind or [],
        deliverables=deliverables,
        pages=pages,
    )
    if status != "draft":
        Campaign.objects.filter(pk=campaign.pk).update(status=status)
        campaign.refresh_from_db()
    return campaign


__all__ = ["Decimal", "CreatorProfile", "brief", "brief_data", "creator", "staff"]
