"""Records written in chunks (content/imports/bulk.py): the page tree stays valid, the pages
are searchable and the reference index is what Wagtail would have written, and a record that
fails within a chunk loses only itself."""

import copy

import pytest
from django.db import IntegrityError
from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from content.demo_imports import BIKES, COTTAGE, FESTIVAL, MARKET, OLD_HOST
from content.imports import services
from content.imports.adapters import RecordError
from content.imports.models import ImportedRecord, ImportFailure
from content.imports.services import run_import
from content.models import DestinationPage, EventPage


def cottages(records, count):
    """`count` more cottages, each a record of its own."""
    cottage = next(record for record in records if record["@id"].endswith(COTTAGE))
    made = []
    for n in range(count):
        copied = copy.deepcopy(cottage)
        copied["@id"] = f"{OLD_HOST}/15/{n:08x}-6f9a-3b2c-9d7e-5f3a2b1c0d33"
        copied["rdfs:label"] = {"fr": [f"Gîte numéro {n}"]}
        made.append(copied)
    return made


def assert_tree_is_valid(*parents):
    assert Page.find_problems() == ([], [], [], [], [])
    for parent in parents:
        parent.refresh_from_db()
        children = parent.get_children()
        assert parent.numchild == children.count()
        for child in children:
            assert child.url_path == f"{parent.url_path}{child.slug}/"


def imported_pages():
    return [record.page.specific for record in ImportedRecord.objects.select_related("page")]


def index_entries(page):
    return IndexEntry.objects.filter(content_type__model=page._meta.model_name, object_id=page.pk)


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 3)


def test_a_bulk_import_leaves_the_tree_valid(source, flow, records, sections, small_chunks):
    places, events = sections["places"], sections["events"]
    earlier = places.add_child(instance=DestinationPage(title="Phare", slug="phare"))

    run = run_import(actor=None, source=source, path=flow(records + cottages(records, 7)))

    assert (run.created, run.errors) == (11, 0)
    assert_tree_is_valid(places, events)
    assert places.get_children().count() == 10
    assert all(page.path > earlier.path for page in places.get_children().not_page(earlier))


def test_imported_pages_have_one_published_revision(source, flow):
    run_import(actor=None, source=source, path=flow())

    for page in imported_pages():
        assert page.live and not page.has_unpublished_changes
        assert page.live_revision == page.latest_revision
        assert page.first_published_at and page.last_published_at
        assert page.revisions.count() == 1
        assert page.latest_revision.as_object().title == page.title


def test_draft_imports_have_one_unpublished_revision(source, flow, sections):
    source.publish = False
    source.save()

    run_import(actor=None, source=source, path=flow())

    for page in imported_pages():
        assert not page.live and page.has_unpublished_changes
        assert page.live_revision is None and page.first_published_at is None
        assert page.revisions.count() == 1
    assert_tree_is_valid(sections["places"], sections["events"])


def test_imported_pages_are_searchable(source, flow, records, small_chunks):
    run_import(actor=None, source=source, path=flow(records + cottages(records, 4)))

    for page in imported_pages():
        assert index_entries(page).count() == 1
    found = DestinationPage.objects.live().search("numéro")
    assert sorted(page.title for page in found) == [f"Gîte numéro {n}" for n in range(4)]
    assert list(EventPage.objects.live().search("Marché")) == [
        ImportedRecord.objects.get(identity=MARKET).page.specific
    ]


def test_an_updated_record_is_searchable_under_its_new_name(source, flow, records):
    run_import(actor=None, source=source, path=flow())
    records[2]["rdfs:label"] = {"fr": ["Gîte de Trégastel"]}
    records[2]["lastUpdateDatatourisme"] = "2026-12-01T03:00:00Z"

    run = run_import(actor=None, source=source, path=flow())

    assert run.updated == 1
    assert [page.title for page in DestinationPage.objects.search("Trégastel")] == [
        "Gîte de Trégastel"
    ]
    cottage = ImportedRecord.objects.get(identity=COTTAGE).page.specific
    assert "Kerlann" not in index_entries(cottage).get().title


def test_the_reference_index_holds_what_wagtail_would_write(source, flow):
    run_import(actor=None, source=source, path=flow())

    def references(page):
        return set(
            ReferenceIndex.get_references_for_object(page).values_list(
                "to_content_type", "to_object_id", "model_path", "content_path"
            )
        )

    written = {page.pk: references(page) for page in imported_pages()}
    for page in imported_pages():
        ReferenceIndex.remove_for_object(page)
        ReferenceIndex.create_or_update_for_object(page)
    assert written == {page.pk: references(page) for page in imported_pages()}
    bikes = ImportedRecord.objects.get(identity=BIKES).page.specific
    assert ("source_image", str(bikes.source_image_id)) in {
        (path, to_id) for _type, to_id, path, _content in written[bikes.pk]
    }


def test_a_photo_fetched_during_a_run_is_indexed_as_an_upload(source, flow):
    run_import(actor=None, source=source, path=flow())

    image = ImportedRecord.objects.get(identity=BIKES).page.specific.source_image
    assert list(get_image_model().objects.search(image.title.split()[0])) == [image]


def test_pages_saved_after_a_run_are_indexed_at_once(source, flow, sections):
    run_import(actor=None, source=source, path=flow())

    page = sections["places"].add_child(instance=DestinationPage(title="Sémaphore", slug="s"))

    assert index_entries(page).count() == 1
    assert ReferenceIndex.get_references_for_object(page).exists() is False


def failing_on(monkeypatch, identity, error):
    """Make the record `identity` fail after its page was written, within its chunk."""
    original = services.record_metadata

    def record_metadata(entry, record, image):
        if record.identity == identity:
            raise error
        return original(entry, record, image)

    monkeypatch.setattr(services, "record_metadata", record_metadata)


def test_a_record_failing_mid_chunk_loses_only_itself(source, flow, sections, monkeypatch):
    failing_on(monkeypatch, COTTAGE, RecordError("Fiche illisible."))

    run = run_import(actor=None, source=source, path=flow())

    assert (run.created, run.errors) == (3, 1)
    assert ImportFailure.objects.get().reason == "Fiche illisible."
    assert not DestinationPage.objects.filter(title="Gîte de Kerlann").exists()
    assert set(ImportedRecord.objects.values_list("identity", flat=True)) == {
        FESTIVAL,
        BIKES,
        MARKET,
    }
    assert_tree_is_valid(sections["places"], sections["events"])
    assert IndexEntry.objects.filter(title="Gîte de Kerlann").count() == 0


def test_a_chunk_failing_as_a_whole_is_written_again_one_record_at_a_time(
    source, flow, sections, monkeypatch
):
    failing_on(monkeypatch, COTTAGE, IntegrityError("disk I/O error"))

    run = run_import(actor=None, source=source, path=flow())

    assert (run.created, run.errors) == (3, 1)
    assert ImportFailure.objects.get().reason == gettext("Unexpected error: %(error)s") % {
        "error": "disk I/O error"
    }
    assert not DestinationPage.objects.filter(title="Gîte de Kerlann").exists()
    assert_tree_is_valid(sections["places"], sections["events"])
    for page in imported_pages():
        assert index_entries(page).count() == 1
    monkeypatch.undo()
    rerun = run_import(actor=None, source=source, path=flow())
    assert (rerun.created, rerun.unchanged, rerun.errors) == (1, 3, 0)
    assert_tree_is_valid(sections["places"], sections["events"])
