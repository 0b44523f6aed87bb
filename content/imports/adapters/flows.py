"""What every layout shares: the zip opened safely within its limits, entries and records,
and the `Flow` base class."""

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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
