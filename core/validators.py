"""Upload validation shared by every app (content is the bottom layer; all apps may import it)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_PIXELS = 40_000_000


def validate_image_upload(upload, *, max_bytes: int | None = None) -> None:
    """Refuse files that are too large, are not really images, or would decompress into a
    bomb, whatever their name claims."""
    max_bytes = max_bytes or settings.AVATAR_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is too large (%(size)s MB at most)."),
            code="file_too_large",
            params={"size": max_bytes // (1024 * 1024)},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            if image.format not in ALLOWED_IMAGE_FORMATS:
                raise ValidationError(
                    _("Upload a JPEG, PNG, WebP or GIF image."), code="invalid_image_format"
                )
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("This image has too many pixels."), code="image_too_big")
            image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("This image has too many pixels."), code="image_too_big") from exc
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for broken files
        raise ValidationError(_("This file is not a valid image."), code="invalid_image") from exc
    finally:
        if hasattr(upload, "seek"):
            upload.seek(position)
