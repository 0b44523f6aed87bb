"""Reading a flow: a zip opened once, its index read first, each record opened only when the
import asks for it. Nothing is extracted to disk and no record is held longer than its own
import, so memory does not grow with the flow.

Two layouts are understood:

- DATAtourisme: `index.json` (a list of {label, lastUpdateDatatourisme, file}) beside
  `objects/<a>/<ab>/<producer>-<uuid>.json`, each a JSON-LD object (`context.jsonld` holds the
  context). A record's identity is `<producer>/<uuid>`, whichever host its `@id` names
  (data.datatourisme.gouv.fr in older flows, data.datatourisme.fr today).
- Apidae JSON export: `objets_modifies/*.json` (lists of objects) and `objets_supprimes.json`;
  the identity is the object id and `gestion.dateModification` its update time.
"""

import json
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

MiB = 1024 * 1024
PARIS = ZoneInfo("Europe/Paris")
IDENTITY_PATTERN = re.compile(r"^(?P<producer>[0-9A-Za-z]+)-(?P<uuid>[0-9a-f-]{36})$")
DAY_NAMES = {
    "Monday": "lun.",
    "Tuesday": "mar.",
    "Wednesday": "mer.",
    "Thursday": "jeu.",
    "Friday": "ven.",
    "Saturday": "sam.",
    "Sunday": "dim.",
    "PublicHolidays": "fériés",
}


class FlowError(Exception):
    """The whole file cannot be read as a flow; nothing is imported."""


class RecordError(Exception):
    """One record cannot be imported; the run goes on with the others."""


def limits() -> dict:
    return {
        "max_total": getattr(settings, "TOURISM_IMPORT_MAX_UNCOMPRESSED", 2048 * MiB),
        "max_ratio": getattr(settings, "TOURISM_IMPORT_MAX_RATIO", 100),
        "max_record": getattr(settings, "TOURISM_IMPORT_MAX_RECORD", 8 * MiB),
        "max_index": getattr(settings, "TOURISM_IMPORT_MAX_INDEX", 256 * MiB),
        "max_members": getattr(settings, "TOURISM_IMPORT_MAX_MEMBERS", 500_000),
    }


@dataclass
class Entry:
    """A record as the flow's index lists it, before it is opened."""

    identity: str
    label: str
    updated: str
    member: str
    # Apidae exports have no index: their entries arrive already read.
    data: dict | None = None


@dataclass
class Record:
    """A record turned into the hub's terms."""

    identity: str
    kind: str  # "place" or "event"
    title: str
    latitude: Decimal
    longitude: Decimal
    description: str = ""
    description_en: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    dates: list = field(default_factory=list)
    opening_hours: list = field(default_factory=list)
    image_url: str = ""
    image_credit: str = ""
    producer: str = ""
    source_uri: str = ""
    updated_on: date | None = None
    schema_types: list = field(default_factory=list)


def is_safe_member(name: str) -> bool:
    """A zip member name that stays inside the archive: no absolute path, no `..`, no
    backslash tricks."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return False
    return ".." not in name.split("/")


def open_zip(path) -> zipfile.ZipFile:
    """The zip at `path`, refused when it is not one or when it would inflate beyond the
    limits (a zip bomb): too much in all, or a member compressed too well."""
    limit = limits()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FlowError(_("This file is not a zip archive.")) from exc
    infos = archive.infolist()
    if len(infos) > limit["max_members"]:
        archive.close()
        raise FlowError(_("The archive has too many files."))
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MiB and info.file_size > limit["max_ratio"] * max(
            info.compress_size, 1
        ):
            archive.close()
            raise FlowError(
                _("The archive looks like a zip bomb: %(name)s inflates too much.")
                % {"name": info.filename[:200]}
            )
    if total > limit["max_total"]:
        archive.close()
        raise FlowError(_("The archive would take too much room once inflated."))
    return archive


def read_member(archive: zipfile.ZipFile, name: str, max_size: int) -> bytes:
    if not is_safe_member(name):
        raise RecordError(_("Unsafe path in the archive: %(name)s") % {"name": name[:200]})
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise RecordError(
            _("The file %(name)s is missing from the archive.") % {"name": name[:200]}
        ) from exc
    if info.file_size > max_size:
        raise RecordError(_("The file %(name)s is too large.") % {"name": name[:200]})
    with archive.open(info) as handle:
        data = handle.read(max_size + 1)
    if len(data) > max_size:
        raise RecordError(_("The file %(name)s is too large.") % {"name": name[:200]})
    return data


def parse_json(data: bytes, name: str):
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RecordError(
            _("Malformed JSON in %(name)s: %(error)s")
            % {"name": name[:200], "error": str(exc)[:200]}
        ) from exc


class Flow:
    """An open flow: `entries()` lists its records, `record(entry)` reads one."""

    kind = ""
    count: int | None = None

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.limit = limits()

    def close(self):
        self.archive.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def entries(self) -> Iterator[Entry]:
        raise NotImplementedError

    def record(self, entry: Entry) -> Record:
        raise NotImplementedError

    @property
    def deleted_identities(self) -> list[str]:
        return []


def open_flow(path) -> Flow:
    """The flow in the zip at `path`, of whichever layout it has."""
    archive = open_zip(path)
    names = archive.namelist()
    index = [name for name in names if posixpath.basename(name) == "index.json"]
    if index:
        index.sort(key=lambda name: name.count("/"))
        return DatatourismeFlow(archive, index[0])
    if any(name.startswith("objets_modifies/") and name.endswith(".json") for name in names):
        return ApidaeFlow(archive)
    archive.close()
    raise FlowError(
        _(
            "This zip is not a DATAtourisme flow (no index.json) nor an Apidae export "
            "(no objets_modifies folder)."
        )
    )


# DATAtourisme --------------------------------------------------------------------------------


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first(value):
    items = as_list(value)
    return items[0] if items else None


def text(value, language="fr") -> str:
    """A JSON-LD language map's text in `language` ("" when absent): {"fr": ["…"]}."""
    if isinstance(value, dict):
        found = first(value.get(language))
        return str(found).strip() if found else ""
    if language == "fr" and isinstance(value, (str, list)):
        found = first(value)
        return str(found).strip() if found else ""
    return ""


def any_text(value) -> str:
    found = text(value, "fr")
    if found or not isinstance(value, dict):
        return found
    for items in value.values():
        if first(items):
            return str(first(items)).strip()
    return ""


def identity_from_uri(uri: str) -> str:
    """`<producer>/<uuid>` from a record's @id, whatever its host."""
    parts = [part for part in uri.split("://", 1)[-1].split("/")[1:] if part]
    if len(parts) >= 2:
        return f"{parts[-2]}/{parts[-1]}"
    return ""


def coordinate(value, bound: int) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise RecordError(
            _("Coordinates are not numbers: %(value)s") % {"value": str(value)[:40]}
        ) from exc
    if not number.is_finite() or abs(number) > bound:
        raise RecordError(_("Coordinates are out of range: %(value)s") % {"value": str(value)[:40]})
    return number.quantize(Decimal("0.000001"))


def parse_day(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def parse_time(value) -> time | None:
    if not value:
        return None
    try:
        return time.fromisoformat(str(value)[:8])
    except ValueError:
        return None


def period_dates(periods: list) -> list[list[str]]:
    """Each period as [start, end] ISO datetimes in Paris time, sorted, without duplicates."""
    found = set()
    for period in periods:
        if not isinstance(period, dict):
            continue
        start_day = parse_day(period.get("startDate"))
        end_day = parse_day(period.get("endDate")) or start_day
        if start_day is None:
            continue
        start = datetime.combine(start_day, parse_time(period.get("startTime")) or time(0, 0))
        end = datetime.combine(end_day, parse_time(period.get("endTime")) or time(23, 59))
        if end < start:
            end = start
        found.add((start.replace(tzinfo=PARIS).isoformat(), end.replace(tzinfo=PARIS).isoformat()))
    return [list(pair) for pair in sorted(found)]


def opening_hours(specifications: list) -> list[dict]:
    """schema:openingHoursSpecification grouped by period and hours: [{days, hours}]."""
    groups: dict[tuple, list[str]] = {}
    for spec in specifications:
        if not isinstance(spec, dict):
            continue
        opens = (spec.get("schema:opens") or "")[:5]
        closes = (spec.get("schema:closes") or "")[:5]
        valid_from = parse_day(spec.get("schema:validFrom"))
        valid_through = parse_day(spec.get("schema:validThrough"))
        key = (valid_from, valid_through, opens, closes)
        days = groups.setdefault(key, [])
        for day in as_list(spec.get("schema:dayOfWeek")):
            name = day.get("@id", "") if isinstance(day, dict) else str(day)
            label = DAY_NAMES.get(name.split(":")[-1])
            if label and label not in days:
                days.append(label)
    blocks = []
    for (valid_from, valid_through, opens, closes), days in sorted(
        groups.items(), key=lambda item: (item[0][0] or date.min, item[0][2])
    ):
        order = list(DAY_NAMES.values())
        when = ", ".join(sorted(days, key=order.index)) or "tous les jours"
        if valid_from and valid_through:
            when = f"{valid_from:%d/%m} – {valid_through:%d/%m/%Y} : {when}"
        hours = f"{opens}–{closes}" if opens and closes else (opens or closes or "")
        blocks.append({"days": when[:60], "hours": hours[:60]})
    return blocks[:20]


class DatatourismeFlow(Flow):
    kind = "datatourisme"

    def __init__(self, archive, index_name: str):
        super().__init__(archive)
        self.index_name = index_name
        self.root = posixpath.dirname(index_name)

    def entries(self) -> Iterator[Entry]:
        data = read_member(self.archive, self.index_name, self.limit["max_index"])
        try:
            index = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise FlowError(_("The flow's index.json is not valid JSON.")) from exc
        del data
        if not isinstance(index, list):
            raise FlowError(_("The flow's index.json is not a list of records."))
        self.count = len(index)
        for item in index:
            if not isinstance(item, dict):
                continue
            name = str(item.get("file") or "")
            stem = posixpath.basename(name).removesuffix(".json")
            match = IDENTITY_PATTERN.match(stem)
            identity = f"{match['producer']}/{match['uuid']}" if match else stem
            yield Entry(
                identity=identity[:255],
                label=str(item.get("label") or "")[:255],
                updated=str(item.get("lastUpdateDatatourisme") or "")[:64],
                member=posixpath.join(self.root, "objects", name) if name else "",
            )

    def record(self, entry: Entry) -> Record:
        if not entry.member or not is_safe_member(entry.member.removeprefix(self.root + "/")):
            raise RecordError(
                _("Unsafe path in the archive: %(name)s") % {"name": entry.member[:200]}
            )
        data = parse_json(
            read_member(self.archive, entry.member, self.limit["max_record"]), entry.member
        )
        if not isinstance(data, dict):
            raise RecordError(_("The record is not a JSON object."))
        return datatourisme_record(data, identity=entry.identity)


def datatourisme_record(data: dict, identity: str = "") -> Record:
    uri = str(data.get("@id") or "")
    identity = identity_from_uri(uri) or identity
    if not identity:
        raise RecordError(_("The record has no identity (@id)."))
    types = [str(kind) for kind in as_list(data.get("@type"))]
    title = any_text(data.get("rdfs:label"))
    if not title:
        raise RecordError(_("The record has no label."))
    place = first(data.get("isLocatedAt")) or {}
    geo = first(place.get("schema:geo")) or {} if isinstance(place, dict) else {}
    if not geo.get("schema:latitude") or not geo.get("schema:longitude"):
        raise RecordError(_("The record has no coordinates."))
    latitude = coordinate(geo["schema:latitude"], 90)
    longitude = coordinate(geo["schema:longitude"], 180)

    description = description_en = ""
    for item in as_list(data.get("hasDescription")):
        if not isinstance(item, dict):
            continue
        description = (
            description or text(item.get("dc:description")) or text(item.get("shortDescription"))
        )
        description_en = (
            description_en
            or text(item.get("dc:description"), "en")
            or text(item.get("shortDescription"), "en")
        )
    description = description or text(data.get("rdfs:comment"))
    description_en = description_en or text(data.get("rdfs:comment"), "en")

    address = first(place.get("schema:address")) or {}
    street = [str(line).strip() for line in as_list(address.get("schema:streetAddress")) if line]
    locality = " ".join(
        str(part).strip()
        for part in (address.get("schema:postalCode"), address.get("schema:addressLocality"))
        if part
    )
    phone = email = website = ""
    for contact in as_list(data.get("hasContact")):
        if not isinstance(contact, dict):
            continue
        phone = phone or str(first(contact.get("schema:telephone")) or "")
        email = email or str(first(contact.get("schema:email")) or "")
        website = website or str(first(contact.get("foaf:homepage")) or "")

    image_url = image_credit = ""
    representation = first(data.get("hasMainRepresentation")) or first(
        data.get("hasRepresentation")
    )
    if isinstance(representation, dict):
        resource = first(representation.get("ebucore:hasRelatedResource")) or {}
        image_url = str(first(resource.get("ebucore:locator")) or "")
        annotation = first(representation.get("ebucore:hasAnnotation")) or {}
        image_credit = str(first(annotation.get("credits")) or "")

    creator = first(data.get("hasBeenCreatedBy")) or {}
    producer = (
        str(first(creator.get("schema:legalName")) or "") if isinstance(creator, dict) else ""
    )
    is_event = "schema:Event" in types or "EntertainmentAndEvent" in types or "takesPlaceAt" in data
    dates = period_dates(as_list(data.get("takesPlaceAt"))) if is_event else []
    if is_event and not dates:
        start = parse_day(data.get("schema:startDate") and first(data.get("schema:startDate")))
        end = parse_day(data.get("schema:endDate") and first(data.get("schema:endDate")))
        if start:
            dates = period_dates(
                [{"startDate": start.isoformat(), "endDate": (end or start).isoformat()}]
            )
    if is_event and not dates:
        raise RecordError(_("The event has no dates."))
    return Record(
        identity=identity,
        kind="event" if is_event else "place",
        title=title[:255],
        latitude=latitude,
        longitude=longitude,
        description=description,
        description_en=description_en,
        address="\n".join([*street, locality]).strip(),
        phone=phone[:40],
        email=email[:254] if "@" in email else "",
        website=website[:500] if website.startswith(("http://", "https://")) else "",
        dates=dates,
        opening_hours=opening_hours(as_list(place.get("schema:openingHoursSpecification")))
        if isinstance(place, dict)
        else [],
        image_url=image_url[:1000],
        image_credit=image_credit[:255],
        producer=producer[:255],
        source_uri=uri[:500],
        updated_on=parse_day(data.get("lastUpdate"))
        or parse_day(data.get("lastUpdateDatatourisme")),
        schema_types=[kind.split(":", 1)[1] for kind in types if kind.startswith("schema:")],
    )


# Apidae --------------------------------------------------------------------------------------

APIDAE_EVENT_TYPES = {"FETE_ET_MANIFESTATION"}


class ApidaeFlow(Flow):
    kind = "apidae"

    def entries(self) -> Iterator[Entry]:
        names = sorted(
            name
            for name in self.archive.namelist()
            if name.startswith("objets_modifies/")
            and name.endswith(".json")
            and "/__MACOSX" not in name
            and not posixpath.basename(name).startswith("._")
        )
        for name in names:
            # One file of the export at a time (Apidae cuts them in chunks).
            try:
                objects = parse_json(read_member(self.archive, name, self.limit["max_index"]), name)
            except RecordError as exc:
                yield Entry(
                    identity="", label=name, updated="", member=name, data={"_error": str(exc)}
                )
                continue
            for item in as_list(objects):
                if not isinstance(item, dict):
                    continue
                name_map = item.get("nom") or {}
                yield Entry(
                    identity=str(item.get("id") or "")[:255],
                    label=str(name_map.get("libelleFr") or "")[:255]
                    if isinstance(name_map, dict)
                    else "",
                    updated=str((item.get("gestion") or {}).get("dateModification") or "")[:64],
                    member=name,
                    data=item,
                )

    def record(self, entry: Entry) -> Record:
        if entry.data is None or "_error" in entry.data:
            raise RecordError(
                (entry.data or {}).get("_error") or _("The record could not be read.")
            )
        return apidae_record(entry.data)

    @property
    def deleted_identities(self) -> list[str]:
        try:
            data = parse_json(
                read_member(self.archive, "objets_supprimes.json", MiB), "objets_supprimes.json"
            )
        except RecordError:
            return []
        return [str(item) for item in as_list(data) if isinstance(item, (int, str))]


def apidae_record(data: dict) -> Record:
    identity = str(data.get("id") or "")
    if not identity:
        raise RecordError(_("The record has no identity (id)."))
    names = data.get("nom") or {}
    title = str(names.get("libelleFr") or names.get("libelleEn") or "").strip()
    if not title:
        raise RecordError(_("The record has no label."))
    location = data.get("localisation") or {}
    geo = ((location.get("geolocalisation") or {}).get("geoJson") or {}).get("coordinates")
    if not geo or len(geo) < 2:
        raise RecordError(_("The record has no coordinates."))
    longitude, latitude = coordinate(geo[0], 180), coordinate(geo[1], 90)
    presentation = data.get("presentation") or {}
    short = presentation.get("descriptifCourt") or {}
    detailed = presentation.get("descriptifDetaille") or {}
    address = location.get("adresse") or {}
    lines = [str(address.get(f"adresse{n}") or "").strip() for n in (1, 2, 3)]
    locality = " ".join(
        part
        for part in (
            str(address.get("codePostal") or ""),
            str((address.get("commune") or {}).get("nom") or ""),
        )
        if part
    )
    phone = email = website = ""
    for means in (data.get("informations") or {}).get("moyensCommunication") or []:
        kind = ((means.get("type") or {}).get("libelleFr") or "").lower()
        value = str((means.get("coordonnees") or {}).get("fr") or "")
        if "téléphone" in kind:
            phone = phone or value
        elif "mél" in kind or "mail" in kind:
            email = email or value
        elif "site web" in kind:
            website = website or value
    periods = [
        {
            "startDate": period.get("dateDebut"),
            "endDate": period.get("dateFin"),
            "startTime": period.get("horaireOuverture"),
            "endTime": period.get("horaireFermeture"),
        }
        for period in ((data.get("ouverture") or {}).get("periodesOuvertures") or [])
        if isinstance(period, dict)
    ]
    is_event = data.get("type") in APIDAE_EVENT_TYPES
    dates = period_dates(periods) if is_event else []
    if is_event and not dates:
        raise RecordError(_("The event has no dates."))
    image_url = image_credit = ""
    for illustration in data.get("illustrations") or []:
        files = (
            ((illustration.get("traductionFichiers") or [{}])[0])
            if isinstance(illustration, dict)
            else {}
        )
        image_url = str(files.get("url") or "")
        image_credit = str((illustration.get("copyright") or {}).get("libelleFr") or "")
        if image_url:
            break
    owner = (data.get("gestion") or {}).get("membreProprietaire") or {}
    return Record(
        identity=identity,
        kind="event" if is_event else "place",
        title=title[:255],
        latitude=latitude,
        longitude=longitude,
        description=str(detailed.get("libelleFr") or short.get("libelleFr") or "").strip(),
        description_en=str(detailed.get("libelleEn") or short.get("libelleEn") or "").strip(),
        address="\n".join([line for line in lines if line] + ([locality] if locality else [])),
        phone=phone[:40],
        email=email[:254] if "@" in email else "",
        website=website[:500] if website.startswith(("http://", "https://")) else "",
        dates=dates,
        opening_hours=[],
        image_url=image_url[:1000],
        image_credit=image_credit[:255],
        producer=str(owner.get("nom") or "")[:255],
        source_uri=f"https://base.apidae-tourisme.com/consulter/objet-touristique/{identity}/",
        updated_on=parse_day((data.get("gestion") or {}).get("dateModification")),
        schema_types=["Event"] if is_event else ["Place"],
    )
