"""A small DATAtourisme flow for the demo territory and the tests: four records written for
Morvellec in the shape real flows have (JSON-LD objects under objects/, an index.json listing
them with their platform update time). They are not copied from a real flow: the layout and
the property names are DATAtourisme's (see docs/imports.md for the public flows the importer
was tried on).

- an event with two periods, on the older host (data.datatourisme.gouv.fr);
- a bike rental described in French and English, with a photo and its credit;
- a cottage with neither photo nor description;
- a market held twice a week for years (hundreds of periods), on today's host.
"""

import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

OLD_HOST = "https://data.datatourisme.gouv.fr"
HOST = "https://data.datatourisme.fr"

FESTIVAL = "15/1f0c6a4e-7b1d-3c2e-9a55-0d3b8e6f2a11"
BIKES = "15/2a7d9c3b-5e8f-3a1b-8c6d-4e2f1a0b9c22"
COTTAGE = "15/3b8e0d4c-6f9a-3b2c-9d7e-5f3a2b1c0d33"
MARKET = "49/4c9f1e5d-7a0b-3c3d-ae8f-6a4b3c2d1e44"


def _place(latitude, longitude, street, postcode, locality, hours=None):
    place = {
        "@type": ["schema:Place", "Place"],
        "schema:address": [
            {
                "@type": ["schema:PostalAddress", "PostalAddress"],
                "schema:streetAddress": [street],
                "schema:postalCode": postcode,
                "schema:addressLocality": locality,
            }
        ],
        "schema:geo": {
            "@type": ["schema:GeoCoordinates"],
            "schema:latitude": latitude,
            "schema:longitude": longitude,
        },
    }
    if hours:
        place["schema:openingHoursSpecification"] = hours
    return place


def _producer(name):
    return {"@type": ["schema:Organization", "foaf:Agent", "Agent"], "schema:legalName": name}


def _photo(url, credit, title):
    return [
        {
            "@type": ["ebucore:EditorialObject"],
            "ebucore:hasAnnotation": [
                {
                    "@type": ["ebucore:Annotation"],
                    "ebucore:title": {"fr": [title]},
                    "credits": [credit],
                }
            ],
            "ebucore:hasRelatedResource": [
                {"@type": ["ebucore:Resource"], "ebucore:locator": [url]}
            ],
        }
    ]


def _market_periods():
    """Wednesdays and Saturdays from 2026 to 2029: a few hundred periods, unsorted as flows
    give them."""
    day, end, periods = date(2026, 1, 3), date(2029, 12, 29), []
    while day <= end:
        if day.weekday() in (2, 5):
            periods.append(
                {
                    "@type": ["Period"],
                    "startDate": day.isoformat(),
                    "endDate": day.isoformat(),
                    "startTime": "08:00:00",
                    "endTime": "13:00:00",
                }
            )
        day += timedelta(days=1)
    return periods[1::2] + periods[::2]


def fixture_records(image_base="http://127.0.0.1:8391/photos/"):
    """The records of the fixture flow, as (index entry, object) pairs."""
    office = _producer("Office de tourisme de Morvellec")
    festival = {
        "@id": f"{OLD_HOST}/{FESTIVAL}",
        "@type": ["schema:Event", "EntertainmentAndEvent", "PointOfInterest"],
        "rdfs:label": {"fr": ["Festival des Embruns"]},
        "hasDescription": [
            {
                "dc:description": {
                    "fr": ["Trois jours de musiques de la mer sur le port de Morvellec."]
                }
            }
        ],
        "hasBeenCreatedBy": office,
        "hasContact": [
            {
                "schema:telephone": ["+33 2 98 00 00 01"],
                "schema:email": ["festival@morvellec.example"],
                "foaf:homepage": ["https://festival.morvellec.example/"],
            }
        ],
        "isLocatedAt": [
            _place("48.714800", "-3.963300", "Quai des Pêcheurs", "29999", "Morvellec")
        ],
        "takesPlaceAt": [
            {
                "@type": ["Period"],
                "startDate": "2028-07-14",
                "endDate": "2028-07-16",
                "startTime": "18:00:00",
                "endTime": "23:30:00",
            },
            {
                "@type": ["Period"],
                "startDate": "2027-07-16",
                "endDate": "2027-07-18",
                "startTime": "18:00:00",
                "endTime": "23:30:00",
            },
        ],
        "lastUpdate": "2026-11-02",
        "lastUpdateDatatourisme": "2026-11-03T04:07:09.947Z",
    }
    bikes = {
        "@id": f"{OLD_HOST}/{BIKES}",
        "@type": ["schema:Product", "EquipmentRental", "PlaceOfInterest", "PointOfInterest"],
        "rdfs:label": {"fr": ["Vélos de la Presqu'île"], "en": ["Peninsula Bikes"]},
        "hasDescription": [
            {
                "dc:description": {
                    "fr": ["Location de vélos, tandems et remorques à la demi-journée ou plus."],
                    "en": ["Bikes, tandems and trailers to rent by the half-day or longer."],
                }
            }
        ],
        "hasBeenCreatedBy": office,
        "hasContact": [{"schema:telephone": ["+33 2 98 00 00 02"]}],
        "hasMainRepresentation": _photo(
            image_base + "velos.png", "Vélos de la Presqu'île", "La boutique"
        ),
        "isLocatedAt": [
            _place(
                "48.716100",
                "-3.960500",
                "2 rue du Port",
                "29999",
                "Morvellec",
                hours=[
                    {
                        "schema:opens": "09:30:00",
                        "schema:closes": "18:00:00",
                        "schema:validFrom": "2026-04-01T00:00:00",
                        "schema:validThrough": "2026-10-31T00:00:00",
                        "schema:dayOfWeek": [{"@id": f"schema:{day}"}],
                    }
                    for day in ("Saturday", "Monday", "Tuesday", "Wednesday")
                ],
            )
        ],
        "lastUpdate": "2026-10-20",
        "lastUpdateDatatourisme": "2026-10-21T05:23:06.121Z",
    }
    cottage = {
        "@id": f"{OLD_HOST}/{COTTAGE}",
        "@type": ["schema:Accommodation", "RentalAccommodation", "SelfCateringAccommodation"],
        "rdfs:label": {"fr": ["Gîte de Kerlann"]},
        "hasBeenCreatedBy": _producer("Gîtes de la presqu'île"),
        "isLocatedAt": [_place("48.702500", "-3.981000", "Lieu-dit Kerlann", "29999", "Morvellec")],
        "lastUpdate": "2026-09-12",
        "lastUpdateDatatourisme": "2026-09-13T03:46:22.8Z",
    }
    market = {
        "@id": f"{HOST}/{MARKET}",
        "@type": ["schema:Event", "schema:SaleEvent", "Market", "PointOfInterest"],
        "rdfs:label": {"fr": ["Marché du port"], "en": ["Harbour market"]},
        "hasDescription": [
            {
                "shortDescription": {
                    "fr": ["Poissons, légumes et galettes sur le quai, le mercredi et le samedi."],
                    "en": ["Fish, vegetables and galettes on the quay, Wednesdays and Saturdays."],
                }
            }
        ],
        "hasBeenCreatedBy": _producer("Mairie de Morvellec"),
        "isLocatedAt": [
            _place("48.715200", "-3.962100", "Quai des Pêcheurs", "29999", "Morvellec")
        ],
        "takesPlaceAt": _market_periods(),
        "lastUpdate": "2026-11-20",
        "lastUpdateDatatourisme": "2026-11-21T04:23:14.307Z",
    }
    return [festival, bikes, cottage, market]


def object_path(record: dict) -> str:
    producer, uuid = record["@id"].rstrip("/").split("/")[-2:]
    return f"{uuid[0]}/{uuid[:2]}/{producer}-{uuid}.json"


def write_flow(path, records, *, extra_members=None) -> None:
    """Write a DATAtourisme flow zip at `path` from JSON-LD `records` (dicts; a `bytes`
    value in `extra_members` is written as is, for broken flows in tests)."""
    index = [
        {
            "label": (record.get("rdfs:label") or {}).get("fr", [""])[0],
            "lastUpdateDatatourisme": record.get("lastUpdateDatatourisme", ""),
            "file": object_path(record),
        }
        for record in records
    ]
    extra_members = extra_members or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if "index.json" not in extra_members:
            archive.writestr("index.json", json.dumps(index, ensure_ascii=False, indent=1))
        archive.writestr("context.jsonld", json.dumps({"@context": {}}))
        for record in records:
            archive.writestr(
                "objects/" + object_path(record), json.dumps(record, ensure_ascii=False)
            )
        for name, data in extra_members.items():
            archive.writestr(name, data)


DEMO_SOURCE = "Office de tourisme de Morvellec (DATAtourisme)"
# The demo's photo URL is answered by no server: the photo is drawn and registered as
# already imported from that URL, which is what the importer looks up before fetching.
DEMO_IMAGE_BASE = "http://127.0.0.1:8391/photos/"


def seed_imports(*, places, events, stdout) -> None:
    """The demo's import source (the fixture flow, uploaded) and one run of it. A second
    seed finds the source and its records unchanged: nothing is created twice."""
    import tempfile

    from django.core.files.base import ContentFile

    from content.demo.images import get_or_create_image
    from content.imports.models import ImportedImage, ImportSource
    from content.imports.services import run_import

    if places is None:
        return
    source = ImportSource.objects.filter(name=DEMO_SOURCE).first()
    if source is None:
        with tempfile.NamedTemporaryFile(suffix=".zip") as handle:
            write_flow(handle.name, fixture_records(DEMO_IMAGE_BASE))
            data = Path(handle.name).read_bytes()
        source = ImportSource(
            name=DEMO_SOURCE,
            places_parent=places,
            events_parent=events,
            publish=True,
            daily=False,
        )
        source.upload.save("morvellec-datatourisme.zip", ContentFile(data), save=False)
        source.save()
    url = DEMO_IMAGE_BASE + "velos.png"
    if not ImportedImage.objects.filter(url=url).exists():
        image = get_or_create_image(title="Vélos de la Presqu'île", theme="path", variant=3)
        ImportedImage.objects.create(url=url, image=image, credit="Vélos de la Presqu'île")
    run = run_import(actor=None, source=source)
    stdout.write(
        f"  imports: {run.seen} records from the demo DATAtourisme flow "
        f"({run.created} pages new, {run.errors} errors)"
    )
