"""Reads that several callers share (admin reports, dashboard panels, tasks), each with its
`select_related`/`prefetch_related` so that lists cost the same whatever their length."""

from datetime import date, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page, get_page_models
from wagtail.query import PageQuerySet

from .models import FreshnessMixin

DUE_SOON_DAYS = 30
RECENTLY_REVIEWED_DAYS = 30

# Freshness fields, as annotations on the generic Page queryset (one name whatever the type).
FRESHNESS_ANNOTATIONS = {
    "review_due": "next_review_due",
    "reviewed_on": "last_reviewed_at",
    "reminded_on": "last_reminder_sent_on",
}


def freshness_models() -> list[type[Page]]:
    """The page types that carry review dates (every concrete FreshnessMixin page)."""
    return [model for model in get_page_models() if issubclass(model, FreshnessMixin)]


def _lookup_path(model: type[Page]) -> str:
    """The reverse one-to-one path from Page down to `model` (`destinationpage`, or
    `a__b` for a page type that subclasses another)."""
    names = []
    while model is not Page:
        names.append(model._meta.model_name)
        model = next(iter(model._meta.parents))
    return "__".join(reversed(names))


def _coalesce(paths: list[str]):
    fields = [F(path) for path in paths]
    return fields[0] if len(fields) == 1 else Coalesce(*fields)


def pages_with_freshness(queryset: PageQuerySet | None = None) -> PageQuerySet:
    """Live pages of every FreshnessMixin type, as a generic Page queryset annotated with
    `review_due`, `reviewed_on` and `reminded_on` (so one query filters, orders and counts
    across types). Pass `queryset` to start from, e.g., the pages a user may edit."""
    queryset = Page.objects.all() if queryset is None else queryset
    paths = [_lookup_path(model) for model in freshness_models()]
    if not paths:
        return queryset.none()
    is_freshness_page = Q()
    for path in paths:
        is_freshness_page |= Q(**{f"{path}__isnull": False})
    annotations = {
        alias: _coalesce([f"{path}__{field}" for path in paths])
        for alias, field in FRESHNESS_ANNOTATIONS.items()
    }
    return queryset.filter(is_freshness_page, live=True).annotate(**annotations)


def with_review_details(queryset: PageQuerySet) -> PageQuerySet:
    """The specific pages with their maintainers, in due-date order, StreamFields deferred:
    one query for the list, then two per page type, whatever the number of pages."""
    return (
        queryset.order_by(F("review_due").asc(nulls_last=True), "title", "pk")
        .specific()
        .defer_streamfields()
        .prefetch_related("maintainers", for_specific_subqueries=True)
    )


def pages_due_for_review(
    today: date | None = None, *, queryset: PageQuerySet | None = None
) -> PageQuerySet:
    """Live pages of every FreshnessMixin type whose review date has passed, most overdue
    first, specific, with their maintainers prefetched."""
    today = today or timezone.localdate()
    return with_review_details(pages_with_freshness(queryset).filter(review_due__lt=today))


def pages_due_soon(
    today: date | None = None,
    *,
    days: int = DUE_SOON_DAYS,
    queryset: PageQuerySet | None = None,
) -> PageQuerySet:
    """Live FreshnessMixin pages not yet overdue but due within `days` days."""
    today = today or timezone.localdate()
    return with_review_details(
        pages_with_freshness(queryset).filter(
            review_due__gte=today, review_due__lte=today + timedelta(days=days)
        )
    )


def pages_reviewed_since(
    today: date | None = None,
    *,
    days: int = RECENTLY_REVIEWED_DAYS,
    queryset: PageQuerySet | None = None,
) -> PageQuerySet:
    """Live FreshnessMixin pages reviewed within the last `days` days."""
    today = today or timezone.localdate()
    return with_review_details(
        pages_with_freshness(queryset).filter(
            reviewed_on__gte=today - timedelta(days=days), reviewed_on__lte=today
        )
    )


def freshness_counts(
    today: date | None = None, *, queryset: PageQuerySet | None = None
) -> dict[str, int]:
    """How many live pages are overdue, due within 30 days, and were reviewed in the last
    30 days (one query)."""
    today = today or timezone.localdate()
    return pages_with_freshness(queryset).aggregate(
        overdue=Count("pk", filter=Q(review_due__lt=today)),
        due_soon=Count(
            "pk",
            filter=Q(
                review_due__gte=today,
                review_due__lte=today + timedelta(days=DUE_SOON_DAYS),
            ),
        ),
        reviewed_recently=Count(
            "pk",
            filter=Q(
                reviewed_on__gte=today - timedelta(days=RECENTLY_REVIEWED_DAYS),
                reviewed_on__lte=today,
            ),
        ),
    )
