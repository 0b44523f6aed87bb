"""The value ledger and the written contract.

Every accepted creator's cash and in-kind value is a ledger line, per creator, advertiser,
year and promotional objective (the brief's TRACER stage). When a creator's total with one
advertiser in one calendar year reaches the threshold (ComplianceRules, €1,000 excl. VAT by
décret n° 2025-1137), a contract is generated from the template with the mandatory clauses,
and no deliverable of that creator for that advertiser is approved until staff mark it
signed for at least that total."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, NotAllowed

from ..models import Campaign, Contract, Engagement, LedgerLine, euros
from ..permissions import is_campaign_staff
from ..rules import current_rules


def agency_name() -> str:
    return _("Agency of %(territory)s") % {"territory": settings.TERRITORY_NAME}


def advertiser_name(campaign: Campaign) -> str:
    return campaign.advertiser.name if campaign.advertiser_id else agency_name()


def record_engagement(engagement: Engagement) -> None:
    """The accepted engagement's lines (replacing earlier ones), then the contract."""
    campaign = engagement.campaign
    LedgerLine.objects.filter(engagement=engagement).delete()
    common = {
        "creator_id": engagement.creator_id,
        "engagement": engagement,
        "campaign": campaign,
        "advertiser_id": campaign.advertiser_id,
        "advertiser_key": campaign.advertiser_key,
        "advertiser_name": advertiser_name(campaign),
        "year": campaign.starts_on.year,
        "objective": campaign.stage,
    }
    lines = []
    if engagement.agreed_cash:
        lines.append(
            LedgerLine(
                kind=LedgerLine.Kind.CASH,
                label=campaign.title,
                amount=engagement.agreed_cash,
                **common,
            )
        )
    for item in campaign.in_kind_items.all():
        lines.append(
            LedgerLine(kind=LedgerLine.Kind.IN_KIND, label=item.label, amount=item.value, **common)
        )
    LedgerLine.objects.bulk_create(lines)
    refresh_contract(engagement.creator, campaign, year=common["year"])


def remove_engagement(engagement: Engagement) -> None:
    campaign = engagement.campaign
    LedgerLine.objects.filter(engagement=engagement).delete()
    refresh_contract(engagement.creator, campaign, year=campaign.starts_on.year)


def total_for(creator_id, advertiser_key: str, year: int) -> Decimal:
    total = LedgerLine.objects.filter(
        creator_id=creator_id, advertiser_key=advertiser_key, year=year
    ).aggregate(total=Sum("amount"))["total"]
    return euros(total)


def _fmt(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def render_contract(creator, campaign: Campaign, year: int, rules=None) -> tuple[str, Decimal]:
    """The contract's text from the template, and the total it covers."""
    rules = rules or current_rules()
    lines = list(
        LedgerLine.objects.filter(
            creator=creator, advertiser_key=campaign.advertiser_key, year=year
        ).select_related("campaign")
    )
    cash = sum((line.amount for line in lines if line.kind == LedgerLine.Kind.CASH), Decimal(0))
    in_kind = [line for line in lines if line.kind == LedgerLine.Kind.IN_KIND]
    in_kind_value = sum((line.amount for line in in_kind), Decimal(0))
    campaigns = {line.campaign_id: line.campaign for line in lines}
    engagements = {
        e.campaign_id: e
        for e in Engagement.objects.filter(creator=creator, campaign_id__in=list(campaigns))
    }
    missions = []
    for campaign_id, brief in sorted(campaigns.items()):
        specs = "; ".join(str(spec) for spec in brief.deliverable_specs.all())
        agreed = engagements.get(campaign_id)
        extra = agreed.agreed_deliverables if agreed is not None else ""
        missions.append(
            f"- {brief.title} ({brief.starts_on:%d/%m/%Y} – {brief.ends_on:%d/%m/%Y}): "
            + "; ".join(part for part in (specs, extra) if part)
        )
    rights = "\n".join(
        f"- {brief.title} : {brief.usage_rights}"
        for brief in campaigns.values()
        if brief.usage_rights
    ) or _("No right of use is granted beyond the publication on the creator's own accounts.")
    profile = getattr(creator, "creator_profile", None)
    values = {
        "year": year,
        "advertiser": advertiser_name(campaign),
        "creator_name": (profile and profile.legal_name) or creator.get_display_name(),
        "creator_address": (profile and profile.address) or "—",
        "creator_tax_residence": (profile and profile.tax_residence) or "—",
        "creator_company_number": (profile and profile.company_number) or "—",
        "missions": "\n".join(missions) or "—",
        "cash": _fmt(cash),
        "in_kind": ", ".join(f"{line.label} ({_fmt(line.amount)} €)" for line in in_kind) or "—",
        "in_kind_value": _fmt(in_kind_value),
        "total": _fmt(cash + in_kind_value),
        "rights": rights,
        "mentions": " / ".join(f"« {m} »" for m in rules.mention_list) or "—",
    }

    class Keep(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    body = rules.contract_template.format_map(Keep(values))
    return body, cash + in_kind_value


def refresh_contract(creator, campaign: Campaign, *, year: int) -> Contract | None:
    """At or above the threshold the contract exists and says the current terms; a signed
    contract that covers less than the new total goes back to be signed again. Below the
    threshold an unsigned draft goes away."""
    rules = current_rules()
    key = campaign.advertiser_key
    total = total_for(creator.pk, key, year)
    contract = (
        Contract.objects.select_for_update()
        .filter(creator=creator, advertiser_key=key, year=year)
        .first()
    )
    if total < rules.contract_threshold:
        if contract is not None and contract.status == Contract.Status.DRAFT:
            contract.delete()
            return None
        return contract
    body, total = render_contract(creator, campaign, year, rules)
    if contract is None:
        return Contract.objects.create(
            creator=creator,
            advertiser_id=campaign.advertiser_id,
            advertiser_key=key,
            advertiser_name=advertiser_name(campaign),
            year=year,
            body=body,
            total=total,
        )
    if contract.status == Contract.Status.SIGNED and contract.signed_total is not None:
        if total <= contract.signed_total:
            Contract.objects.filter(pk=contract.pk).update(total=total)
            return contract
    contract.body, contract.total, contract.status = body, total, Contract.Status.DRAFT
    contract.generated_at = timezone.now()
    contract.save(update_fields=["body", "total", "status", "generated_at"])
    return contract


def contract_blocking(engagement: Engagement) -> str:
    """Why this creator's content cannot be approved yet for want of a signed contract
    ("" when nothing blocks)."""
    campaign = engagement.campaign
    year = campaign.starts_on.year
    rules = current_rules()
    total = total_for(engagement.creator_id, campaign.advertiser_key, year)
    if total < rules.contract_threshold:
        return ""
    contract = Contract.objects.filter(
        creator_id=engagement.creator_id, advertiser_key=campaign.advertiser_key, year=year
    ).first()
    if contract is not None and contract.covers_total and contract.total >= total:
        return ""
    return _(
        "This creator received %(total)s € excl. VAT from %(advertiser)s in %(year)s, at or "
        "above the %(threshold)s € threshold: the written contract must be marked signed "
        "before any content is approved (décret n° 2025-1137)."
    ) % {
        "total": _fmt(total),
        "advertiser": advertiser_name(campaign),
        "year": year,
        "threshold": _fmt(rules.contract_threshold),
    }


@transaction.atomic
def mark_signed(*, actor, contract: Contract) -> Contract:
    if not is_campaign_staff(actor):
        raise NotAllowed(_("Only agency staff mark contracts signed."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status == Contract.Status.SIGNED and contract.covers_total:
        raise Conflict(_("This contract is already signed."))
    contract.status = Contract.Status.SIGNED
    contract.signed_total = contract.total
    contract.signed_at = timezone.now()
    contract.signed_by = actor
    contract.save(update_fields=["status", "signed_total", "signed_at", "signed_by"])
    return contract


def ledger_totals(lines_queryset):
    """[(creator_id, advertiser_name, year, objective, cash, in_kind, total)], one query."""
    rows = (
        lines_queryset.values("creator_id", "advertiser_name", "year", "objective", "kind")
        .annotate(amount=Sum("amount"))
        .order_by("creator_id", "advertiser_name", "year", "objective")
    )
    grouped: dict = {}
    for row in rows:
        key = (row["creator_id"], row["advertiser_name"], row["year"], row["objective"])
        cash, in_kind = grouped.get(key, (Decimal(0), Decimal(0)))
        if row["kind"] == LedgerLine.Kind.CASH:
            cash += euros(row["amount"])
        else:
            in_kind += euros(row["amount"])
        grouped[key] = (cash, in_kind)
    return [(*key, cash, in_kind, cash + in_kind) for key, (cash, in_kind) in grouped.items()]
