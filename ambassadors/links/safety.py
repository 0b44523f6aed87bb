"""Links members give (application links, mission proofs): http(s) to a public host only."""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

PRIVATE_HOST_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home", ".intranet")


def is_private_host(host: str) -> bool:
    host = (host or "").strip("[]").rstrip(".").lower()
    if (
        not host
        or host == "localhost"
        or host.endswith(PRIVATE_HOST_SUFFIXES)
        or "." not in host
        and ":" not in host
    ):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:  # 2130706433, 0x7f000001: numeric hosts browsers read as addresses
            address = ipaddress.ip_address(int(host, 0))
        except ValueError:
            return False
    return not address.is_global


def validate_public_url(value: str) -> str:
    """The URL, stripped, if it is an http(s) link to a public host; ValidationError else."""
    value = (value or "").strip()
    if urlsplit(value).scheme.lower() not in ("http", "https"):
        raise ValidationError(
            _("Give a web address starting with http:// or https://."), code="scheme"
        )
    URLValidator(schemes=["http", "https"])(value)
    if is_private_host(urlsplit(value).hostname or ""):
        raise ValidationError(_("This address points to a private network."), code="private")
    return value
