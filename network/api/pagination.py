"""Keyset pagination for the API's lists: `{"items": [...], "next": "<cursor or null>"}`.

The cursor is the position of the last item sent (its values of the ordering fields, the last
one unique), so the next page is a `WHERE (a, b) > (…)` on an index, never an OFFSET: it
costs the same on page 1 and page 1,000, and an insertion between two calls neither repeats
nor skips an item. Clients treat the cursor as opaque."""

import base64
import binascii
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

from core.errors import InvalidInput

from .schemas import MAX_ID

DEFAULT_LIMIT = 20
MAX_LIMIT = 50  # as the feeds' own limit
MAX_CURSOR_LENGTH = 1000


class PageParams(Schema):
    cursor: str | None = Field(
        None, max_length=MAX_CURSOR_LENGTH, description="`next` of the previous page."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


def malformed_cursor() -> InvalidInput:
    return InvalidInput(_("The cursor is not valid. Use the `next` value of a previous page."))


def encode_cursor(values: list) -> str:
    raw = json.dumps(values, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, size: int) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise malformed_cursor() from error
    if (
        not isinstance(values, list)
        or len(values) != size
        or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values)
        # A cursor's numbers are ids and counts: beyond 64 bits no database can compare them.
        or any(isinstance(v, int) and abs(v) > MAX_ID for v in values)
    ):
        raise malformed_cursor()
    return values


def _after(order: tuple[str, ...], values: list) -> Q:
    """Rows strictly after `values` in `order`: (a > x) or (a = x and b > y) or …"""
    condition = Q()
    equal_so_far = Q()
    for field, value in zip(order, values, strict=True):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        condition |= equal_so_far & Q(**{f"{name}__{lookup}": value})
        equal_so_far &= Q(**{name: value})
    return condition


def keyset_page(
    queryset: QuerySet, *, order: tuple[str, ...], cursor: str | None, limit: int
) -> tuple[list, str | None]:
    """One page of `queryset` in `order` (whose last field is unique, e.g. "pk") after
    `cursor`, and the cursor of the next page (None on the last page)."""
    queryset = queryset.order_by(*order)
    if cursor:
        values = decode_cursor(cursor, size=len(order))
        try:
            queryset = queryset.filter(_after(order, values))
        except (DjangoValidationError, ValueError, TypeError) as error:
            raise malformed_cursor() from error
    try:
        items = list(queryset[: limit + 1])
    except (DjangoValidationError, ValueError, TypeError) as error:  # pragma: no cover
        raise malformed_cursor() from error
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    last = items[-1]
    return items, encode_cursor([_value(last, field.lstrip("-")) for field in order])


def _value(obj, name: str):
    value = getattr(obj, "pk" if name == "pk" else name)
    return value.isoformat() if hasattr(value, "isoformat") else value
