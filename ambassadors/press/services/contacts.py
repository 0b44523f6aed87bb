"""Press contacts: kept by staff, imported from CSV, exported and erased on request, and
unsubscribed by the contact themself through the signed link of every e-mail."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import Area
from core.errors import Conflict, InvalidInput, NotAllowed, TooLarge
from core.mail import LINE_BREAK

from ...models.licences import LANGUAGE_CODES, join_codes
from ..models import PressContact, PressRecipient, PressSegment
from ..permissions import can_manage_press

UNSUBSCRIBE_SALT = "ambassadors.press.unsubscribe"
MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 5000
# Header names as agencies write them, French or English, to the field they fill.
HEADERS = {
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "courriel": "email",
    "adresse e-mail": "email",
    "name": "name",
    "nom": "name",
    "outlet": "outlet",
    "media": "outlet",
    "média": "outlet",
    "role": "role",
    "rôle": "role",
    "fonction": "role",
    "beats": "beats",
    "topics": "beats",
    "thématiques": "beats",
    "rubriques": "beats",
    "languages": "languages",
    "langues": "languages",
    "area": "area",
    "zone": "area",
    "territoire": "area",
    "segments": "segments",
    "listes": "segments",
    "consent_basis": "consent_basis",
    "base légale": "consent_basis",
    "legal basis": "consent_basis",
    "consent_date": "consent_date",
    "date": "consent_date",
    "date du consentement": "consent_date",
}
BASIS_WORDS = {
    "": PressContact.ConsentBasis.LEGITIMATE_INTEREST,
    "legitimate_interest": PressContact.ConsentBasis.LEGITIMATE_INTEREST,
    "legitimate interest": PressContact.ConsentBasis.LEGITIMATE_INTEREST,
    "intérêt légitime": PressContact.ConsentBasis.LEGITIMATE_INTEREST,
    "interet legitime": PressContact.ConsentBasis.LEGITIMATE_INTEREST,
    "consent": PressContact.ConsentBasis.CONSENT,
    "consentement": PressContact.ConsentBasis.CONSENT,
}


def check_staff(actor) -> None:
    if not can_manage_press(actor):
        raise NotAllowed(_("Only agency staff manage press relations."))


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def email_taken(email: str, *, exclude_pk=None) -> bool:
    found = PressContact.objects.annotate(lower=Lower("email")).filter(lower=email.lower())
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.exists()


@transaction.atomic
def save_contact(*, actor, contact: PressContact | None = None, data: dict) -> PressContact:
    """Create or change a contact from a form's cleaned data ("segments" a list)."""
    check_staff(actor)
    data = dict(data)
    segments = data.pop("segments", None)
    contact = contact or PressContact()
    data["email"] = normalise_email(data["email"])
    if email_taken(data["email"], exclude_pk=contact.pk):
        raise Conflict(_("A press contact already has this e-mail address."))
    status = data.get("status")
    if status and status != contact.status:
        data["status_changed_at"] = timezone.now()
    for name, value in data.items():
        setattr(contact, name, value)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as error:  # the same address saved meanwhile
        raise Conflict(_("A press contact already has this e-mail address.")) from error
    if segments is not None:
        contact.segments.set(segments)
    return contact


# CSV import ----------------------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    email: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    new_segments: list[str] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):  # Excel in France saves Windows-1252
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(_("The file is not a text (CSV) file."))


def _split(cell: str) -> list[str]:
    for separator in ";|":
        cell = cell.replace(separator, ",")
    return [part.strip() for part in cell.split(",") if part.strip()]


def _parse_date(value: str) -> date:
    value = value.strip()
    if not value:
        return timezone.localdate()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
        if parsed > timezone.localdate():
            raise ValueError(_("The consent date is in the future."))
        return parsed
    raise ValueError(_("Write the date as 2026-03-31 or 31/03/2026."))


def _reader(text: str):
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def _columns(header: list[str]) -> dict[str, int]:
    columns = {}
    for index, title in enumerate(header):
        name = HEADERS.get(" ".join(title.strip().lower().split()))
        if name and name not in columns:
            columns[name] = index
    if "email" not in columns or "name" not in columns:
        raise InvalidInput(
            _("The first line must name the columns, with at least “email” and “name”.")
        )
    return columns


def _row_values(row, columns, *, areas, known_segments):
    """The contact's fields from one row, or ValueError with what is wrong."""

    def cell(name):
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    email = normalise_email(cell("email"))
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValueError(_("“%(value)s” is not a valid e-mail address.") % {"value": email}) from (
            error
        )
    name = " ".join(cell("name").split())
    if not name:
        raise ValueError(_("The name is missing."))
    values = {"email": email, "name": name[:150]}
    for text in ("outlet", "role"):
        values[text] = " ".join(cell(text).split())[: 150 if text == "outlet" else 100]
    values["beats"] = ", ".join(_split(cell("beats")))[:300]
    codes = [code.lower() for code in _split(cell("languages"))]
    unknown = [code for code in codes if code not in LANGUAGE_CODES]
    if unknown:
        raise ValueError(
            _("Unknown language code: %(codes)s (use fr, en, de…).") % {"codes": ", ".join(unknown)}
        )
    values["languages"] = join_codes(codes)
    area_name = cell("area").lower()
    if area_name:
        area = areas.get(area_name)
        if area is None:
            raise ValueError(_("Unknown area: “%(name)s”.") % {"name": cell("area")})
        values["area"] = area
    basis = BASIS_WORDS.get(cell("consent_basis").lower())
    if basis is None:
        raise ValueError(
            _("Unknown legal basis: “%(value)s” (consent or legitimate interest).")
            % {"value": cell("consent_basis")}
        )
    values["consent_basis"] = basis
    values["consent_date"] = _parse_date(cell("consent_date"))
    segments = [" ".join(name.split())[:80] for name in _split(cell("segments"))]
    return values, segments


@transaction.atomic
def import_contacts(*, actor, upload) -> ImportReport:
    """Add the contacts of a CSV file (comma or semicolon separated, UTF-8 or Windows-1252).
    Valid rows are added; every other row is reported with its line and the reason (bad
    address, duplicate in the file or of a contact already kept, unknown language…).
    Segments named in the file are created if need be."""
    check_staff(actor)
    if upload.size > MAX_IMPORT_BYTES:
        raise TooLarge(_("The file is larger than 1 MB: split it in several files."))
    rows = list(_reader(_decode(upload.read())))
    if not rows:
        raise InvalidInput(_("The file is empty."))
    if len(rows) > MAX_IMPORT_ROWS + 1:
        raise TooLarge(
            _("The file has more than %(count)d contacts: split it.") % {"count": MAX_IMPORT_ROWS}
        )
    columns = _columns(rows[0])
    areas = {}
    for area in Area.objects.only("pk", "name", "slug"):
        areas.setdefault(area.name.lower(), area)
        areas.setdefault(area.slug.lower(), area)
    existing = set(
        PressContact.objects.annotate(lower=Lower("email")).values_list("lower", flat=True)
    )
    known_segments = {s.name.lower(): s for s in PressSegment.objects.all()}
    report = ImportReport()
    seen: dict[str, int] = {}
    new_contacts = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if any(LINE_BREAK.search(cell) for cell in row):
            report.errors.append(RowError(line, "", _("A cell holds a line break.")))
            continue
        try:
            values, segment_names = _row_values(
                row, columns, areas=areas, known_segments=known_segments
            )
        except ValueError as error:
            email = row[columns["email"]].strip() if columns["email"] < len(row) else ""
            report.errors.append(RowError(line, email[:254], str(error)))
            continue
        email = values["email"]
        if email in seen:
            report.errors.append(
                RowError(line, email, _("Duplicate of line %(line)d.") % {"line": seen[email]})
            )
            continue
        seen[email] = line
        if email in existing:
            report.errors.append(RowError(line, email, _("Already in your press contacts.")))
            continue
        new_contacts.append((PressContact(**values), segment_names))
    for _contact, names in new_contacts:
        for name in names:
            if name.lower() not in known_segments:
                known_segments[name.lower()] = PressSegment.objects.create(name=name)
                report.new_segments.append(name)
    created = PressContact.objects.bulk_create([contact for contact, _names in new_contacts])
    if not any(contact.pk for contact in created):  # backends that do not return keys
        by_email = dict(
            PressContact.objects.filter(email__in=[c.email for c in created]).values_list(
                "email", "pk"
            )
        )
        for contact in created:
            contact.pk = by_email[contact.email]
    through = PressContact.segments.through
    through.objects.bulk_create(
        [
            through(presscontact_id=contact.pk, presssegment_id=known_segments[name.lower()].pk)
            for contact, names in new_contacts
            for name in dict.fromkeys(n.lower() for n in names)
        ],
        ignore_conflicts=True,
    )
    report.created = len(created)
    return report


# Unsubscribe ---------------------------------------------------------------------------------


def unsubscribe_token(contact: PressContact) -> str:
    return signing.dumps(contact.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> PressContact:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise InvalidInput(_("This unsubscribe link is not valid.")) from error
    contact = PressContact.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if contact is None:
        raise InvalidInput(_("This address is no longer in our press contacts."))
    return contact


def unsubscribe(*, token: str) -> PressContact:
    """The contact asked for no more releases: no log-in, the signed token is the proof."""
    contact = read_unsubscribe_token(token)
    if contact.status != PressContact.Status.UNSUBSCRIBED:
        PressContact.objects.filter(pk=contact.pk).update(
            status=PressContact.Status.UNSUBSCRIBED, status_changed_at=timezone.now()
        )
        contact.refresh_from_db()
    return contact


# Personal data -------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def contact_data(contact: PressContact) -> dict:
    return {
        "name": contact.name,
        "email": contact.email,
        "outlet": contact.outlet,
        "role": contact.role,
        "beats": contact.beat_list,
        "languages": contact.language_codes,
        "area": contact.area.name if contact.area_id else None,
        "segments": [segment.name for segment in contact.segments.all()],
        "legal_basis": contact.consent_basis,
        "basis_recorded_on": _iso(contact.consent_date),
        "status": contact.status,
        "status_changed_at": _iso(contact.status_changed_at),
        "added_at": _iso(contact.created_at),
        "releases_received": [
            {
                "subject": receipt.release.subject,
                "status": receipt.status,
                "sent_at": _iso(receipt.sent_at),
                "link_opened_at": _iso(receipt.opened_at),
            }
            for receipt in contact.receipts.select_related("release").order_by("pk")
        ],
    }


def export_contact(*, actor, contact: PressContact) -> dict:
    """All the agency keeps about this person (their right of access, RGPD art. 15)."""
    check_staff(actor)
    return contact_data(contact)


def forget_contact(contact: PressContact) -> None:
    """Delete the contact; the releases they received keep a line without name or address,
    so that sending figures stay true."""
    PressRecipient.objects.filter(contact=contact).update(contact=None, name="", email="")
    contact.delete()


@transaction.atomic
def erase_contact(*, actor, contact: PressContact) -> None:
    """The person asked to be forgotten (RGPD art. 17)."""
    check_staff(actor)
    forget_contact(contact)
