"""Every write of campaigns: pages, the API and the demo call these; each checks who may."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.errors import InvalidInput

MAX_EUROS = Decimal("99999999.99")


def euros(value, *, field: str = "") -> Decimal:
    """A non-negative amount in euros, two decimals at most; InvalidInput else."""
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise InvalidInput(
            _("%(field)s: give an amount in euros, like 250 or 99.90.")
            % {"field": field or _("Amount")}
        )
    if amount < 0:
        raise InvalidInput(
            _("%(field)s: an amount cannot be negative.") % {"field": field or _("Amount")}
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(
            _("%(field)s: two decimals at most (cents).") % {"field": field or _("Amount")}
        )
    if amount > MAX_EUROS:
        raise InvalidInput(
            _("%(field)s: this amount is too large.") % {"field": field or _("Amount")}
        )
    return amount.quantize(Decimal("0.01"))
