"""Building the zip, sending its link, and handing the file to its owner."""

import json
import secrets
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import Conflict, NotFound
from core.mail import site_url, subject_line
from network.models import (
    User,
)
from network.services.personal_data.collect import collect_personal_data
from network.services.personal_data.common import EXPORT_MAX_AGE, EXPORT_SALT, logger
from network.services.personal_data.files import (
    _export_name,
    _is_expired,
    export_link,
    exports_root,
    purge_expired_exports,
)


def build_export(user: User) -> tuple[Path, str]:
    """Write the member's zip (data.json and media/); returns its path and its token."""
    data, files = collect_personal_data(user)
    token = secrets.token_urlsafe(24)
    folder = exports_root() / token
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _export_name(user.pk, int(time.time()))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for field_file, archive_name in files:
            try:
                with field_file.open("rb") as source:
                    archive.writestr(archive_name, source.read())
            except (OSError, ValueError):
                logger.warning("Export of %s: %s is missing", user.pk, field_file.name)
            finally:
                field_file.close()
    return path, token


def send_export_email(user: User, token: str) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        link = site_url(export_link(user.pk, token))
        context = {
            "user": user,
            "link": link,
            "days": EXPORT_MAX_AGE.days,
            "territory_name": getattr(settings, "TERRITORY_NAME", ""),
        }
        subject = _("Your data is ready to download")
        body = render_to_string("network/personal_data/email_export.txt", context)
    send_mail(subject_line(subject), body, None, [user.email])


def build_and_send_export(*, user_id: int) -> str | None:
    """The task's work: purge old exports, build this one, e-mail its link; returns the token."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    purge_expired_exports()
    _path, token = build_export(user)
    if user.email:
        send_export_email(user, token)
    return token


def export_file_for(*, actor: User, signed: str) -> Path:
    """The file behind a signed link, for its owner only. NotFound for anyone else or a bad
    link; Conflict (shown as 410 Gone) once expired."""
    if not actor.is_authenticated:
        raise NotFound()
    try:
        value = signing.TimestampSigner(salt=EXPORT_SALT).unsign(signed, max_age=EXPORT_MAX_AGE)
    except signing.SignatureExpired:
        raise Conflict(_("This download link has expired. Ask for a new export.")) from None
    except signing.BadSignature:
        raise NotFound() from None
    user_id, _sep, token = value.partition(":")
    if user_id != str(actor.pk) or not token or "/" in token or token.startswith("."):
        raise NotFound()
    folder = exports_root() / token
    files = sorted(folder.glob(f"territory-data-{actor.pk}-*.zip")) if folder.is_dir() else []
    if not files:
        raise NotFound()
    if _is_expired(files[-1]):
        purge_expired_exports()
        raise Conflict(_("This download link has expired. Ask for a new export."))
    return files[-1]
