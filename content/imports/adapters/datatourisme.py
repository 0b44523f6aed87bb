"""The DATAtourisme layout: an index beside JSON-LD objects."""

import json
import posixpath
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from content.imports.adapters.flows import (
    DAY_NAMES,
    IDENTITY_PATTERN,
    PARIS,
    Entry,
    Flow,
    FlowError,
    Record,
    RecordError,
    is_safe_member,
    parse_json,
    read_member,
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
