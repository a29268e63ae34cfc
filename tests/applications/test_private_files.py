"""Files in the private storage: a replaced deck or file answer goes once nothing refers to it,
and account deletion and retention leave no file behind that nothing refers to."""

import os
import time
from datetime import UTC, date, datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applications import services
from applications.enums import ApplicationStatus
from applications.models import Answer, Application
from applications.models.applications import storages_private
from applications.privacy import PRIVACY_NOTICE_VERSION
from cohorts.enums import QuestionKind
from cohorts.models import Cohort
from tests.factories import PASSWORD, UserFactory
from tests.factories.applications import StartupFactory, make_application, open_cohort
from tests.factories.cohorts import QuestionFactory
from tests.factories.files import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_root(settings, tmp_path):
    """The private storage in a folder of this test's own."""
    root = tmp_path / "private"
    settings.STORAGES = settings.STORAGES | {
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        }
    }
    return root


def private_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def stamp(name: str, at: float) -> None:
    """Sets a stored file's times from the test's clock: the kernel writes the real time, which
    a run with the clock moved (tests/clock.py) does not move."""
    os.utime(storages_private().path(name), (at, at))


def orphan(name: str) -> str:
    """A file nothing refers to, written two hours ago (as earlier code left them behind)."""
    stored = storages_private().save(name, ContentFile(b"%PDF-1.4 left behind"))
    stamp(stored, time.time() - 2 * 3600)
    return stored


def deck_upload(application, user, commit):
    with commit(execute=True):
        services.pitch_deck_upload(application=application, upload=pdf_upload(2), user=user)
    return Application.objects.get(pk=application.pk).pitch_deck.name


def submit(application, user, commit):
    with commit(execute=True):
        services.application_submit(
            application=application, user=user, privacy_notice_version=PRIVACY_NOTICE_VERSION
        )


def test_a_deck_replaced_in_a_draft_is_deleted_and_one_a_version_holds_is_kept(
    private_root, django_capture_on_commit_callbacks
):
    application = make_application()
    founder = application.startup.memberships.get().user
    first = deck_upload(application, founder, django_capture_on_commit_callbacks)
    assert private_files(private_root) == [first]

    second = deck_upload(application, founder, django_capture_on_commit_callbacks)
    assert private_files(private_root) == [second]

    submit(application, founder, django_capture_on_commit_callbacks)
    third = deck_upload(application, founder, django_capture_on_commit_callbacks)
    assert private_files(private_root) == sorted([second, third])  # version 1 holds the second

    fourth = deck_upload(application, founder, django_capture_on_commit_callbacks)
    assert private_files(private_root) == sorted([second, fourth])


def test_a_replaced_file_answer_is_deleted_unless_a_version_holds_it(
    private_root, django_capture_on_commit_callbacks
):
    cohort = open_cohort()
    question = QuestionFactory(cohort=cohort, kind=QuestionKind.FILE, word_limit=None,
                               file_types=["pdf"], required=False)  # fmt: skip
    application = make_application(cohort=cohort)
    founder = application.startup.memberships.get().user

    def answer_upload() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            services.answer_file_upload(application=application, question=question,
                                        upload=pdf_upload(1), user=founder)  # fmt: skip
        return Answer.objects.get(application=application, question=question).value["file"]

    answer_upload()
    second = answer_upload()
    assert private_files(private_root) == [second]

    submit(application, founder, django_capture_on_commit_callbacks)
    third = answer_upload()
    assert private_files(private_root) == sorted([second, third])


def test_a_replacement_rolled_back_deletes_nothing(
    private_root, django_capture_on_commit_callbacks
):
    application = make_application()
    founder = application.startup.memberships.get().user
    first = deck_upload(application, founder, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.pitch_deck_upload(application=application, upload=pdf_upload(2), user=founder)

    assert len(callbacks) == 1  # the deletion waits for a commit that, here, never comes
    assert first in private_files(private_root)


def test_deleting_an_account_leaves_no_file_that_nothing_refers_to(
    client, private_root, django_capture_on_commit_callbacks
):
    application = make_application()
    founder = application.startup.memberships.get().user
    deck_upload(application, founder, django_capture_on_commit_callbacks)
    submit(application, founder, django_capture_on_commit_callbacks)
    deck_upload(application, founder, django_capture_on_commit_callbacks)
    left_behind = orphan("decks/replaced-before-the-fix.pdf")
    other = make_application(startup=StartupFactory())
    other_founder = other.startup.memberships.get().user
    others_deck = deck_upload(other, other_founder, django_capture_on_commit_callbacks)
    just_uploaded = storages_private().save("answers/upload-in-progress.pdf", pdf_upload(1))
    stamp(just_uploaded, time.time())
    assert len(private_files(private_root)) == 5
    assert left_behind in private_files(private_root)

    client.force_login(founder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("my_data"), {"password": PASSWORD})

    assert response.status_code == 302
    assert private_files(private_root) == sorted([others_deck, just_uploaded])


def test_retention_leaves_no_file_that_nothing_refers_to(
    private_root, django_capture_on_commit_callbacks
):
    cohort = open_cohort()
    founder = UserFactory()
    application = make_application(startup=StartupFactory(members=[founder]), cohort=cohort)
    winner = make_application(cohort=cohort)
    winner_founder = winner.startup.memberships.get().user
    deck_upload(application, founder, django_capture_on_commit_callbacks)
    submit(application, founder, django_capture_on_commit_callbacks)
    deck_upload(application, founder, django_capture_on_commit_callbacks)
    winners_deck = deck_upload(winner, winner_founder, django_capture_on_commit_callbacks)
    for step in (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED,
                 ApplicationStatus.WINNER):  # fmt: skip
        winner = services.application_transition(application=winner, to_status=step, actor=None)
    left_behind = orphan("answers/replaced-before-the-fix.png")
    Cohort.objects.filter(pk=cohort.pk).update(
        opens_at=datetime(2020, 1, 1, tzinfo=UTC), closes_at=datetime(2020, 2, 1, tzinfo=UTC),
        program_starts_on=date(2020, 3, 1), program_ends_on=date(2020, 9, 1),
    )  # fmt: skip
    assert len(private_files(private_root)) == 4
    assert left_behind in private_files(private_root)

    with django_capture_on_commit_callbacks(execute=True):
        anonymised = services.retention_apply()

    assert anonymised == 1
    assert private_files(private_root) == [winners_deck]
