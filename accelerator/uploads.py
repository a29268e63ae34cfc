"""Uploads past the limit are refused while they stream, not after the whole body is read.

Django bounds a request's form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not its files: a 1 GiB
"deck" would be written to a temporary file in full before any view could say it is too big.
This handler, first in FILE_UPLOAD_HANDLERS, counts the bytes of every file of the request as
they arrive and stops the parser once they pass FILE_UPLOAD_MAX_BYTES: the rest of the body is
never read (connection_reset), the file is left out of request.FILES, and the request says why,
so the view can tell the person instead of "choose a file"."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext


class UploadLimitHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.FILE_UPLOAD_MAX_BYTES:
            if self.request is not None:
                self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers keep the file


def upload_too_large(request: HttpRequest) -> str:
    """The message for a request whose upload was stopped for its size, else ""."""
    request.FILES  # noqa: B018 (parses the body, which sets the flag)
    if not getattr(request, "upload_too_large", False):
        return ""
    return gettext("The file is larger than %(limit)d MB: it was not uploaded.") % {
        "limit": settings.FILE_UPLOAD_MAX_BYTES // (1024 * 1024)
    }
