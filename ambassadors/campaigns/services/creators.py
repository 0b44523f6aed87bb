"""Creator profiles (any member) and the staff's directory of creators."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotAllowed
from core.sanitizer import clean_text

from ...models.licences import join_codes
from ..models import AUDIENCE_BANDS, CreatorKind, CreatorPlatform, CreatorProfile, Platform
from ..permissions import can_have_creator_profile, can_see_creator_directory

MAX_PLATFORMS = 12
DIRECTORY_PAGE = 50


def clean_niches(value) -> str:
    if isinstance(value, str):
        value = value.split(",")
    names = []
    for name in value or []:
        name = clean_text(str(name)).strip().lower()[:40]
        if name and name not in names:
            names.append(name)
    joined = ",".join(names[:15])
    return f",{joined}," if joined else ""


@transaction.atomic
def save_creator_profile(
    *,
    actor,
    kind: str,
    platforms: list[dict],
    niches="",
    languages=(),
    areas=(),
    rates: str = "",
    arpp_certified: bool = False,
    arpp_certified_on=None,
    legal_name: str = "",
    address: str = "",
    tax_residence: str = "",
    company_number: str = "",
) -> CreatorProfile:
    """The member's own creator profile, created or replaced. `platforms` is a list of
    {"platform", "handle", "audience", "audience_on"}."""
    if not can_have_creator_profile(actor):
        raise NotAllowed(_("Sign in with an account in good standing to be a creator."))
    if kind not in CreatorKind.values:
        raise InvalidInput(_("Choose what kind of creator you are."))
    today = timezone.localdate()
    rows = []
    for item in platforms or []:
        handle = clean_text(item.get("handle") or "").strip()[:200]
        platform = item.get("platform") or ""
        if not handle and not platform:
            continue
        if platform not in Platform.values or not handle:
            raise InvalidInput(_("Each platform needs its name and your handle there."))
        try:
            audience = int(item.get("audience") or 0)
        except (TypeError, ValueError):
            raise InvalidInput(_("An audience is a whole number of people.")) from None
        if audience < 0:
            raise InvalidInput(_("An audience cannot be negative."))
        declared_on = item.get("audience_on") or today
        if declared_on > today:
            raise InvalidInput(_("An audience is declared on a date that has passed."))
        rows.append((platform, handle, audience, declared_on))
    if not rows:
        raise InvalidInput(_("Add at least one platform with your audience there."))
    if len(rows) > MAX_PLATFORMS:
        raise InvalidInput(_("Twelve platforms at most."))
    if arpp_certified and arpp_certified_on and arpp_certified_on > today:
        raise InvalidInput(_("The certificate's date cannot be in the future."))
    profile, _created = CreatorProfile.objects.select_for_update().get_or_create(
        user=actor, defaults={"kind": kind}
    )
    profile.kind = kind
    profile.niches = clean_niches(niches)
    profile.languages = join_codes(languages)
    profile.rates = clean_text(rates or "")[:2000]
    profile.arpp_certified = bool(arpp_certified)
    profile.arpp_certified_on = arpp_certified_on if arpp_certified else None
    profile.legal_name = clean_text(legal_name or "")[:200]
    profile.address = clean_text(address or "")[:500]
    profile.tax_residence = clean_text(tax_residence or "")[:100]
    profile.company_number = clean_text(company_number or "")[:40]
    profile.audience_total = sum(row[2] for row in rows)
    profile.updated_at = timezone.now()
    profile.save()
    profile.areas.set(list(areas or []))
    profile.platforms.all().delete()
    CreatorPlatform.objects.bulk_create(
        [
            CreatorPlatform(profile=profile, platform=p, handle=h, audience=a, audience_on=d)
            for p, h, a, d in rows
        ]
    )
    return profile


def search_creators(
    actor, *, q="", kind="", niche="", area="", language="", band="", offset: int = 0
):
    """Staff's directory: (profiles, total). Filters by kind, niche, area (slug), language,
    audience band; `q` looks in names, handles and niches. Four queries whatever the page."""
    if not can_see_creator_directory(actor):
        raise NotAllowed(_("The directory of creators is for agency staff."))
    found = CreatorProfile.objects.filter(user__is_active=True)
    if kind:
        found = found.filter(kind=kind)
    if niche:
        found = found.filter(niches__icontains=f",{niche.strip().lower()},")
    if area:
        found = found.filter(areas__slug=area)
    if language:
        found = found.filter(languages__contains=f",{language},")
    bands = {key: (low, high) for key, _label, low, high in AUDIENCE_BANDS}
    if band in bands:
        low, high = bands[band]
        found = found.filter(audience_total__gte=low)
        if high is not None:
            found = found.filter(audience_total__lt=high)
    if q:
        q = q.strip()[:100]
        found = found.filter(
            Q(user__username__icontains=q)
            | Q(user__display_name__icontains=q)
            | Q(platforms__handle__icontains=q)
            | Q(niches__icontains=q)
            | Q(legal_name__icontains=q)
        )
    found = found.distinct()
    total = found.count()
    page = list(
        found.select_related("user")
        .prefetch_related("platforms", "areas")
        .order_by("-audience_total", "pk")[offset : offset + DIRECTORY_PAGE]
    )
    return page, total


def band_of(audience: int) -> str:
    for key, _label, low, high in AUDIENCE_BANDS:
        if audience >= low and (high is None or audience < high):
            return key
    return ""
