"""`manage.py import_tourism_data <file-or-url>`: import a DATAtourisme flow or an Apidae
export from the command line, as the admin's "Run now" does, with a progress bar."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from content.imports.adapters import FlowError
from content.imports.models import ImportSource
from content.imports.services import run_import
from content.models import DestinationIndexPage, EventIndexPage
from core.errors import DomainError


class Command(BaseCommand):
    help = "Import a DATAtourisme flow or an Apidae JSON export (a zip file or its URL)."

    def add_arguments(self, parser):
        parser.add_argument("location", help="Path or http(s) URL of the flow's zip.")
        parser.add_argument(
            "--source",
            help="Name of the import source to run (created if missing, with the first "
            "destination and event indexes as parents).",
        )
        parser.add_argument("--publish", action="store_true", help="Publish new pages.")
        parser.add_argument("--no-images", action="store_true", help="Do not fetch photos.")
        parser.add_argument("--kind", choices=[k for k, _ in ImportSource.Kind.choices])

    def handle(self, location, source=None, publish=False, no_images=False, kind=None, **opts):
        is_url = location.startswith(("http://", "https://"))
        name = source or location.rsplit("/", 1)[-1]
        source_row = ImportSource.objects.filter(name=name).first()
        if source_row is None:
            places = DestinationIndexPage.objects.first()
            if places is None:
                raise CommandError("Create a destination index first: new places go under it.")
            source_row = ImportSource.objects.create(
                name=name,
                kind=kind or ImportSource.Kind.DATATOURISME,
                url=location if is_url else "",
                places_parent=places,
                events_parent=EventIndexPage.objects.first(),
                publish=publish,
                import_images=not no_images,
                daily=False,
            )
        started = time.monotonic()
        try:
            run = run_import(
                actor=None,
                source=source_row,
                path=None if is_url else location,
                progress=self.show_progress,
            )
        except (DomainError, FlowError) as error:
            raise CommandError(str(error)) from error
        finally:
            if self.stdout.isatty():
                self.stdout.write("")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{run.get_status_display()}: {run.seen} records in {elapsed:.1f} s — "
            f"{run.created} created, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.conflicts} conflicts, {run.unpublished} unpublished, {run.errors} errors."
        )
        if run.message:
            self.stdout.write(run.message)
        for failure in run.failures.all()[:20]:
            self.stdout.write(f"  {failure.identity or failure.label}: {failure.reason}")
        if run.status == run.Status.FAILED:
            raise CommandError("The import failed.")

    def show_progress(self, progress):
        total = progress.total
        if total:
            width = 30
            done = int(width * progress.seen / total)
            bar = "#" * done + "-" * (width - done)
            line = f"\r[{bar}] {progress.seen}/{total}"
        else:
            line = f"\r{progress.seen} records"
        self.stdout.write(line, ending="")
        sys.stdout.flush()
