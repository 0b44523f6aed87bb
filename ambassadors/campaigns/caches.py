"""The campaign reports' caches (core.cache.register), declared from ambassadors/caches.py.

A report at scale (200 creators, 1,000 contents, 100,000 clicks) costs six grouped queries
and, for the page, 200 localised table rows: 100-300 ms (docs/performance.md, "Campaign
report at scale"). Its figures change when a brief, a creator's engagement, a content, a
ledger line, a declared audience, a tracked link or a creator's name changes, and when clicks
are flushed; far less often than staff read them. Entries are kept under one *reports
generation* that each of those bumps, now and again once the transaction commits, and are
stored only if it did not move while they were built (Cached.get_or_set): a report never
shows figures from before a review, a ledger change or a flush. The timeout only frees
memory.

Three entries per brief and language (the status labels are translated and the numbers
localised): the figures (`REPORT_DATA`: the page, the API and the CSV), the page's rendered
figures, charts and table (`REPORT_HTML`, also per full or shared view) and the API's JSON
(`REPORT_JSON`). All are kept in the process's memory too (`local`: their keys hold the
generation), so a hit costs the generation's round trip only."""

import functools
import hashlib

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from core.cache import Cached, Generation, register

REPORTS_GENERATION = Generation("campaigns:reports")
REPORT_TIMEOUT = 30 * 60
# The user fields a report row shows (its name).
USER_FIELDS = frozenset({"display_name", "first_name", "last_name", "username"})


@functools.cache
def _shape() -> str:
    """The figures' classes' fields: a deployment that changes them reads no old entry."""
    from dataclasses import fields

    from .reports import Report, Row, Totals

    names = [f.name for cls in (Report, Row, Totals) for f in fields(cls)]
    return hashlib.md5(repr(names).encode(), usedforsecurity=False).hexdigest()[:8]


_EVERY_REPORT = {
    f"ambassadors.{name}": (lambda instance: ())
    for name in (
        "Campaign",
        "DeliverableSpec",
        "Engagement",
        "Deliverable",
        "LedgerLine",
        "CreatorPlatform",
        "TrackedLink",
    )
}

REPORT_DATA = register(
    Cached(
        name="campaigns.report-data",
        key=lambda campaign_id, language: f"campaigns:report:{_shape()}:{campaign_id}:{language}",
        timeout=REPORT_TIMEOUT,
        generation=REPORTS_GENERATION,
        local=True,
        stale_on=_EVERY_REPORT,
        gain="a report at scale (200 creators) from 100-300 ms to a cache read (performance.md)",
    )
)

# The whole report page (core.pages.render_shared): per viewer roles, language and address
# (the brief, or the partners' private link), under the same generation.
REPORT_PAGE = register(
    Cached(
        name="campaigns.report-page",
        key=lambda page_key: f"campaigns:report-page:{page_key}",
        timeout=REPORT_TIMEOUT,
        generation=REPORTS_GENERATION,
        local=True,
        gain="the report page around its figures (performance.md, campaign report)",
    )
)

REPORT_CSV = register(
    Cached(
        name="campaigns.report-csv",
        key=lambda campaign_id, language: f"campaigns:report-csv:{campaign_id}:{language}",
        timeout=REPORT_TIMEOUT,
        generation=REPORTS_GENERATION,
        local=True,
        gain="the CSV's 200 rows written at each download (performance.md, campaign report)",
    )
)

REPORT_HTML = register(
    Cached(
        name="campaigns.report-html",
        key=lambda campaign_id, shared, language: (
            f"campaigns:report-html:{campaign_id}:{int(shared)}:{language}"
        ),
        timeout=REPORT_TIMEOUT,
        # The same generation as the figures: their receivers bump it.
        generation=REPORTS_GENERATION,
        local=True,
        gain="the report page's 200 localised rows: half its time (performance.md)",
    )
)


REPORT_JSON = register(
    Cached(
        name="campaigns.report-json",
        key=lambda campaign_id, language: f"campaigns:report-json:{campaign_id}:{language}",
        timeout=REPORT_TIMEOUT,
        generation=REPORTS_GENERATION,
        local=True,
        gain="the API's hit without ninja validating 200 rows: ≈ 7 ms (performance.md)",
    )
)


def forget_reports() -> None:
    REPORTS_GENERATION.bump()


def _user_changed(update_fields=None, created=False, **kwargs) -> None:
    if created:
        return  # a new member is on no brief yet
    if update_fields is not None and not USER_FIELDS & set(update_fields):
        return  # a sign-in (last_login) and the like
    forget_reports()


def _clicks_written(link_ids, when) -> None:
    """Clicks are added with update() (ambassadors.links.services.add_clicks): no signal."""
    from ambassadors.models import TrackedLink

    if TrackedLink.objects.filter(pk__in=link_ids, source="campaign").exists():
        forget_reports()


def connect() -> None:
    """The receivers the registry cannot express (called from campaigns' ready())."""
    from ambassadors.links.services import add_click_listener

    post_save.connect(_user_changed, sender=get_user_model(), dispatch_uid="campaign-reports-user")
    add_click_listener(_clicks_written)
