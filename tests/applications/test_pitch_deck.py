"""Pitch decks: checked by their bytes and by opening them, stored privately, served only to
their startup's members."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from applications.models import Application
from tests.clock import clock_pinned
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, make_application
from tests.factories.files import pdf_bytes
from tests.fixtures.pdfs import MALFORMED

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (20, 20), "#2f5bea").save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def member(client):
    application = make_application()
    client.force_login(application.startup.memberships.get().user)
    client.application = application
    return client


def upload(client, content: bytes, name: str = "deck.pdf"):
    return client.post(
        reverse("pitch_deck_upload", args=[client.application.pk]),
        {"pitch_deck": SimpleUploadedFile(name, content, "application/pdf")},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_real_pdf_is_accepted_and_stored_under_a_random_name(member):
    response = upload(member, pdf_bytes(12), name="Our Secret Deck v3.pdf")

    application = Application.objects.get()
    assert messages_of(response) == ["Your pitch deck is uploaded."]
    assert application.pitch_deck_pages == 12
    assert application.pitch_deck.name.startswith("decks/")
    assert "Secret" not in application.pitch_deck.name
    assert len(application.pitch_deck_sha256) == 64


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (png_bytes(), "This file is not a PDF. Export your deck as PDF."),
        (pdf_bytes(password="hunter2"),
         "This PDF is protected by a password. Upload it without protection."),
        (pdf_bytes(31), "The deck has 31 pages: 30 at most."),
        # Stopped while it streams, before the deck's own checks (accelerator/uploads.py).
        (b"%PDF-1.7\n" + b"0" * (21 * 1024 * 1024),
         "The file is larger than 20 MB: it was not uploaded."),
        (pdf_bytes(3)[:-600], "This PDF is incomplete (it was cut short). Export it again."),
    ],
    ids=["png-renamed", "encrypted", "31-pages", "21-mb", "truncated"],
)  # fmt: skip
def test_what_is_not_an_acceptable_deck_is_refused_with_its_reason(member, content, message):
    response = upload(member, content)

    assert messages_of(response) == [message]
    assert not Application.objects.get().pitch_deck


def test_download_sends_the_deck_as_an_attachment_with_safe_headers(member):
    content = pdf_bytes(2)
    upload(member, content)

    response = member.get(reverse("pitch_deck_download", args=[member.application.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_another_startup_and_anonymous_users_get_404(member):
    upload(member, pdf_bytes(2))
    url = reverse("pitch_deck_download", args=[member.application.pk])
    stranger = Client()
    other = UserFactory()
    StartupFactory(members=[other])
    stranger_logged_in = Client()
    stranger_logged_in.force_login(other)

    assert stranger.get(url).status_code == 404
    assert stranger_logged_in.get(url).status_code == 404
    refused_upload = stranger_logged_in.post(
        reverse("pitch_deck_upload", args=[member.application.pk]),
        {"pitch_deck": SimpleUploadedFile("deck.pdf", pdf_bytes(1))},
    )
    assert refused_upload.status_code == 404


def test_no_deck_is_reachable_under_media_url(member, settings):
    upload(member, pdf_bytes(2))
    name = Application.objects.get().pitch_deck.name

    for path in (f"/media/{name}", f"/{name}", f"{settings.MEDIA_URL or '/'}{name}"):
        assert Client().get(path).status_code == 404


def test_the_submitted_version_refers_to_the_deck(member):
    from applications.snapshots import application_content

    upload(member, pdf_bytes(4))
    application = Application.objects.get()

    deck = application_content(application)["deck"]

    assert deck == {
        "file": application.pitch_deck.name,
        "sha256": application.pitch_deck_sha256,
        "pages": 4,
    }


@pytest.fixture
def file_question(member):
    from tests.factories.cohorts import QuestionFactory

    return QuestionFactory(
        cohort=member.application.cohort, kind="file", word_limit=None, file_types=["png"],
        label="A screenshot of your product",
    )  # fmt: skip


def upload_answer_file(client, question, content: bytes, name: str):
    return client.post(
        reverse("answer_file_upload", args=[client.application.pk, question.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_a_file_question_takes_the_types_it_accepts_by_their_bytes(member, file_question):
    from applications.models import Answer

    refused = upload_answer_file(member, file_question, pdf_bytes(1), "screenshot.png")
    accepted = upload_answer_file(member, file_question, png_bytes(), "screenshot.pdf")

    assert messages_of(refused) == ["This question accepts: PNG."]
    assert messages_of(accepted) == ["Your file is uploaded."]
    value = Answer.objects.get(question=file_question).value
    assert value["type"] == "png"
    assert value["file"].startswith("answers/")
    assert value["file"].endswith(".png")
    download = member.get(
        reverse("answer_file_download", args=[member.application.pk, file_question.pk])
    )
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert Client().get(download.request["PATH_INFO"]).status_code == 404


def test_a_required_file_question_blocks_submitting_until_uploaded(member, file_question):
    page = member.get(reverse("application_submit", args=[member.application.pk]))

    assert "A screenshot of your product</a>: This question needs an answer." in (
        page.content.decode()
    )


@pytest.mark.parametrize(
    ("content", "message"), MALFORMED.values(), ids=MALFORMED.keys()
)  # fmt: skip
def test_a_malformed_pdf_is_refused_as_a_deck_with_its_reason(member, content, message):
    response = upload(member, content)

    assert response.redirect_chain[0][1] == 302
    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert not Application.objects.get().pitch_deck


@pytest.mark.parametrize(
    ("content", "message"), MALFORMED.values(), ids=MALFORMED.keys()
)  # fmt: skip
def test_a_malformed_pdf_is_refused_by_a_file_question_with_its_reason(
    member, file_question, content, message
):
    from applications.models import Answer

    file_question.file_types = ["pdf", "png"]
    file_question.save()

    response = upload_answer_file(member, file_question, content, "appendix.pdf")

    assert response.redirect_chain[0][1] == 302
    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert not Answer.objects.filter(question=file_question).exists()


def test_the_decks_message_is_beside_its_field_not_at_the_top_of_the_page(member):
    response = upload(member, png_bytes())

    page = response.content.decode()
    deck_section = page.split('id="pitch-deck"')[1]
    top = page.split('id="main"')[0]
    assert response.redirect_chain[-1][0].endswith("#pitch-deck")
    assert "This file is not a PDF. Export your deck as PDF." in deck_section
    assert "This file is not a PDF." not in top
