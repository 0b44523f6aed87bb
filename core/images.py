"""Every image a member uploads is re-encoded here, whatever the path it came by (a form, a
service, the API, the Wagtail admin, a future one). Decoding and encoding again drops
everything but the pixels: EXIF (GPS position, camera serial numbers), comments and any payload
hidden in or after the image data, so a GIF/JS polyglot never comes back byte for byte. The
camera's orientation is applied first so the picture still stands upright.

`strip_uploaded_images` is a pre_save receiver for every model (connected once, in
content's AppConfig.ready): any image field holding a file not yet written to storage is
re-encoded before it is, unless the file already came out of `reencode_image` (services that
also resize, such as posts, re-encode outside their transaction first). Renditions are
Wagtail's own output from an already clean original and are left alone."""

import io
import uuid

from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps

MAX_DIMENSION = 1600
# Formats kept as they came; anything else valid (GIF) becomes PNG, its first frame.
KEPT_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
JPEG_QUALITY = 85
WEBP_QUALITY = 82


class CleanImageFile(ContentFile):
    """Bytes that came out of reencode_image: pixels only."""

    metadata_stripped = True


def reencode_image(upload, *, max_dimension: int | None = MAX_DIMENSION) -> CleanImageFile:
    """A new file holding the upload's pixels, upright, at most `max_dimension` px on its
    longest side (None: as large as it came), without metadata. The upload must have passed
    validate_image_upload."""
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format if original.format in KEPT_FORMATS else "PNG"
        original.seek(0)  # first frame of an animation
        image = ImageOps.exif_transpose(original)
        if max_dimension:
            image.thumbnail((max_dimension, max_dimension), Image.Resampling.LANCZOS)
        # Colour profiles are not personal data and keep colours right; everything else goes.
        icc_profile = original.info.get("icc_profile")

    output = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **options)
    elif image_format == "WEBP":
        image.save(output, "WEBP", quality=WEBP_QUALITY, **options)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(output, "PNG", optimize=True, **options)
    return CleanImageFile(
        output.getvalue(), name=f"{uuid.uuid4().hex}.{KEPT_FORMATS[image_format]}"
    )


_image_fields: dict[type, tuple[str, ...]] = {}


def _image_field_names(model) -> tuple[str, ...]:
    names = _image_fields.get(model)
    if names is None:
        from wagtail.images.models import AbstractRendition

        if issubclass(model, AbstractRendition):
            names = ()
        else:
            names = tuple(
                field.name
                for field in model._meta.concrete_fields
                if isinstance(field, models.ImageField)
            )
        _image_fields[model] = names
    return names


def _needs_cleaning(file) -> bool:
    if not file or file._committed:
        return False
    content = getattr(file, "file", None)
    return not getattr(content, "metadata_stripped", False)


def strip_uploaded_images(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loading fixtures: files are already stored
        return
    names = _image_field_names(sender)
    if not names:
        return
    cleaned = False
    for name in names:
        file = getattr(instance, name)
        if _needs_cleaning(file):
            # Sizes are the callers' choice (posts shrink to 1600 px); only metadata goes here.
            setattr(instance, name, reencode_image(file, max_dimension=None))
            cleaned = True
    if cleaned and hasattr(instance, "_set_image_file_metadata"):
        instance._set_image_file_metadata()  # a Wagtail image's size and hash of the new bytes


def connect() -> None:
    models.signals.pre_save.connect(strip_uploaded_images, dispatch_uid="strip_uploaded_images")
