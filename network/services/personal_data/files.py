"""Where exports live, their signed links, their age, and asking for one."""

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from core.errors import NotAllowed
from core.ratelimit import hit
from network.models import (
    User,
)
from network.services.personal_data.common import (
    EXPORT_MAX_AGE,
    EXPORT_SALT,
    EXPORTS_PER_DAY,
    logger,
)

# Export ---------------------------------------------------------------------------------------


def exports_root() -> Path:
    return Path(settings.EXPORTS_ROOT)


def _legacy_exports_root() -> Path:
    """Where exports were written before they left MEDIA_ROOT (public to anyone with a URL)."""
    return Path(settings.MEDIA_ROOT) / "exports"


def exports_root_is_private() -> bool:
    exports = exports_root().resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    return exports != media and media not in exports.parents


def _export_name(user_id: int, built_at: int) -> str:
    return f"territory-data-{user_id}-{built_at}.zip"


def _built_at(path: Path) -> int | None:
    try:
        return int(path.stem.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return None


def _is_expired(path: Path, now: float | None = None) -> bool:
    built_at = _built_at(path)
    now = time.time() if now is None else now
    return built_at is None or now - built_at >= EXPORT_MAX_AGE.total_seconds()


def purge_expired_exports() -> int:
    """Remove the exports past their age; returns how many."""
    legacy = _legacy_exports_root()
    if legacy.is_dir() and legacy != exports_root():
        removed = len(list(legacy.glob("*/*.zip")))
        shutil.rmtree(legacy, ignore_errors=True)
        if removed:
            logger.info("Removed %s data exports left under MEDIA_ROOT.", removed)
    root = exports_root()
    if not root.is_dir():
        return 0
    removed, now = 0, time.time()
    for folder in root.iterdir():
        files = list(folder.glob("*.zip")) if folder.is_dir() else []
        if all(_is_expired(path, now) for path in files):
            shutil.rmtree(folder, ignore_errors=True)
            removed += len(files)
    return removed


def export_link(user_id: int, token: str) -> str:
    """The signed path of an export (valid EXPORT_MAX_AGE from now; the file's age counts too)."""
    signed = signing.TimestampSigner(salt=EXPORT_SALT).sign(f"{user_id}:{token}")
    return reverse("network:personal_data_download", args=[signed])


def exports_of(user: User) -> list[dict]:
    """The member's exports still valid, newest first: {"token", "built_at", "expires_at",
    "url", "size"}."""
    root = exports_root()
    if not root.is_dir():
        return []
    found = []
    for path in root.glob(f"*/territory-data-{user.pk}-*.zip"):
        built_at = _built_at(path)
        if built_at is None or _is_expired(path):
            continue
        moment = datetime.fromtimestamp(built_at, tz=UTC)
        found.append(
            {
                "token": path.parent.name,
                "built_at": moment,
                "expires_at": moment + EXPORT_MAX_AGE,
                "url": export_link(user.pk, path.parent.name),
                "size": path.stat().st_size,
            }
        )
    return sorted(found, key=lambda export: export["built_at"], reverse=True)


def request_export(*, actor: User) -> None:
    """Queue the build of the actor's export (3 a day). The task e-mails the link."""
    if not actor.is_authenticated or not actor.is_active:
        raise NotAllowed()
    hit("data-export", actor.pk, limit=EXPORTS_PER_DAY, window=86400)
    from network.tasks import build_data_export_task

    transaction.on_commit(lambda: build_data_export_task.delay(actor.pk))
