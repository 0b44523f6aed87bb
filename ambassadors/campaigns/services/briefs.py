"""Briefs: written by staff, from draft to open to closed to archived."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed
from core.sanitizer import clean_text

from ...models.missions import TracerStage
from ..models import Campaign, DeliverableSpec, Format, InKindItem, Platform
from ..permissions import is_campaign_staff
from . import euros

TEXT_FIELDS = {
    "title": 200,
    "objectives": 4000,
    "audience": 2000,
    "key_messages": 4000,
    "dos": 2000,
    "donts": 2000,
    "usage_rights": 2000,
    "required_mentions": 1000,
    "eductour_programme": 4000,
    "eductour_meeting_point": 300,
}
TRANSITIONS = {
    "publish": (Campaign.Status.DRAFT, Campaign.Status.OPEN),
    "close": (Campaign.Status.OPEN, Campaign.Status.CLOSED),
    "archive": (Campaign.Status.CLOSED, Campaign.Status.ARCHIVED),
}


def _date(value, label) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(_("%(field)s: give a date as YYYY-MM-DD.") % {"field": label}) from None


def _not_past(day, label, today, *, was=None):
    """A date given now cannot be in the past (one kept unchanged from before may be)."""
    if day is not None and day < today and day != was:
        raise InvalidInput(_("%(field)s cannot be in the past.") % {"field": label})


def _check_period(start, end, start_label, end_label):
    if start and end and end < start:
        raise InvalidInput(
            _("%(end)s cannot be before %(start)s.") % {"end": end_label, "start": start_label}
        )


def _clean(data: dict, campaign: Campaign | None) -> dict:
    today = timezone.localdate()
    values = {}
    for name, limit in TEXT_FIELDS.items():
        values[name] = clean_text(str(data.get(name) or "")).strip()[:limit]
    if not values["title"]:
        raise InvalidInput(_("Give the brief a title."))
    if not values["objectives"]:
        raise InvalidInput(_("Say what the brief's objectives are."))
    kind = data.get("kind") or Campaign.Kind.CAMPAIGN
    if kind not in Campaign.Kind.values:
        raise InvalidInput(_("Unknown kind of brief."))
    values["kind"] = kind
    if data.get("stage") not in TracerStage.values:
        raise InvalidInput(_("Choose the TRACER stage the brief serves."))
    values["stage"] = data["stage"]
    if data.get("relationship") not in Campaign.Relationship.values:
        raise InvalidInput(_("Choose the relationship: volunteer, gifted or paid."))
    values["relationship"] = data["relationship"]
    values["cash_amount"] = euros(data.get("cash_amount"), field=_("Cash"))
    values["starts_on"] = _date(data.get("starts_on"), _("Start"))
    values["ends_on"] = _date(data.get("ends_on"), _("End"))
    if values["starts_on"] is None or values["ends_on"] is None:
        raise InvalidInput(_("Give the brief's start and end dates."))
    _not_past(values["starts_on"], _("The start"), today, was=campaign and campaign.starts_on)
    _not_past(values["ends_on"], _("The end"), today, was=campaign and campaign.ends_on)
    _check_period(values["starts_on"], values["ends_on"], _("the start"), _("The end"))
    values["open_to_applications"] = bool(data.get("open_to_applications"))
    values["has_eductour"] = bool(data.get("has_eductour"))
    if values["has_eductour"]:
        values["eductour_starts_on"] = _date(data.get("eductour_starts_on"), _("Eductour start"))
        values["eductour_ends_on"] = _date(data.get("eductour_ends_on"), _("Eductour end"))
        if not (values["eductour_starts_on"] and values["eductour_ends_on"]):
            raise InvalidInput(_("Give the eductour's dates."))
        _not_past(
            values["eductour_starts_on"],
            _("The eductour's start"),
            today,
            was=campaign and campaign.eductour_starts_on,
        )
        _check_period(
            values["eductour_starts_on"],
            values["eductour_ends_on"],
            _("the eductour's start"),
            _("The eductour's end"),
        )
        try:
            seats = int(data.get("eductour_seats") or 0)
        except (TypeError, ValueError):
            seats = 0
        if seats < 1:
            raise InvalidInput(_("An eductour has one seat at least."))
        if campaign is not None and seats < campaign.seats_taken:
            raise Conflict(
                _("%(count)s seats are already taken: the eductour cannot have fewer.")
                % {"count": campaign.seats_taken}
            )
        values["eductour_seats"] = seats
    else:
        if campaign is not None and campaign.seats_taken:
            raise Conflict(_("Seats of the eductour are taken: it cannot be removed."))
        values.update(
            eductour_starts_on=None,
            eductour_ends_on=None,
            eductour_seats=None,
            eductour_programme="",
            eductour_meeting_point="",
        )
    values["advertiser"] = data.get("advertiser")
    return values


def _clean_in_kind(items) -> list[tuple[str, object]]:
    rows = []
    for item in items or []:
        label = clean_text(str(item.get("label") or "")).strip()[:200]
        value = item.get("value")
        if not label and value in (None, ""):
            continue
        if not label:
            raise InvalidInput(_("Each in-kind item needs a name."))
        rows.append((label, euros(value, field=label)))
    return rows


def _clean_specs(items, today, campaign) -> list[dict]:
    rows = []
    for item in items or []:
        if not any(item.get(name) for name in ("platform", "format", "due_on")):
            continue
        if item.get("platform") not in Platform.values or item.get("format") not in Format.values:
            raise InvalidInput(_("Each deliverable needs a platform and a format."))
        try:
            count = int(item.get("count") or 1)
        except (TypeError, ValueError):
            count = 0
        if count < 1 or count > 100:
            raise InvalidInput(_("A deliverable's count is between 1 and 100."))
        due_on = _date(item.get("due_on"), _("Due date"))
        if due_on is None:
            raise InvalidInput(_("Each deliverable needs its due date."))
        kept = campaign is not None and campaign.deliverable_specs.filter(due_on=due_on).exists()
        if due_on < today and not kept:
            raise InvalidInput(_("A due date cannot be in the past."))
        rows.append(
            {
                "platform": item["platform"],
                "format": item["format"],
                "count": count,
                "due_on": due_on,
            }
        )
    return rows


def _check_terms(values, in_kind):
    relationship = values["relationship"]
    if relationship == Campaign.Relationship.VOLUNTEER and (values["cash_amount"] or in_kind):
        raise InvalidInput(_("A volunteer brief has neither cash nor in-kind compensation."))
    if relationship == Campaign.Relationship.GIFTED and values["cash_amount"]:
        raise InvalidInput(
            _("A gifted brief gives in kind only: set the cash to 0 or choose paid.")
        )
    if relationship == Campaign.Relationship.PAID and not values["cash_amount"]:
        raise InvalidInput(_("A paid brief needs its cash amount."))


@transaction.atomic
def save_brief(
    *, actor, data: dict, in_kind=(), deliverables=(), pages=None, campaign=None
) -> Campaign:
    """Create (campaign=None) or edit a brief. `in_kind`: [{"label", "value"}],
    `deliverables`: [{"platform", "format", "count", "due_on"}], `pages`: hub pages the
    creators' tracked links lead to."""
    if not is_campaign_staff(actor):
        raise NotAllowed(_("Only agency staff write briefs."))
    if campaign is not None:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == Campaign.Status.ARCHIVED:
            raise Conflict(_("An archived brief cannot be changed."))
    values = _clean(data, campaign)
    in_kind_rows = _clean_in_kind(in_kind)
    spec_rows = _clean_specs(deliverables, timezone.localdate(), campaign)
    _check_terms(values, in_kind_rows)
    if campaign is not None and campaign.engagements.filter(status="accepted").exists():
        if (
            values["relationship"] != campaign.relationship
            or values["cash_amount"] != campaign.cash_amount
            or getattr(values["advertiser"], "pk", None) != campaign.advertiser_id
        ):
            raise Conflict(
                _(
                    "Creators accepted these terms: the relationship, cash and advertiser "
                    "cannot change."
                )
            )
    if campaign is None:
        campaign = Campaign(owner=actor, **values)
    else:
        for name, value in values.items():
            setattr(campaign, name, value)
    campaign.save()
    if in_kind is not None:
        campaign.in_kind_items.all().delete()
        InKindItem.objects.bulk_create(
            [
                InKindItem(campaign=campaign, label=label, value=value)
                for label, value in in_kind_rows
            ]
        )
    if deliverables is not None:
        campaign.deliverable_specs.filter(deliverables__isnull=True).delete()
        existing = {
            (s.platform, s.format, s.count, s.due_on) for s in campaign.deliverable_specs.all()
        }
        DeliverableSpec.objects.bulk_create(
            [
                DeliverableSpec(campaign=campaign, **row)
                for row in spec_rows
                if (row["platform"], row["format"], row["count"], row["due_on"]) not in existing
            ]
        )
    if pages is not None:
        from .casting import is_linkable

        campaign.pages.set([page for page in pages if is_linkable(page)])
    if campaign.has_eductour:
        from .casting import fill_free_seats

        fill_free_seats(campaign)
    return campaign


@transaction.atomic
def move_brief(*, actor, campaign: Campaign, action: str) -> Campaign:
    """publish (draft → open), close (open → closed), archive (closed → archived)."""
    if not is_campaign_staff(actor):
        raise NotAllowed(_("Only agency staff publish, close or archive briefs."))
    if action not in TRANSITIONS:
        raise InvalidInput(_("Unknown action."))
    source, target = TRANSITIONS[action]
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != source:
        labels = {"publish": _("published"), "close": _("closed"), "archive": _("archived")}
        raise Conflict(
            _("This brief is %(status)s: it cannot be %(action)s.")
            % {"status": campaign.get_status_display().lower(), "action": labels[action]}
        )
    if action == "publish" and campaign.ends_on < timezone.localdate():
        raise Conflict(_("This brief's end date has passed: change it before publishing."))
    campaign.status = target
    campaign.save(update_fields=["status"])
    return campaign


@transaction.atomic
def share_report(*, actor, campaign: Campaign, enable: bool = True) -> str:
    """The partners' private link to the report: a new token (the old link stops working),
    or none."""
    if not is_campaign_staff(actor):
        raise NotAllowed(_("Only agency staff share reports."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if enable:
        campaign.new_share_token()
    else:
        campaign.share_token = ""
    campaign.save(update_fields=["share_token"])
    return campaign.share_token
