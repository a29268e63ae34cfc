"""An upload past the limit is refused while it streams: the body past the limit is never read,
the person is told the file is too large, and nothing is stored (#26, item 11)."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.urls import reverse

from applications.models import Application
from cohorts.enums import QuestionKind
from tests.factories.applications import make_application
from tests.factories.cohorts import QuestionFactory
from tests.factories.files import pdf_bytes

GIB = 1024**3
BOUNDARY = "sweep-boundary"


class OneGibibyteUpload(io.RawIOBase):
    """A multipart body announcing a 1 GiB file, made as it is read; counts what was read."""

    def __init__(self):
        self.head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="pitch_deck"; filename="deck.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = len(buffer)
        if self.read_bytes >= GIB:
            return 0
        start = self.head[self.read_bytes : self.read_bytes + size]
        chunk = start + b"%" * (size - len(start))
        buffer[:size] = chunk
        self.read_bytes += size
        return size


def test_a_one_gibibyte_upload_stops_being_read_just_past_the_limit():
    body = OneGibibyteUpload()
    request = WSGIRequest({
        "REQUEST_METHOD": "POST", "PATH_INFO": "/", "wsgi.input": io.BufferedReader(body),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(GIB),
    })  # fmt: skip

    files = request.FILES

    assert dict(files) == {}
    assert request.upload_too_large is True
    # What was read: the limit, and at most a few of the parser's 64 KB chunks beyond it.
    assert settings.FILE_UPLOAD_MAX_BYTES < body.read_bytes < settings.FILE_UPLOAD_MAX_BYTES + 2**20


@pytest.mark.django_db
def test_a_deck_past_the_limit_is_refused_with_the_reason_and_nothing_is_stored(client, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1024 * 1024
    application = make_application()
    client.force_login(application.startup.memberships.get().user)
    too_large = pdf_bytes(1) + b"%" * (1024 * 1024)

    response = client.post(
        reverse("pitch_deck_upload", args=[application.pk]),
        {"pitch_deck": SimpleUploadedFile("deck.pdf", too_large, "application/pdf")},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "The file is larger than 1 MB: it was not uploaded."
    ]
    assert Application.objects.get().pitch_deck.name == ""


@pytest.mark.django_db
def test_an_answer_file_past_the_limit_is_refused_in_french_for_a_french_founder(client, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1024 * 1024
    application = make_application()
    question = QuestionFactory(cohort=application.cohort, kind=QuestionKind.FILE,
                               word_limit=None, required=False)  # fmt: skip
    founder = application.startup.memberships.get().user
    founder.language = "fr"
    founder.save(update_fields=["language"])
    client.force_login(founder)

    response = client.post(
        reverse("answer_file_upload", args=[application.pk, question.pk]),
        {"file": SimpleUploadedFile("a.pdf", b"%" * (2 * 1024 * 1024), "application/pdf")},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Le fichier dépasse 1 Mo : il n'a pas été envoyé."
    ]
    assert application.answers.count() == 0
