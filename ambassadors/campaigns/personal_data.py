"""What campaigns keep about a member, for their export and their account's erasure: the
creator profile, their briefs and contents, their ledger lines and contracts."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import Contract, CreatorProfile, Deliverable, Engagement, LedgerLine


def _iso(value):
    return value.isoformat() if value else None


def export_campaign_data(user) -> dict:
    profile = (
        CreatorProfile.objects.filter(user=user).prefetch_related("platforms", "areas").first()
    )
    return {
        "creator_profile": profile
        and {
            "kind": profile.kind,
            "niches": profile.niche_list,
            "languages": profile.language_codes,
            "areas": [area.name for area in profile.areas.all()],
            "rates": profile.rates,
            "arpp_certified": profile.arpp_certified,
            "arpp_certified_on": _iso(profile.arpp_certified_on),
            "legal_name": profile.legal_name,
            "address": profile.address,
            "tax_residence": profile.tax_residence,
            "company_number": profile.company_number,
            "platforms": [
                {
                    "platform": p.platform,
                    "handle": p.handle,
                    "audience": p.audience,
                    "audience_on": _iso(p.audience_on),
                }
                for p in profile.platforms.all()
            ],
        },
        "briefs": [
            {
                "brief": e.campaign.title,
                "status": e.status,
                "seat": e.seat,
                "agreed_cash": str(e.agreed_cash),
                "counter_cash": None if e.counter_cash is None else str(e.counter_cash),
                "counter_deliverables": e.counter_deliverables,
                "note": e.note,
                "created_at": _iso(e.created_at),
                "deliverables": [
                    {
                        "platform": d.platform,
                        "text": d.text,
                        "image": d.image.name or None,
                        "video_url": d.video_url,
                        "published_url": d.published_url,
                        "status": d.status,
                        "review_comment": d.review_comment,
                        "submitted_at": _iso(d.submitted_at),
                    }
                    for d in e.deliverables.all()
                ],
            }
            for e in Engagement.objects.filter(creator=user)
            .select_related("campaign")
            .prefetch_related("deliverables")
        ],
        "ledger": [
            {
                "advertiser": line.advertiser_name,
                "year": line.year,
                "objective": line.objective,
                "kind": line.kind,
                "label": line.label,
                "amount": str(line.amount),
            }
            for line in LedgerLine.objects.filter(creator=user)
        ],
        "contracts": [
            {
                "advertiser": c.advertiser_name,
                "year": c.year,
                "status": c.status,
                "total": str(c.total),
                "signed_at": _iso(c.signed_at),
                "body": c.body,
            }
            for c in Contract.objects.filter(creator=user)
        ],
    }


def erase_campaign_data(user) -> None:
    """All of it goes (files once the transaction commits), with the moderation cases of
    the member's contents. Seats they held go to the waiting list."""
    from network.models import Case

    from .services.casting import _free_seat

    for engagement in Engagement.objects.filter(creator=user, seat="taken").select_related(
        "campaign"
    ):
        from .models import Campaign

        campaign = Campaign.objects.select_for_update().get(pk=engagement.campaign_id)
        _free_seat(campaign, engagement)
    deliverables = Deliverable.objects.filter(engagement__creator=user)
    files = [d.image for d in deliverables if d.image]
    Case.objects.filter(
        target_type=ContentType.objects.get_for_model(Deliverable),
        target_id__in=list(deliverables.values_list("pk", flat=True)),
    ).delete()
    deliverables.delete()
    LedgerLine.objects.filter(creator=user).delete()
    Contract.objects.filter(creator=user).delete()
    Engagement.objects.filter(creator=user).delete()
    CreatorProfile.objects.filter(user=user).delete()
    for file in files:
        transaction.on_commit(lambda file=file: file.storage.delete(file.name))


def register() -> None:
    from network.registries import PersonalDataSection, register_personal_data_section

    register_personal_data_section(
        PersonalDataSection(key="campaigns", export=export_campaign_data, erase=erase_campaign_data)
    )
