"""Pitch decks: a PDF judged by its bytes and by opening it, never by its name."""

import hashlib
import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _
from pypdf import PdfReader

logger = logging.getLogger(__name__)

DECK_MAX_BYTES = 20 * 1024 * 1024
DECK_MAX_PAGES = 30
EOF_WINDOW = 1024


def validate_pitch_deck(upload: File) -> int:
    """Raise ValidationError with the reason the file is not an acceptable deck; return its
    page count otherwise."""
    if upload.size > DECK_MAX_BYTES:
        raise ValidationError(
            _("The deck is %(size).1f MB: 20 MB at most.") % {"size": upload.size / 1024 / 1024},
            code="too_big",
        )
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise ValidationError(_("This file is not a PDF. Export your deck as PDF."), code="not_pdf")
    upload.seek(max(upload.size - EOF_WINDOW, 0))
    if b"%%EOF" not in upload.read():
        raise ValidationError(
            _("This PDF is incomplete (it was cut short). Export it again."), code="truncated"
        )
    pages = pdf_page_count(upload)
    if pages > DECK_MAX_PAGES:
        raise ValidationError(
            _("The deck has %(pages)d pages: 30 at most.") % {"pages": pages}, code="too_long"
        )
    return pages


def pdf_page_count(upload: File) -> int:
    """The number of pages of a PDF, read by opening it and walking its page tree; a
    ValidationError with the reason if it cannot be read, is protected by a password, or has
    no page."""
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:
        # Hostile or broken files make pypdf raise far more than PdfReadError: LimitReachedError
        # (a very deep page tree), NotImplementedError (an unknown encryption scheme),
        # RecursionError, and built-in errors from its parser. Whatever it is, the file cannot be
        # read, which is the user's answer; the log keeps the kind for us.
        logger.warning("Unreadable PDF upload: %r", error)
        raise ValidationError(
            _("This PDF cannot be opened. Export it again."), code="unreadable"
        ) from error
    finally:
        upload.seek(0)
    if encrypted:
        raise ValidationError(
            _("This PDF is protected by a password. Upload it without protection."),
            code="encrypted",
        )
    if pages == 0:
        raise ValidationError(_("This PDF has no pages. Export it again."), code="no_pages")
    return pages


def deck_file_name(instance, filename: str) -> str:
    """A random name: the uploaded name says nothing and is never used."""
    return f"decks/{uuid.uuid4().hex}.pdf"


def file_sha256(file: File) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


# What a file question accepts: the type each format is recognised as, by its bytes.
PILLOW_FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "webp": "webp"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
}
ANSWER_FILE_MAX_BYTES = 20 * 1024 * 1024


def answer_file_type(upload: File, accepted: list[str]) -> str:
    """The type of an answer's file, recognised by its bytes, if the question accepts it;
    ValidationError with the reason otherwise."""
    from PIL import Image, UnidentifiedImageError

    names = ", ".join(EXTENSIONS[kind].upper() for kind in accepted)
    if upload.size > ANSWER_FILE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size).1f MB: 20 MB at most.") % {"size": upload.size / 1024 / 1024}
        )
    upload.seek(0)
    if upload.read(5) == b"%PDF-":
        detected = "pdf"
    else:
        upload.seek(0)
        try:
            with Image.open(upload) as image:
                image.verify()
                detected = PILLOW_FORMATS.get(image.format, "")
        except (UnidentifiedImageError, OSError):
            detected = ""
    upload.seek(0)
    if detected not in accepted:
        raise ValidationError(_("This question accepts: %(types)s.") % {"types": names})
    if detected == "pdf":
        pdf_page_count(upload)  # refuses what cannot be read, is protected, or has no pages
    return detected


def answer_file_name(kind: str) -> str:
    return f"answers/{uuid.uuid4().hex}.{EXTENSIONS[kind]}"
