"""Importing a flow into the hub: records written a chunk to a transaction with a savepoint
each (see bulk.py), a page revision only when something changed, and the agency's edits kept.

Who owns which field: the source owns a page's name, descriptions, address, coordinates,
contacts, dates or opening hours and photo (fields.SOURCE_FIELDS); the agency owns everything else
(slug, place in the tree, SEO fields, introduction and body, hero image, tags, publication).
A source-owned field is overwritten only while the page still holds the value last imported
(`ImportedRecord.imported_values`); once an editor changed it, the page keeps the editor's
value and, when the source changed it too, an ImportConflict waits for staff to choose."""

import logging
import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Page

from content.models import DestinationIndexPage, EventIndexPage
from core.errors import Conflict, InvalidInput, NotAllowed

from . import fetch
from .adapters import Entry, Flow, FlowError, Record, RecordError, open_flow
from .bulk import PageWriter, deferred_indexing, indexing_resumed
from .fields import PAGE_MODELS, page_value, set_page_value, source_values, stamp_review
from .models import (
    ImportConflict,
    ImportedImage,
    ImportedRecord,
    ImportFailure,
    ImportRun,
    ImportSource,
)
from .permissions import can_manage_imports

logger = logging.getLogger(__name__)

MiB = 1024 * 1024
# A run that died without releasing its source frees it after this long.
STALE_LOCK = timedelta(hours=6)
SEEN_BATCH = 500
# Records written in one transaction (and indexed at once); a failed chunk is written again
# one record at a time.
CHUNK_SIZE = 100
# Sources and locks -------------------------------------------------------------------------


def save_import_source(*, actor, source: ImportSource) -> ImportSource:
    """Create or change an import source, checking where its pages go."""
    check_import_source(actor=actor, source=source)
    source.save()
    return source


def check_import_source(*, actor, source: ImportSource) -> None:
    if not can_manage_imports(actor):
        raise NotAllowed(_("Only agency staff can manage import sources."))
    if not source.url and not source.upload:
        raise InvalidInput(_("Give the URL of the flow's zip or upload it."))
    if source.places_parent_id and not isinstance(
        source.places_parent.specific, DestinationIndexPage
    ):
        raise InvalidInput(_("New places go under a destination index."))
    if source.events_parent_id and not isinstance(source.events_parent.specific, EventIndexPage):
        raise InvalidInput(_("New events go under an event index."))


def acquire_source(source: ImportSource) -> bool:
    """Mark `source` as running unless a run holds it already: one UPDATE, so two workers
    cannot both win."""
    now = timezone.now()
    free = Q(running_since__isnull=True) | Q(running_since__lt=now - STALE_LOCK)
    return bool(ImportSource.objects.filter(pk=source.pk).filter(free).update(running_since=now))


def release_source(source: ImportSource) -> None:
    ImportSource.objects.filter(pk=source.pk).update(running_since=None)


@contextmanager
def flow_file(source: ImportSource, path=None):
    """A local path to the source's zip: the given one, the upload, or a download."""
    if path:
        yield Path(path)
        return
    if source.upload:
        try:
            yield Path(source.upload.path)
        except NotImplementedError:  # remote storage: copy it out first
            with tempfile.NamedTemporaryFile(suffix=".zip") as handle:
                with source.upload.open("rb") as upload:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                handle.flush()
                yield Path(handle.name)
        return
    if not source.url:
        raise FlowError(_("This source has neither a URL nor an uploaded zip."))
    limit = getattr(settings, "TOURISM_IMPORT_MAX_DOWNLOAD", 1024 * MiB)
    with tempfile.NamedTemporaryFile(suffix=".zip") as handle:
        try:
            fetch.fetch_to_file(source.url, handle, max_bytes=limit)
        except fetch.FetchError as exc:
            raise FlowError(str(exc)) from exc
        handle.flush()
        yield Path(handle.name)


# Runs --------------------------------------------------------------------------------------


@dataclass
class Progress:
    seen: int = 0
    total: int | None = None


def run_import(
    *,
    actor,
    source: ImportSource,
    path=None,
    progress: Callable[[Progress], None] | None = None,
) -> ImportRun:
    """Import the source's flow (or the zip at `path`). `actor` None is the system (the daily
    task, the command line). Raises Conflict when a run of this source is under way."""
    if actor is not None and not can_manage_imports(actor):
        raise NotAllowed(_("Only agency staff can run imports."))
    if not acquire_source(source):
        raise Conflict(_("This source is already being imported."))
    run = ImportRun.objects.create(source=source)
    try:
        with flow_file(source, path) as local_path, open_flow(local_path) as flow:
            Importer(source, run, flow, progress).run()
        run.status = ImportRun.Status.DONE
    except FlowError as exc:
        run.status = ImportRun.Status.FAILED
        run.message = str(exc)
    except Exception as exc:  # the run is recorded as failed, then the error goes on
        run.status = ImportRun.Status.FAILED
        run.message = _("Unexpected error: %(error)s") % {"error": str(exc)[:500]}
        raise
    finally:
        run.finished = timezone.now()
        run.save()
        release_source(source)
    return run


class Importer:
    def __init__(self, source, run, flow: Flow, progress=None):
        self.source = source
        self.run_row = run
        self.flow = flow
        self.progress = progress
        self.state = Progress()
        self.known = dict(
            ImportedRecord.objects.filter(source=source).values_list("identity", "source_updated")
        )
        self.seen: set[str] = set()
        self.pending_seen: list[str] = []
        self.failed_images: dict[str, str] = {}
        self.parents = {
            "place": source.places_parent.specific if source.places_parent_id else None,
            "event": source.events_parent.specific if source.events_parent_id else None,
        }

    def run(self):
        run = self.run_row
        chunk: list[Entry] = []
        with deferred_indexing():
            for entry in self.flow.entries():
                run.seen += 1
                self.state.seen = run.seen
                self.state.total = getattr(self.flow, "count", None)
                if self.progress and run.seen % 50 == 0:
                    self.progress(self.state)
                if not entry.identity:
                    self.fail(
                        entry, (entry.data or {}).get("_error") or _("The record has no identity.")
                    )
                    continue
                if entry.identity in self.seen:
                    self.fail(entry, _("The record appears twice in the flow."))
                    continue
                self.seen.add(entry.identity)
                if entry.updated and self.known.get(entry.identity) == entry.updated:
                    run.unchanged += 1
                    self.mark_seen(entry.identity)
                    continue
                chunk.append(entry)
                if len(chunk) >= CHUNK_SIZE:
                    self.import_chunk(chunk)
                    chunk = []
            self.import_chunk(chunk)
        self.flush_seen()
        for identity in self.flow.deleted_identities:
            self.unpublish(ImportedRecord.objects.filter(source=self.source, identity=identity))
        if self.source.full_flow and self.source.kind == ImportSource.Kind.DATATOURISME:
            self.handle_missing()
        if self.progress:
            self.progress(self.state)

    def mark_seen(self, identity: str):
        self.pending_seen.append(identity)
        if len(self.pending_seen) >= SEEN_BATCH:
            self.flush_seen()

    def flush_seen(self):
        if self.pending_seen:
            ImportedRecord.objects.filter(
                source=self.source, identity__in=self.pending_seen
            ).update(last_seen_run=self.run_row, missing_runs=0)
            self.pending_seen = []

    def fail(self, entry: Entry, reason: str):
        self.run_row.errors += 1
        ImportFailure.objects.create(
            run=self.run_row, identity=entry.identity, label=entry.label, reason=str(reason)
        )

    def import_chunk(self, entries: list[Entry]):
        """Import these records in one transaction, each in a savepoint of its own, so that a
        bad record is listed without losing the others. When the chunk fails as a whole (a
        database error is not a bad record's to keep), its records are written one
        transaction each, and only the record at fault is lost."""
        items = [item for entry in entries if (item := self.read(entry)) is not None]
        if not items:
            return
        try:
            results = self.write(items)
        except Exception:
            logger.warning("A chunk of %d records failed; one record at a time", len(items))
            results = []
            for item in items:
                try:
                    results += self.write([item])
                except Exception as exc:
                    logger.exception("Import of %s failed", item[0].identity)
                    results.append(
                        (item[0], _("Unexpected error: %(error)s") % {"error": str(exc)[:300]})
                    )
        for entry, outcome in results:
            self.count(entry, outcome)

    def read(self, entry: Entry) -> tuple[Entry, Record, ImportedImage | None] | None:
        """The record and its photo, read and fetched before any transaction opens."""
        try:
            record = self.flow.record(entry)
            if self.parents[record.kind] is None:
                raise RecordError(_("No parent page is set for this kind of record."))
            return entry, record, self.image_for(entry, record)
        except (RecordError, ValidationError) as exc:
            self.fail(entry, error_message(exc))
        except Exception as exc:
            logger.exception("Import of %s failed", entry.identity)
            self.fail(entry, _("Unexpected error: %(error)s") % {"error": str(exc)[:300]})
        return None

    def write(self, items) -> list[tuple[Entry, "Outcome | str"]]:
        results = []
        with transaction.atomic():
            writer = PageWriter()
            for entry, record, image in items:
                new = entry.identity not in self.known and record.identity == entry.identity
                if not new:
                    # Its page may be one this chunk created (the same record under another
                    # identity): its first revision must be written before it is read.
                    writer.settle()
                try:
                    with writer.record(), transaction.atomic():
                        outcome = upsert_record(
                            source=self.source,
                            run=self.run_row,
                            entry=entry,
                            record=record,
                            image=image,
                            parent=self.parents[record.kind],
                            writer=writer,
                            new=new,
                        )
                except (RecordError, ValidationError) as exc:
                    results.append((entry, error_message(exc)))
                    continue
                results.append((entry, outcome))
            writer.finish()
        return results

    def count(self, entry: Entry, outcome: "Outcome | str"):
        if isinstance(outcome, str):
            self.fail(entry, outcome)
        elif outcome.created:
            self.run_row.created += 1
        elif outcome.changed:
            self.run_row.updated += 1
        else:
            self.run_row.unchanged += 1
        if not isinstance(outcome, str):
            self.run_row.conflicts += outcome.conflicts

    def image_for(self, entry: Entry, record: Record) -> ImportedImage | None:
        """The record's photo, imported once per URL; a photo that cannot be had is listed
        as a failure and the record goes on without it."""
        if not (self.source.import_images and record.image_url):
            return None
        known = ImportedImage.objects.filter(url=record.image_url).first()
        if known is not None:
            return known
        if record.image_url in self.failed_images:
            return None
        try:
            with indexing_resumed():  # the image is saved and indexed as an upload would be
                return import_image(
                    record.image_url, credit=record.image_credit, title=record.title
                )
        except (fetch.FetchError, RecordError) as exc:
            self.failed_images[record.image_url] = str(exc)
            self.fail(entry, _("Photo not imported: %(reason)s") % {"reason": exc})
            return None

    def handle_missing(self):
        """Records absent from this complete flow: counted, and unpublished the second run
        in a row."""
        missing = ImportedRecord.objects.filter(source=self.source).exclude(
            last_seen_run=self.run_row
        )
        missing = (
            missing.exclude(identity__in=list(self.seen)) if len(self.seen) < 5000 else missing
        )
        missing_ids = [
            pk
            for pk, identity in missing.values_list("pk", "identity")
            if identity not in self.seen
        ]
        ImportedRecord.objects.filter(pk__in=missing_ids).update(missing_runs=F("missing_runs") + 1)
        self.unpublish(ImportedRecord.objects.filter(pk__in=missing_ids, missing_runs__gte=2))

    def unpublish(self, records):
        for record in records.select_related("page"):
            page = record.page
            if page.live:
                page.specific.unpublish(log_action=True)
                self.run_row.unpublished += 1


def import_image(url: str, *, credit: str, title: str) -> ImportedImage:
    limit = getattr(settings, "TOURISM_IMPORT_MAX_IMAGE", 10 * MiB)
    data = fetch.fetch_bytes(url, max_bytes=limit, content_types=("image/",))
    from PIL import Image as PILImage

    try:
        with PILImage.open(BytesIO(data)) as picture:
            picture.verify()
            width, height = picture.size
    except Exception as exc:
        raise RecordError(_("%(url)s is not an image.") % {"url": url[:200]}) from exc
    if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise RecordError(_("%(url)s has too many pixels.") % {"url": url[:200]})
    name = os.path.basename(url.split("?")[0]) or "photo.jpg"
    with transaction.atomic():
        image = get_image_model().objects.create(
            title=title[:255], file=ContentFile(data, name=name[-80:])
        )
        imported, _created = ImportedImage.objects.get_or_create(
            url=url, defaults={"image": image, "credit": credit}
        )
    return imported


def error_message(exc: Exception) -> str:
    return exc.messages[0] if isinstance(exc, ValidationError) else str(exc)


# One record --------------------------------------------------------------------------------


@dataclass
class Outcome:
    created: bool = False
    changed: bool = False
    conflicts: int = 0


def upsert_record(
    *,
    source,
    run,
    entry: Entry,
    record: Record,
    image: ImportedImage | None,
    parent: Page,
    writer: PageWriter,
    new: bool = False,
) -> Outcome:
    """Create or update the page of one record; `new` says the source has no such record
    yet (its unique constraint stands behind that). Should be called inside a transaction,
    with indexing deferred to `writer.finish()`."""
    values = source_values(record, image, source.import_images)
    existing = (
        None
        if new
        else ImportedRecord.objects.select_for_update()
        .filter(source=source, identity=record.identity)
        .first()
    )
    if existing is None:
        page = create_page(source, record, values, parent, writer)
        ImportedRecord.objects.create(
            source=source,
            identity=record.identity,
            page=page,
            **record_metadata(entry, record, image),
            imported_values=values,
            last_seen_run=run,
        )
        return Outcome(created=True, changed=True)

    page = existing.page.specific
    if not isinstance(page, PAGE_MODELS[record.kind]):
        raise RecordError(_("The page of this record is not of the expected type."))
    # A draft (never published, or changes waiting) is compared and changed in its latest
    # revision, which is what editors see; the live row is only for a page without one.
    pending_draft = page.has_unpublished_changes
    target = page.get_latest_revision_as_object() if pending_draft else page
    last = existing.imported_values
    outcome = Outcome()
    for name, new in values.items():
        current = page_value(target, name)
        if current == new:
            continue
        if name not in last or current == last[name]:
            set_page_value(target, name, new)
            outcome.changed = True
        elif new != last[name]:
            ImportConflict.objects.update_or_create(
                record=existing,
                field=name,
                resolved_at=None,
                defaults={"page_value": current, "source_value": new},
            )
            outcome.conflicts += 1
    if outcome.changed:
        stamp_review(target, record)
        target.full_clean()
        revision = target.save_revision(log_action=True)
        if page.live and not pending_draft:
            revision.publish(log_action=True)
        writer.touch(page)
    for name, value in record_metadata(entry, record, image).items():
        setattr(existing, name, value)
    existing.imported_values = values
    existing.missing_runs = 0
    existing.last_seen_run = run
    existing.save()
    return outcome


def record_metadata(entry: Entry, record: Record, image) -> dict:
    return {
        "source_updated": entry.updated,
        "updated_on": record.updated_on,
        "source_uri": record.source_uri,
        "producer": record.producer,
        "schema_types": record.schema_types,
        "image": image,
    }


def create_page(source, record: Record, values: dict, parent: Page, writer: PageWriter) -> Page:
    model = PAGE_MODELS[record.kind]
    page = model(
        title=record.title,
        slug=writer.free_slug(parent, record.title, suffix=record.identity.split("/")[-1]),
        live=source.publish,
    )
    if record.kind == "event":
        page.venue_name = ""
    for name, value in values.items():
        set_page_value(page, name, value)
    stamp_review(page, record)
    return writer.create(page, parent, publish=source.publish)  # validates it as Page.save


# Conflicts ---------------------------------------------------------------------------------


@transaction.atomic
def resolve_conflict(*, actor, conflict: ImportConflict, take_source: bool) -> ImportConflict:
    """Staff choose between the page's value and the source's. Taking the source's writes it
    on the page (a new revision, published if the page is live)."""
    if not can_manage_imports(actor):
        raise NotAllowed(_("Only agency staff can resolve import conflicts."))
    conflict = (
        ImportConflict.objects.select_for_update().select_related("record").get(pk=conflict.pk)
    )
    if conflict.resolved_at is not None:
        raise Conflict(_("This conflict is already resolved."))
    record = conflict.record
    if take_source:
        page = record.page.specific
        pending_draft = page.has_unpublished_changes
        target = page.get_latest_revision_as_object() if pending_draft else page
        set_page_value(target, conflict.field, conflict.source_value)
        revision = target.save_revision(user=actor, log_action=True)
        if page.live and not pending_draft:
            revision.publish(user=actor, log_action=True)
    conflict.resolved_at = timezone.now()
    conflict.resolved_by = actor
    conflict.resolution = (
        ImportConflict.Resolution.TAKE_SOURCE
        if take_source
        else ImportConflict.Resolution.KEEP_MINE
    )
    conflict.save()
    return conflict
