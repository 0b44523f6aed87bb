import hashlib
import logging
import re
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.caches import LINK_TARGETS
from core.errors import NotAllowed, NotFound
from core.ratelimit import client_key

logger = logging.getLogger(__name__)

CODE_BYTES = 6  # 8 URL-safe characters
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|telegram|discord|"
    r"curl|wget|python-|httpx|go-http|java/|okhttp|headless|lighthouse|monitor|scan|fetch",
    re.IGNORECASE,
)
LOCAL_LINK_TIMEOUT = 60
_salts: dict = {}  # this process's copy of the day's salt (the shared one is in the cache)
# Called as listener(link_ids, when) inside add_clicks' transaction, when clicks reach the
# database (at once without Redis, at the flush with it): e-PR marks who opened its links.
_click_listeners: list = []
_COUNT_SCRIPT = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
end
return 0
"""


@dataclass(frozen=True)
class Target:
    link_id: int
    path: str


def _window() -> int:
    return getattr(settings, "LINK_CLICK_WINDOW", 3600)


def redis_client():
    """The raw redis-py client behind the default cache, or None without Redis."""
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    return backend.get_client(write=True)


def _pending_key() -> str:
    return cache.make_key("clicks:pending")


def _flushing_prefix() -> str:
    return cache.make_key("clicks:flushing:")


def target_for(page, code: str, *, source: str, reference: str) -> str:
    path = page.relative_url(page.get_site()) if page.get_site() else page.url
    if not path or not path.startswith("/") or path.startswith("//"):
        raise NotFound(_("This page cannot be shared."))
    query = urlencode(
        {
            "utm_source": source,
            "utm_medium": "share",
            "utm_campaign": reference or page.slug,
            "utm_content": code,
        }
    )
    return f"{path}?{query}"


def is_shareable(page) -> bool:
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    return page.live and page.depth > 1 and not page.get_view_restrictions().exists()


def make_link(*, owner, page, source: str = "ambassador", reference: str = ""):
    """The owner's tracked link to `page` (made on first call). Callers check who may have
    one (ambassadors.services.links.link_for_page, campaigns)."""
    from ambassadors.models import TrackedLink

    existing = TrackedLink.objects.filter(
        owner=owner, page=page, source=source, reference=reference
    ).first()
    if existing is not None:
        return existing
    if not is_shareable(page):
        raise NotFound(_("This page is not public."))
    for _attempt in range(5):
        code = secrets.token_urlsafe(CODE_BYTES)
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    code=code,
                    owner=owner,
                    page=page,
                    source=source,
                    reference=reference,
                    target=target_for(page, code, source=source, reference=reference),
                )
        except IntegrityError:
            existing = TrackedLink.objects.filter(
                owner=owner, page=page, source=source, reference=reference
            ).first()
            if existing is not None:
                return existing
    raise RuntimeError("no free link code")


def _shared_get(key):
    """The shared cache, or None while it is down (a redirect does not need it)."""
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: read the database
        return None


def _shared_set(key, value, timeout) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001 - Redis down
        logger.warning("Shared cache unavailable: link %s not cached", key)


def resolve(code: str) -> Target | None:
    """The link's target by its code (cached), None when unknown."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{4,16}", code or ""):
        return None
    key = LINK_TARGETS.key_for(code)
    # This process's memory first: a target never changes (it is an internal path), and a
    # deleted link is forgotten within LOCAL_LINK_TIMEOUT.
    found = caches["local"].get(key)
    if found is None:
        found = _shared_get(key)
        if found is None:
            from ambassadors.models import TrackedLink

            row = TrackedLink.objects.filter(code=code).values_list("pk", "target").first()
            found = list(row) if row else ["", ""]
            _shared_set(key, found, LINK_TARGETS.timeout)
        caches["local"].set(key, found, LOCAL_LINK_TIMEOUT)
    if not found[0]:
        return None
    return Target(link_id=found[0], path=found[1])


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_AGENTS.search(user_agent))


def _salt(day) -> str:
    """The day's random salt, the same in every process (the shared cache), kept two days;
    yesterday's is never read again, so yesterday's hashes cannot be recomputed."""
    salt = _salts.get(day)
    if salt is not None:
        return salt
    key = f"clicks:salt:{day.isoformat()}"
    salt = _shared_get(key)
    if salt is None:
        try:
            cache.add(key, secrets.token_hex(16), 2 * 86400)
        except Exception:  # noqa: BLE001 - Redis down: this process's own salt for now
            return _salts.setdefault(("local", day), secrets.token_hex(16))
        salt = _shared_get(key) or ""
    if salt:
        _salts.clear()
        _salts[day] = salt
    return salt


def visitor_hash(request, day) -> str:
    """A daily-rotated salted hash of the visitor; the address itself is never kept."""
    raw = "|".join((_salt(day), client_key(request), request.META.get("HTTP_USER_AGENT", "")[:300]))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def record_click(request, target: Target) -> bool:
    """Count a visit to a link once per visitor and window; True when it counted."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if is_bot(user_agent):
        return False
    day = timezone.localdate()
    visitor = visitor_hash(request, day)
    seen_key = f"clicks:seen:{target.link_id}:{visitor}"
    client = redis_client()
    if client is not None:
        try:
            counted = client.eval(
                _COUNT_SCRIPT,
                2,
                cache.make_key(seen_key),
                _pending_key(),
                _window(),
                f"{target.link_id}:{day.isoformat()}",
            )
            return bool(counted)
        except Exception:  # noqa: BLE001 - Redis down: the database counts instead
            logger.warning("Redis unavailable, click written to the database", exc_info=True)
            if not caches["local"].add(seen_key, 1, _window()):
                return False
            add_clicks({(target.link_id, day): 1})
            return True
    if not cache.add(seen_key, 1, _window()):
        return False
    add_clicks({(target.link_id, day): 1})
    return True


def add_clicks(counts: dict) -> None:
    """Add {(link_id, day): clicks} to the daily aggregates and the links' totals."""
    from ambassadors.models import LinkClickDay, TrackedLink

    with transaction.atomic():
        for (link_id, day), clicks in sorted(counts.items()):
            updated = LinkClickDay.objects.filter(link_id=link_id, day=day).update(
                clicks=F("clicks") + clicks
            )
            if not updated:
                try:
                    with transaction.atomic():
                        LinkClickDay.objects.create(link_id=link_id, day=day, clicks=clicks)
                except IntegrityError:
                    LinkClickDay.objects.filter(link_id=link_id, day=day).update(
                        clicks=F("clicks") + clicks
                    )
            TrackedLink.objects.filter(pk=link_id).update(clicks=F("clicks") + clicks)
        if _click_listeners and counts:
            link_ids = {link_id for link_id, _day in counts}
            for listener in _click_listeners:
                listener(link_ids, timezone.now())


def add_click_listener(listener) -> None:
    """`listener(link_ids, when)` runs when clicks on these links are written."""
    if listener not in _click_listeners:
        _click_listeners.append(listener)


def _parse(batch: dict) -> dict:
    from datetime import date

    counts = {}
    for field, value in batch.items():
        field = field.decode() if isinstance(field, bytes) else field
        link_id, day = field.split(":", 1)
        counts[(int(link_id), date.fromisoformat(day))] = int(value)
    return counts


def flush_clicks() -> int:
    """Move the counters from Redis to the database; returns the clicks moved. Safe to run
    concurrently and to kill at any point (see the module's docstring)."""
    from ambassadors.models import ClickFlush, TrackedLink

    client = redis_client()
    if client is None:
        # Without Redis each click was written at once; the points they bring are still
        # given here, on the same schedule as with Redis.
        from ambassadors.services.recognition import award_click_points

        award_click_points({timezone.localdate()})
        return 0
    try:
        client.rename(_pending_key(), f"{_flushing_prefix()}{uuid.uuid4().hex}")
    except Exception as exc:  # noqa: BLE001 - "no such key": nothing counted since
        if "no such key" not in str(exc).lower():
            raise
    moved = 0
    for key in client.scan_iter(match=f"{_flushing_prefix()}*", count=100):
        name = key.decode() if isinstance(key, bytes) else key
        counts = _parse(client.hgetall(name))
        known = set(
            TrackedLink.objects.filter(pk__in={link for link, _day in counts}).values_list(
                "pk", flat=True
            )
        )
        counts = {k: v for k, v in counts.items() if k[0] in known}
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ClickFlush.objects.create(name=name[-80:])
            except IntegrityError:
                counts = {}  # this batch was written before its key could be deleted
            if counts:
                add_clicks(counts)
                from ambassadors.services.recognition import award_click_points

                award_click_points({day for _link, day in counts})
        client.delete(name)
        moved += sum(counts.values())
    return moved


def clicks_pending() -> int:
    """Clicks counted in Redis and not yet flushed (for totals that must add up now)."""
    client = redis_client()
    if client is None:
        return 0
    total = sum(int(v) for v in client.hvals(_pending_key()))
    for key in client.scan_iter(match=f"{_flushing_prefix()}*", count=100):
        total += sum(int(v) for v in client.hvals(key))
    return total


def check_owner(actor, link) -> None:
    from ambassadors.permissions import can_see_link_stats

    if not can_see_link_stats(actor, link):
        raise NotAllowed(_("These figures are the link owner's."))
