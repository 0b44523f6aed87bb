"""Writes to organisations: creating and editing them, their members and roles, and the
agency's "verified" badge. Views, the API and the admin's actions call these; every
permission is checked here through network.permissions."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.db.slugs import unique_slug
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.ratelimit import hit
from core.sanitizer import clean_html, clean_tag_names, clean_text
from network.models import Organisation, OrganisationMembership, Sector, User
from network.permissions import can_edit_organisation, can_verify_organisation, can_write

Role = OrganisationMembership.Role

# Light limits: enough for anyone acting in good faith, a wall for scripts.
CREATE_LIMIT, CREATE_WINDOW = 5, 3600
MEMBER_LIMIT, MEMBER_WINDOW = 60, 3600
MAX_TAGS = 10
# Path segments under /organisations/ that are pages, not organisations.
RESERVED_SLUGS = frozenset({"new"})
# `verified` is not among them: only set_verified changes it.
ORGANISATION_FIELDS = (
    "name",
    "sector",
    "area",
    "description",
    "logo",
    "website",
    "email",
    "phone",
    "latitude",
    "longitude",
    "tags",
)

_validate_website = URLValidator(schemes=["http", "https"])


def _max_length(field: str) -> int:
    return Organisation._meta.get_field(field).max_length


def _coordinate(value, *, label: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.00001"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("The %(label)s is not a number.") % {"label": label}) from None
    if not number.is_finite() or abs(number) > limit:
        raise InvalidInput(
            _("The %(label)s must be between -%(limit)s and %(limit)s.")
            % {"label": label, "limit": limit}
        )
    return number


def _clean_fields(fields: dict) -> dict:
    """Validate and sanitise organisation fields given by name; raise InvalidInput on bad
    values. Forms validate the same things first; this holds for the API and scripts too."""
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not organisation fields: {sorted(unknown)}")
    cleaned = {}
    if "name" in fields:
        name = clean_text(fields["name"] or "")
        if not name:
            raise InvalidInput(_("An organisation needs a name."))
        if len(name) > _max_length("name"):
            raise InvalidInput(_("The name is too long (120 characters at most)."))
        cleaned["name"] = name
    if "sector" in fields:
        if fields["sector"] not in Sector.values:
            raise InvalidInput(_("Choose a sector from the list."))
        cleaned["sector"] = fields["sector"]
    if "area" in fields:
        cleaned["area"] = fields["area"]
    if "description" in fields:
        description = clean_html(fields["description"] or "")
        if len(description) > _max_length("description"):
            raise InvalidInput(_("The description is too long (5,000 characters at most)."))
        cleaned["description"] = description
    if "logo" in fields:
        cleaned["logo"] = fields["logo"]  # validated by the model field's validators (forms)
    if "website" in fields:
        website = (fields["website"] or "").strip()
        if website:
            try:
                _validate_website(website)
            except ValidationError:
                raise InvalidInput(
                    _("The website must be a full address starting with https://")
                ) from None
            if len(website) > _max_length("website"):
                raise InvalidInput(_("The website address is too long."))
        cleaned["website"] = website
    if "email" in fields:
        email = (fields["email"] or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise InvalidInput(_("Enter a valid contact e-mail address.")) from None
        cleaned["email"] = email
    if "phone" in fields:
        phone = clean_text(fields["phone"] or "")
        if len(phone) > _max_length("phone"):
            raise InvalidInput(_("The phone number is too long."))
        cleaned["phone"] = phone
    if "latitude" in fields:
        cleaned["latitude"] = _coordinate(fields["latitude"], label=_("latitude"), limit=90)
    if "longitude" in fields:
        cleaned["longitude"] = _coordinate(fields["longitude"], label=_("longitude"), limit=180)
    if "tags" in fields:
        cleaned["tags"] = clean_tag_names(fields["tags"], limit=MAX_TAGS)
    return cleaned


def _check_coordinates(organisation: Organisation) -> None:
    if (organisation.latitude is None) != (organisation.longitude is None):
        raise InvalidInput(_("Give both the latitude and the longitude, or neither."))


def _unique_slug(name: str) -> str:
    return unique_slug(Organisation, name, fallback="organisation", reserved=RESERVED_SLUGS)


def _apply(organisation: Organisation, cleaned: dict) -> None:
    for field, value in cleaned.items():
        if field == "tags":
            continue
        # save_form_data is how ModelForm applies values (False clears a file field).
        Organisation._meta.get_field(field).save_form_data(organisation, value)


@transaction.atomic
def create_organisation(*, actor: User, **fields) -> Organisation:
    """Create an organisation from the fields of ORGANISATION_FIELDS (`name` and `sector`
    required); its creator becomes its owner. It starts unverified."""
    if not can_write(actor):
        raise NotAllowed(_("Your account cannot create organisations at the moment."))
    for required in ("name", "sector"):
        fields.setdefault(required, "")
    cleaned = _clean_fields(fields)
    hit("organisation_create", actor.pk, limit=CREATE_LIMIT, window=CREATE_WINDOW)
    organisation = Organisation(slug=_unique_slug(cleaned["name"]))
    _apply(organisation, cleaned)
    _check_coordinates(organisation)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:  # the same name saved at the same moment took the slug
        raise Conflict(_("An organisation with this name was just created. Try again.")) from None
    if cleaned.get("tags"):
        organisation.tags.set(cleaned["tags"])
    OrganisationMembership.objects.create(organisation=organisation, user=actor, role=Role.OWNER)
    return organisation


@transaction.atomic
def update_organisation(*, actor: User, organisation: Organisation, **fields) -> Organisation:
    """Change fields of ORGANISATION_FIELDS; its slug (its address) stays the same."""
    if not can_edit_organisation(actor, organisation):
        raise NotAllowed(_("Only the organisation's owners can change it."))
    cleaned = _clean_fields(fields)
    _apply(organisation, cleaned)
    _check_coordinates(organisation)
    changed = [field for field in cleaned if field != "tags"]
    if changed:
        organisation.save(update_fields=changed)
    if "tags" in cleaned:
        organisation.tags.set(cleaned["tags"])
    return organisation


@transaction.atomic
def set_verified(*, actor: User, organisation: Organisation, verified: bool) -> Organisation:
    """Give or take away the "verified by the agency" badge: agency staff only."""
    if not can_verify_organisation(actor):
        raise NotAllowed(_("Only agency staff can verify an organisation."))
    if organisation.verified != bool(verified):
        organisation.verified = bool(verified)
        organisation.save(update_fields=["verified"])
    return organisation


# Members -------------------------------------------------------------------------------


def _owner_count(organisation: Organisation) -> int:
    # Locks the owners' rows so two owners leaving at once cannot both pass the check.
    return len(
        OrganisationMembership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.OWNER)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def add_organisation_member(
    *, actor: User, organisation: Organisation, username: str, role: str = Role.MEMBER, title=""
) -> OrganisationMembership:
    """An owner adds a member by username. A member may belong to several organisations."""
    if not can_edit_organisation(actor, organisation):
        raise NotAllowed(_("Only the organisation's owners can add members."))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."))
    title = clean_text(title or "")[:80]
    user = User.objects.filter(username__iexact=(username or "").strip(), is_active=True).first()
    if user is None:
        raise InvalidInput(_("No member has this username."))
    hit("organisation_member", actor.pk, limit=MEMBER_LIMIT, window=MEMBER_WINDOW)
    try:
        with transaction.atomic():
            return OrganisationMembership.objects.create(
                organisation=organisation, user=user, role=role, title=title
            )
    except IntegrityError:
        raise Conflict(
            _("%(name)s is already a member.") % {"name": user.get_display_name()}
        ) from None


@transaction.atomic
def set_organisation_member_role(
    *, actor: User, organisation: Organisation, user: User, role: str
) -> OrganisationMembership:
    if not can_edit_organisation(actor, organisation):
        raise NotAllowed(_("Only the organisation's owners can change roles."))
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."))
    membership = organisation.memberships.filter(user=user).first()
    if membership is None:
        raise NotFound(_("This person is not a member."))
    if membership.role == Role.OWNER and role != Role.OWNER and _owner_count(organisation) <= 1:
        raise Conflict(_("An organisation keeps at least one owner."))
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_organisation_member(*, actor: User, organisation: Organisation, user: User) -> None:
    """An owner removes a member, or a member leaves; the last owner cannot go."""
    leaving = actor.is_authenticated and actor.pk == user.pk and actor.is_active
    if not (leaving or can_edit_organisation(actor, organisation)):
        raise NotAllowed(_("Only the organisation's owners can remove members."))
    membership = organisation.memberships.filter(user=user).first()
    if membership is None:
        raise NotFound(_("This person is not a member."))
    if membership.role == Role.OWNER and _owner_count(organisation) <= 1:
        raise Conflict(_("An organisation keeps at least one owner."))
    membership.delete()
