"""What the chunk writer (content/imports/bulk.py) reads once per chunk instead of once per
page stays right: the siblings' slugs (taken by earlier pages, by pages of the same chunk, and
freed by a record that failed), and the `wagtail.create` log entry Wagtail writes for a page."""

import copy

import pytest
from wagtail.models import PageLogEntry

from content.demo_imports import COTTAGE, OLD_HOST
from content.imports import services
from content.imports.adapters import RecordError
from content.imports.models import ImportedRecord
from content.imports.services import run_import
from content.models import DestinationPage


def namesakes(records, count):
    """`count` records of other cottages with the fixture cottage's name."""
    cottage = next(record for record in records if record["@id"].endswith(COTTAGE))
    made = []
    for n in range(count):
        copied = copy.deepcopy(cottage)
        copied["@id"] = f"{OLD_HOST}/15/{n:08x}-1e2d-3c4b-5a69-78877665544{n}"
        made.append(copied)
    return made


def slug_of(record):
    """The slug of the page imported from `record` (an identity or a record)."""
    identity = record if isinstance(record, str) else "/".join(record["@id"].split("/")[-2:])
    return ImportedRecord.objects.get(identity=identity).page.slug


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 3)


def test_a_taken_slug_gets_the_records_identity(source, flow, records, sections, small_chunks):
    sections["places"].add_child(instance=DestinationPage(title="Gîte", slug="gite-de-kerlann"))
    others = namesakes(records, 2)

    run = run_import(actor=None, source=source, path=flow(records + others))

    assert (run.created, run.errors) == (6, 0)
    assert slug_of(COTTAGE) == "gite-de-kerlann-" + COTTAGE.split("/")[-1][:8]
    # Namesakes take the suffix whether the first of them is in their chunk or an earlier one.
    for other in others:
        assert slug_of(other).startswith("gite-de-kerlann-0000000")


def test_the_slug_of_a_failed_record_is_free_again(source, flow, records, monkeypatch):
    original = services.record_metadata

    def record_metadata(entry, record, image):
        if record.identity == COTTAGE:
            raise RecordError("Fiche illisible.")
        return original(entry, record, image)

    monkeypatch.setattr(services, "record_metadata", record_metadata)
    (other,) = namesakes(records, 1)

    run = run_import(actor=None, source=source, path=flow(records + [other]))

    assert (run.created, run.errors) == (4, 1)
    assert slug_of(other) == "gite-de-kerlann"


def test_each_new_page_is_logged_as_wagtail_logs_a_created_page(source, flow, sections):
    made = sections["places"].add_child(instance=DestinationPage(title="Phare", slug="phare"))
    expected = PageLogEntry.objects.get(page=made)

    run_import(actor=None, source=source, path=flow())

    for record in ImportedRecord.objects.select_related("page"):
        entry = PageLogEntry.objects.get(page=record.page)
        page = record.page.specific
        assert (entry.action, entry.label, entry.content_type) == (
            "wagtail.create",
            page.get_admin_display_title(),
            page.content_type,
        )
        assert (entry.user, entry.uuid, entry.content_changed, entry.deleted, entry.data) == (
            expected.user,
            expected.uuid,
            True,
            False,
            {},
        )
        assert entry.revision is None
