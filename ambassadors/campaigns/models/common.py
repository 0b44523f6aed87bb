"""What the campaign models share: amounts in euros and lines of text."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


CENT = Decimal("0.01")


def euros(amount) -> Decimal:
    """A sum of amounts, in euros and cents: SQLite's SUM drops the trailing zeros (690 for
    690.00) where PostgreSQL keeps them, so sums are given the amounts' own two decimals."""
    return (amount or Decimal(0)).quantize(CENT)


def money_field(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=NON_NEGATIVE,
        **kwargs,
    )


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
