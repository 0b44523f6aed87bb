"""The Apidae JSON export."""

import posixpath
from collections.abc import Iterator

from django.utils.translation import gettext as _

from content.imports.adapters.datatourisme import as_list, coordinate, parse_day, period_dates
from content.imports.adapters.flows import (
    Entry,
    Flow,
    MiB,
    Record,
    RecordError,
    parse_json,
    read_member,
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
