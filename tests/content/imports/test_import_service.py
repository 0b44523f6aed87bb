"""Importing a DATAtourisme flow: pages created, kept up to date, never overwriting the
agency's edits (content/imports/services.py)."""

from datetime import datetime

import pytest
from wagtail.models import Page, Revision

from content.demo_imports import BIKES, COTTAGE, FESTIVAL, MARKET
from content.imports import adapters
from content.imports.models import ImportConflict, ImportedImage, ImportedRecord
from content.imports.services import acquire_source, resolve_conflict, run_import
from content.models import DestinationPage, EventPage
from core.errors import Conflict
from tests.factories import UserFactory


def page_of(identity):
    return ImportedRecord.objects.get(identity=identity).page.specific


def test_first_import_creates_a_page_per_record(source, flow):
    run = run_import(actor=None, source=source, path=flow())

    assert (run.status, run.created, run.errors) == ("done", 4, 0)
    assert DestinationPage.objects.count() == 2
    assert EventPage.objects.count() == 2
    assert all(page.live for page in Page.objects.filter(imported_record__isnull=False))


def test_places_get_address_coordinates_contacts_hours_and_both_languages(source, flow):
    run_import(actor=None, source=source, path=flow())

    bikes = page_of(BIKES)
    assert bikes.title == "Vélos de la Presqu'île"
    assert bikes.address == "2 rue du Port\n29999 Morvellec"
    assert (str(bikes.latitude), str(bikes.longitude)) == ("48.716100", "-3.960500")
    assert bikes.phone == "+33 2 98 00 00 02"
    assert bikes.description.startswith("Location de vélos")
    assert bikes.description_en.startswith("Bikes, tandems")
    assert [block.value["days"] for block in bikes.opening_hours] == [
        "01/04 – 31/10/2026 : lun., mar., mer., sam."
    ]
    assert bikes.last_reviewed_at.isoformat() == "2026-10-20"


def test_a_cottage_without_photo_or_description_is_imported(source, flow):
    run_import(actor=None, source=source, path=flow())

    cottage = page_of(COTTAGE)
    assert (cottage.description, cottage.source_image) == ("", None)


def test_an_event_keeps_every_period_sorted(source, flow):
    run_import(actor=None, source=source, path=flow())

    market = page_of(MARKET)
    starts = [start for start, _end in market.dates]
    assert len(starts) == 417
    assert starts == sorted(starts)
    assert market.start == datetime.fromisoformat(starts[0])
    festival = page_of(FESTIVAL)
    assert festival.dates[0] == ["2027-07-16T18:00:00+02:00", "2027-07-18T23:30:00+02:00"]


def test_the_photo_is_imported_once_per_source_url_with_its_credit(source, flow, records):
    records[2]["hasMainRepresentation"] = records[1]["hasMainRepresentation"]

    run_import(actor=None, source=source, path=flow())

    photo = ImportedImage.objects.get()
    assert photo.credit == "Vélos de la Presqu'île"
    assert page_of(BIKES).source_image == photo.image
    assert page_of(COTTAGE).source_image == photo.image


def test_new_pages_stay_drafts_when_the_source_says_so(source, flow):
    source.publish = False
    source.save()

    run_import(actor=None, source=source, path=flow())

    assert not page_of(BIKES).live


def test_a_draft_page_is_updated_in_its_draft_without_conflict(source, flow, records):
    source.publish = False
    source.save()
    run_import(actor=None, source=source, path=flow())
    for phone in ("+33 2 98 11 22 33", "+33 2 98 44 55 66"):
        records[1]["hasContact"] = [{"schema:telephone": [phone]}]
        records[1]["lastUpdateDatatourisme"] = f"2026-12-0{phone[-1]}T00:00:00Z"
        run = run_import(actor=None, source=source, path=flow())

    page = page_of(BIKES)
    assert (run.updated, run.conflicts) == (1, 0)
    assert not page.live
    assert page.get_latest_revision_as_object().phone == "+33 2 98 44 55 66"


def test_a_rerun_opens_no_record_and_creates_no_revision(source, flow, monkeypatch):
    path = flow()
    run_import(actor=None, source=source, path=path)
    revisions = Revision.objects.count()

    def never(*args, **kwargs):
        raise AssertionError("an unchanged record was opened")

    monkeypatch.setattr(adapters.DatatourismeFlow, "record", never)
    run = run_import(actor=None, source=source, path=path)

    assert (run.created, run.updated, run.unchanged, run.errors) == (0, 0, 4, 0)
    assert Revision.objects.count() == revisions


def test_a_record_with_a_new_update_time_but_same_content_creates_no_revision(
    source, flow, records
):
    run_import(actor=None, source=source, path=flow())
    revisions = Revision.objects.count()
    records[0]["lastUpdateDatatourisme"] = "2026-12-01T00:00:00Z"

    run = run_import(actor=None, source=source, path=flow())

    assert (run.updated, run.unchanged) == (0, 4)
    assert Revision.objects.count() == revisions


def test_a_changed_record_updates_its_page_with_a_new_revision(source, flow, records):
    run_import(actor=None, source=source, path=flow())
    page = page_of(BIKES)
    revisions = page.revisions.count()
    records[1]["hasContact"] = [{"schema:telephone": ["+33 2 98 11 22 33"]}]
    records[1]["lastUpdateDatatourisme"] = "2026-12-01T00:00:00Z"

    run = run_import(actor=None, source=source, path=flow())

    page.refresh_from_db()
    assert (run.updated, page.phone, page.revisions.count()) == (
        1,
        "+33 2 98 11 22 33",
        revisions + 1,
    )
    assert page.live and not page.has_unpublished_changes


def test_an_editor_change_survives_an_update_as_a_conflict(source, flow, records):
    run_import(actor=None, source=source, path=flow())
    page = page_of(BIKES)
    page.phone = "+33 6 00 00 00 00"
    page.save_revision().publish()
    records[1]["hasContact"] = [{"schema:telephone": ["+33 2 98 11 22 33"]}]
    records[1]["rdfs:label"]["fr"] = ["Vélos de la Presqu'île (Morvellec)"]
    records[1]["lastUpdateDatatourisme"] = "2026-12-01T00:00:00Z"

    run = run_import(actor=None, source=source, path=flow())

    page.refresh_from_db()
    assert page.phone == "+33 6 00 00 00 00"
    assert page.title == "Vélos de la Presqu'île (Morvellec)"
    conflict = ImportConflict.objects.get()
    assert (run.conflicts, conflict.field) == (1, "phone")
    assert (conflict.page_value, conflict.source_value) == (
        "+33 6 00 00 00 00",
        "+33 2 98 11 22 33",
    )


def test_an_editor_change_the_source_did_not_touch_is_no_conflict(source, flow, records):
    run_import(actor=None, source=source, path=flow())
    page = page_of(BIKES)
    page.phone = "+33 6 00 00 00 00"
    page.save_revision().publish()
    records[1]["rdfs:label"]["fr"] = ["Vélos de la Presqu'île (Morvellec)"]
    records[1]["lastUpdateDatatourisme"] = "2026-12-01T00:00:00Z"

    run_import(actor=None, source=source, path=flow())

    page.refresh_from_db()
    assert page.phone == "+33 6 00 00 00 00"
    assert not ImportConflict.objects.exists()


@pytest.mark.parametrize(
    "take_source, phone", [(True, "+33 2 98 11 22 33"), (False, "+33 6 00 00 00 00")]
)
def test_staff_resolve_a_conflict(source, flow, records, take_source, phone):
    run_import(actor=None, source=source, path=flow())
    page = page_of(BIKES)
    page.phone = "+33 6 00 00 00 00"
    page.save_revision().publish()
    records[1]["hasContact"] = [{"schema:telephone": ["+33 2 98 11 22 33"]}]
    records[1]["lastUpdateDatatourisme"] = "2026-12-01T00:00:00Z"
    run_import(actor=None, source=source, path=flow())
    staff = UserFactory(is_superuser=True)

    conflict = resolve_conflict(
        actor=staff, conflict=ImportConflict.objects.get(), take_source=take_source
    )

    page.refresh_from_db()
    assert page.phone == phone
    assert conflict.resolved_by == staff


def test_a_record_missing_from_two_full_runs_in_a_row_is_unpublished(source, flow, records):
    run_import(actor=None, source=source, path=flow())
    without_cottage = [records[0], records[1], records[3]]

    first = run_import(actor=None, source=source, path=flow(without_cottage))
    assert page_of(COTTAGE).live and first.unpublished == 0
    second = run_import(actor=None, source=source, path=flow(without_cottage))

    assert second.unpublished == 1
    assert not page_of(COTTAGE).live
    assert ImportedRecord.objects.filter(identity=COTTAGE).exists()


def test_a_record_seen_again_is_no_longer_counted_missing(source, flow, records):
    run_import(actor=None, source=source, path=flow())
    run_import(actor=None, source=source, path=flow([records[0], records[1], records[3]]))
    run_import(actor=None, source=source, path=flow())

    run = run_import(actor=None, source=source, path=flow([records[0], records[1], records[3]]))

    assert run.unpublished == 0
    assert page_of(COTTAGE).live


def test_both_identity_hosts_map_to_one_page(source, flow, records):
    run_import(actor=None, source=source, path=flow())
    records[0]["@id"] = records[0]["@id"].replace(
        "https://data.datatourisme.gouv.fr", "https://data.datatourisme.fr"
    )
    records[0]["rdfs:label"]["fr"] = ["Festival des Embruns 2027"]
    records[0]["lastUpdateDatatourisme"] = "2026-12-01T00:00:00Z"

    run = run_import(actor=None, source=source, path=flow())

    assert (run.created, run.updated) == (0, 1)
    assert EventPage.objects.filter(title__startswith="Festival des Embruns").count() == 1
    assert page_of(FESTIVAL).title == "Festival des Embruns 2027"


def test_two_runs_of_one_source_never_overlap(source, flow):
    assert acquire_source(source)

    with pytest.raises(Conflict):
        run_import(actor=None, source=source, path=flow())


def test_a_run_releases_its_source(source, flow):
    run_import(actor=None, source=source, path=flow())

    source.refresh_from_db()
    assert source.running_since is None
