"""The brand kit's rules: who may download which asset, who may hold a licence to the
place-brand mark, and who decides on licence requests.

The mark is a licensed asset: a member asks for a licence and accepts the current usage
rules ("règlement d'usage de la marque"); agency staff approve until a date, or decline.
Raising the rules version on the toolkit page asks every holder to accept again.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from content import signals
from content.models import BrandLicence, ToolkitAsset, ToolkitPage
from content.permissions import can_view_page
from core.errors import Conflict, DomainError, NotAllowed, NotFound
from core.mail import subject_line
from core.roles import MODERATORS_GROUP, in_group
from core.sanitizer import clean_text

LICENCE_TERM = timedelta(days=365)


class LicenceRequired(NotAllowed):
    code = "licence_required"
    default_message = _(
        "The place-brand mark is a licensed asset: you need an approved licence to download it."
    )


class RulesNotAccepted(NotAllowed):
    """The member holds a licence, but accepted an older version of the usage rules."""

    code = "rules_not_accepted"
    default_message = _(
        "The brand usage rules have changed since you accepted them. Read and accept the "
        "new version to download the mark again."
    )

    def __init__(self, message=None, *, licence: BrandLicence):
        self.licence = licence
        super().__init__(message)


# Permissions --------------------------------------------------------------------------------


def can_manage_licences(user, page: ToolkitPage | None = None) -> bool:
    """Agency staff who decide on licences: members of "Moderators", superusers, and those
    who may publish the toolkit page (any toolkit page when `page` is None)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if in_group(user, MODERATORS_GROUP):
        return True
    if page is not None:
        return page.permissions_for_user(user).can_publish()
    publishes = getattr(user, "_toolkit_publishes_a_kit", None)
    if publishes is None:
        publishes = (
            PagePermissionPolicy()
            .instances_user_has_permission_for(user, "publish")
            .type(ToolkitPage)
            .exists()
        )
        user._toolkit_publishes_a_kit = publishes
    return publishes


def licences_visible_to(user):
    """The licences a staff member may see and decide on in the admin."""
    queryset = BrandLicence.objects.select_related("holder", "asset", "asset__page", "decided_by")
    if not can_manage_licences(user):
        return queryset.none()
    if user.is_superuser or in_group(user, MODERATORS_GROUP):
        return queryset
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "publish")
    return queryset.filter(asset__page__in=pages.type(ToolkitPage))


# Reads --------------------------------------------------------------------------------------


def _is_current(licence: BrandLicence, today: date) -> bool:
    return licence.status == BrandLicence.Status.APPROVED and (
        licence.valid_until is None or licence.valid_until >= today
    )


@dataclass
class AssetEntry:
    """One asset as a member sees it on the toolkit page."""

    asset: ToolkitAsset
    licence: BrandLicence | None = None
    state: str = "free"  # free, available, rules, pending, none

    @property
    def can_download(self) -> bool:
        return self.state in ("free", "available")


@dataclass
class AssetSection:
    kind: str
    label: str
    entries: list = field(default_factory=list)


def licence_state(asset: ToolkitAsset, licences: list, *, rules_version: int, today: date):
    """What a member may do with `asset`, given their licences to it (newest first)."""
    if not asset.licensed:
        return "free", None
    for licence in licences:
        if _is_current(licence, today):
            if licence.accepted_rules_version < rules_version:
                return "rules", licence
            return "available", licence
    for licence in licences:
        if licence.status == BrandLicence.Status.REQUESTED:
            return "pending", licence
    return "none", None


def toolkit_page_context(*, page: ToolkitPage, user) -> dict:
    """What the toolkit page shows `user`: the assets grouped by kind (in the order of
    `ToolkitAsset.Kind`), each with what the member may do with it. The same number of
    queries whatever the number of assets: assets with their file and preview, the
    previews' renditions, the member's licences (and staff checks)."""
    assets = list(
        page.assets.select_related("document", "preview").prefetch_related("preview__renditions")
    )
    has_licensed = any(asset.licensed for asset in assets)
    licences_by_asset: dict[int, list] = {}
    if user.is_authenticated and has_licensed:
        for licence in BrandLicence.objects.filter(holder=user, asset__page=page).order_by(
            "-requested_at", "-pk"
        ):
            licences_by_asset.setdefault(licence.asset_id, []).append(licence)
    staff = can_manage_licences(user, page)
    today = timezone.localdate()
    sections = {
        kind: AssetSection(kind=kind, label=label) for kind, label in ToolkitAsset.Kind.choices
    }
    for asset in assets:
        state, licence = licence_state(
            asset,
            licences_by_asset.get(asset.pk, []),
            rules_version=page.usage_rules_version,
            today=today,
        )
        if staff and state != "free":
            state = "available"
        section = sections.setdefault(asset.kind, AssetSection(kind=asset.kind, label=asset.kind))
        section.entries.append(AssetEntry(asset=asset, licence=licence, state=state))
    return {
        "sections": [section for section in sections.values() if section.entries],
        "can_manage_licences": staff,
    }


def member_licence_state(*, user, asset: ToolkitAsset) -> tuple[str, BrandLicence | None]:
    """See `licence_state`; "none" for anonymous visitors."""
    if not asset.licensed:
        return "free", None
    if not user.is_authenticated:
        return "none", None
    licences = list(asset.licences.filter(holder=user).order_by("-requested_at", "-pk"))
    return licence_state(
        asset, licences, rules_version=asset.page.usage_rules_version, today=timezone.localdate()
    )


def _get_visible_asset(*, user, asset_id: int, lock: bool = False) -> ToolkitAsset:
    queryset = ToolkitAsset.objects.select_related("document", "page")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    asset = queryset.filter(pk=asset_id).first()
    if asset is None or not can_view_page(user, asset.page):
        raise NotFound()
    return asset


def get_licensable_asset(*, user, asset_id: int) -> ToolkitAsset:
    """A licensed asset of a page `user` may see (else NotFound)."""
    asset = _get_visible_asset(user=user, asset_id=asset_id)
    if not asset.licensed:
        raise NotFound()
    return asset


def get_own_licence(*, user, licence_id: int) -> BrandLicence:
    licence = (
        BrandLicence.objects.select_related("asset", "asset__page")
        .filter(pk=licence_id, holder_id=user.pk)
        .first()
    )
    if licence is None or not user.is_authenticated:
        raise NotFound()
    return licence


def get_asset_for_download(*, user, asset_id: int) -> ToolkitAsset:
    """The asset if `user` may download it. A licensed asset needs an approved, unexpired
    licence under the current rules (agency staff who manage licences need none)."""
    asset = _get_visible_asset(user=user, asset_id=asset_id)
    if not asset.licensed:
        return asset
    if not user.is_authenticated:
        raise LicenceRequired()
    if can_manage_licences(user, asset.page):
        return asset
    state, licence = member_licence_state(user=user, asset=asset)
    if state == "available":
        return asset
    if state == "rules":
        raise RulesNotAccepted(licence=licence)
    raise LicenceRequired()


# Writes -------------------------------------------------------------------------------------


@transaction.atomic
def record_download(*, asset: ToolkitAsset) -> None:
    """Count one download. A single UPDATE, so concurrent downloads all count."""
    ToolkitAsset.objects.filter(pk=asset.pk).update(download_count=F("download_count") + 1)


@transaction.atomic
def request_licence(
    *,
    user,
    asset: ToolkitAsset,
    organisation_name: str,
    intended_use: str,
    accepted_rules_version: int | None,
) -> BrandLicence:
    """Ask for a licence to a licensed asset, accepting the rules version the member read.
    One open request per member and asset."""
    if not (user.is_authenticated and user.is_active):
        raise NotAllowed(gettext("Log in to request a licence."))
    # Locking the asset row serialises two requests from a double submit.
    asset = _get_visible_asset(user=user, asset_id=asset.pk, lock=True)
    if not asset.licensed:
        raise DomainError(gettext("This file is free to download: it needs no licence."))
    if accepted_rules_version is None:
        raise DomainError(gettext("You must accept the brand usage rules."))
    if accepted_rules_version != asset.page.usage_rules_version:
        raise DomainError(
            gettext(
                "The usage rules changed while you were reading them. Read the current "
                "version and accept it."
            )
        )
    intended_use = clean_text(intended_use)
    organisation_name = clean_text(organisation_name)[:160]
    if not intended_use:
        raise DomainError(gettext("Tell the agency how you intend to use the mark."))
    if len(intended_use) > 2000:
        raise DomainError(gettext("Describe the intended use in 2,000 characters at most."))

    state, licence = member_licence_state(user=user, asset=asset)
    if state == "pending":
        raise Conflict(
            gettext(
                "You already asked for a licence to this asset on %(date)s; the agency has "
                "not decided yet."
            )
            % {"date": _format_date(timezone.localtime(licence.requested_at).date())}
        )
    if state in ("available", "rules"):
        raise Conflict(
            gettext("You already hold a licence to this asset, valid until %(date)s.")
            % {"date": _format_date(licence.valid_until)}
        )

    licence = BrandLicence.objects.create(
        asset=asset,
        holder=user,
        organisation_name=organisation_name,
        intended_use=intended_use,
        accepted_rules_version=accepted_rules_version,
    )
    transaction.on_commit(
        lambda: signals.licence_requested.send(sender=BrandLicence, licence=licence)
    )
    return licence


@transaction.atomic
def accept_current_rules(
    *, user, licence_id: int, accepted_rules_version: int | None
) -> BrandLicence:
    """A licence holder accepts the current usage rules again, after they changed."""
    licence = (
        BrandLicence.objects.select_for_update(of=("self",))
        .select_related("asset", "asset__page")
        .filter(pk=licence_id, holder_id=user.pk)
        .first()
    )
    if licence is None or not user.is_authenticated:
        raise NotFound()
    if not _is_current(licence, timezone.localdate()):
        raise Conflict(gettext("This licence is no longer valid: request a new one."))
    current = licence.asset.page.usage_rules_version
    if accepted_rules_version is None:
        raise DomainError(gettext("You must accept the brand usage rules."))
    if accepted_rules_version != current:
        raise DomainError(
            gettext(
                "The usage rules changed while you were reading them. Read the current "
                "version and accept it."
            )
        )
    licence.accepted_rules_version = current
    licence.save(update_fields=["accepted_rules_version"])
    return licence


def _lock_licence_for_decision(*, actor, licence: BrandLicence) -> BrandLicence:
    licence = (
        BrandLicence.objects.select_for_update(of=("self",))
        .select_related("asset", "asset__page", "holder")
        .get(pk=licence.pk)
    )
    if not can_manage_licences(actor, licence.asset.page):
        raise NotAllowed(gettext("Only agency staff can decide on brand licences."))
    return licence


def _decide(licence: BrandLicence, *, actor, status: str, reason: str = "") -> BrandLicence:
    licence.status = status
    licence.decision_reason = reason
    licence.decided_by = actor
    licence.decided_at = timezone.now()
    licence.save(
        update_fields=["status", "valid_until", "decision_reason", "decided_by", "decided_at"]
    )
    licence_pk = licence.pk
    transaction.on_commit(lambda: _announce_decision(licence_pk))
    return licence


@transaction.atomic
def approve_licence(
    *, actor, licence: BrandLicence, valid_until: date | None = None
) -> BrandLicence:
    """Grant the licence until `valid_until` (one year from today by default)."""
    licence = _lock_licence_for_decision(actor=actor, licence=licence)
    if licence.status != BrandLicence.Status.REQUESTED:
        raise Conflict(gettext("This request has already been decided."))
    today = timezone.localdate()
    valid_until = valid_until or today + LICENCE_TERM
    if valid_until <= today:
        raise DomainError(gettext("The end of validity must be a date in the future."))
    licence.valid_until = valid_until
    return _decide(licence, actor=actor, status=BrandLicence.Status.APPROVED)


@transaction.atomic
def decline_licence(*, actor, licence: BrandLicence, reason: str) -> BrandLicence:
    licence = _lock_licence_for_decision(actor=actor, licence=licence)
    if licence.status != BrandLicence.Status.REQUESTED:
        raise Conflict(gettext("This request has already been decided."))
    reason = clean_text(reason)
    if not reason:
        raise DomainError(gettext("Give the reason for declining: the requester will read it."))
    return _decide(licence, actor=actor, status=BrandLicence.Status.DECLINED, reason=reason)


@transaction.atomic
def revoke_licence(*, actor, licence: BrandLicence, reason: str) -> BrandLicence:
    licence = _lock_licence_for_decision(actor=actor, licence=licence)
    if licence.status != BrandLicence.Status.APPROVED:
        raise Conflict(gettext("Only an approved licence can be revoked."))
    reason = clean_text(reason)
    if not reason:
        raise DomainError(gettext("Give the reason for revoking: the holder will read it."))
    return _decide(licence, actor=actor, status=BrandLicence.Status.REVOKED, reason=reason)


# After commit -------------------------------------------------------------------------------


def _format_date(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _announce_decision(licence_pk: int) -> None:
    licence = BrandLicence.objects.select_related("asset", "asset__page", "holder").get(
        pk=licence_pk
    )
    signals.licence_decided.send(sender=BrandLicence, licence=licence)
    send_decision_email(licence=licence)


def send_decision_email(*, licence: BrandLicence) -> None:
    """Tell the requester what the agency decided, in their preferred language."""
    holder = licence.holder
    if not holder.email:
        return
    language = getattr(holder, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "licence": licence,
            "holder": holder,
            "page_url": licence.asset.page.full_url or "",
            "territory_name": getattr(settings, "TERRITORY_NAME", ""),
        }
        subject = render_to_string("content/toolkit/email/licence_decided_subject.txt", context)
        body = render_to_string("content/toolkit/email/licence_decided_body.txt", context)
    send_mail(subject_line(subject), body, None, [holder.email])
