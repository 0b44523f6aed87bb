"""Re-encoding of uploaded post images. Decoding and encoding again drops everything but the
pixels: EXIF (GPS position, camera serial numbers), comments and any payload hidden after the
image data. The camera's orientation is applied first so the picture still stands upright."""

import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

MAX_DIMENSION = 1600
# Formats kept as they came; anything else valid (GIF) becomes PNG, its first frame.
KEPT_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
JPEG_QUALITY = 85
WEBP_QUALITY = 82


def reencode_image(upload, *, max_dimension: int = MAX_DIMENSION) -> ContentFile:
    """A new file holding the upload's pixels, upright, at most `max_dimension` px on its
    longest side, without metadata. The upload must have passed validate_image_upload."""
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format if original.format in KEPT_FORMATS else "PNG"
        original.seek(0)  # first frame of an animation
        image = ImageOps.exif_transpose(original)
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
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{KEPT_FORMATS[image_format]}")
