"""Private files as downloads, the same for members and for staff: attachments no browser
renders or sniffs, never cached on the way."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext

from ..decks import CONTENT_TYPES, EXTENSIONS
from ..models.applications import storages_private


def private_attachment(name: str, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        storages_private().open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def deck_attachment(application, name: str) -> FileResponse:
    if not name:
        raise Http404
    return private_attachment(
        name,
        filename=gettext("%(startup)s - pitch deck.pdf") % {"startup": application.startup.name},
        content_type="application/pdf",
    )


def answer_file_attachment(application, question_id: int, value) -> FileResponse:
    """A file answer's value ({"file", "type", …}) as a download; 404 for anything else."""
    if not isinstance(value, dict) or not value.get("file") or value.get("type") not in EXTENSIONS:
        raise Http404
    return private_attachment(
        value["file"],
        filename=f"{application.startup.name} - {question_id}.{EXTENSIONS[value['type']]}",
        content_type=CONTENT_TYPES[value["type"]],
    )
