"""Partner logos: raster images only, re-encoded so nothing but pixels survives an upload."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
LOGO_MAX_PIXELS = 4096 * 4096


def _open_logo(file) -> Image.Image:
    file.seek(0)
    try:
        image = Image.open(file)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The logo must be a PNG, JPEG or WebP image (SVG is not accepted)."),
            code="logo_format",
        ) from error
    finally:
        file.seek(0)
    if image.format not in LOGO_FORMATS:
        raise ValidationError(
            _("The logo must be a PNG, JPEG or WebP image (SVG is not accepted)."),
            code="logo_format",
        )
    if image.width * image.height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo is too large: at most 4096 × 4096 pixels."), code="logo_size"
        )
    return image


def validate_logo(file) -> None:
    """Judged by the bytes, never by the name or the declared type."""
    _open_logo(file)


def reencoded_logo(file) -> ContentFile:
    """The same picture written anew in its own format, under a random name: metadata, trailing
    bytes and anything else an upload carried are dropped."""
    image = _open_logo(file)
    image_format = image.format
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, format=image_format)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{LOGO_FORMATS[image_format]}")
