"""What every e-mail the site sends shares: a one-line subject and the site's own address.

Every subject goes through `subject_line()`: a title or a name typed by a member may hold a
line break, and a header with one makes Django refuse the whole message (BadHeaderError), so
the person is never told. Links in e-mails are built by `site_url()` from the default Wagtail
site (hostname and port, as `make run` or the deployment sets them), the same address the
pages' canonical links, the sitemap and the API's `html_url` give.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What str.splitlines() breaks on.
LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def subject_line(text) -> str:
    """`text` on one line: line breaks (CR, LF, and the Unicode ones) and runs of blanks
    become one space."""
    return " ".join(str(text).split())


def validate_single_line(value) -> None:
    """For titles and names that end up in e-mail subjects, feeds and calendar entries."""
    if value and LINE_BREAK.search(str(value)):
        raise ValidationError(_("Write this on a single line."), code="multiple_lines")


def site_root_url() -> str:
    """The scheme, host and port of the default Wagtail site, without a trailing slash;
    WAGTAILADMIN_BASE_URL when there is no site yet. Kept a minute in the cache, and
    forgotten when a site changes (core/caches.py)."""
    from core.caches import SITE_ROOT_URL

    return SITE_ROOT_URL.get_or_set(default=_default_site_root_url)


def _default_site_root_url() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if site is None:
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return site.root_url.rstrip("/")


def forget_site_root_url(**kwargs) -> None:
    from core.caches import SITE_ROOT_URL

    SITE_ROOT_URL.forget([()])


def site_url(path: str = "/", *, root: str | None = None) -> str:
    """The absolute address of `path` on the site (pass `root` when building many links)."""
    return (root or site_root_url()) + path
