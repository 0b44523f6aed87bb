"""Related rows already at hand, stored where the ORM looks for prefetched ones."""

from django.db.models import QuerySet


def set_prefetched(instance, name: str, queryset: QuerySet, rows: list) -> None:
    """Store `rows` where `instance.<name>.all()` finds them, as prefetch_related would."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset
