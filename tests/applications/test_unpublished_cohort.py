"""A founder whose startup has a draft in a cohort that is (or became) unpublished reaches
nothing of it: every applicant URL that leads to the cohort is a 404, and the dashboard does not
list the draft. Published again, everything is back."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application
from cohorts.enums import QuestionKind
from cohorts.models import Cohort
from tests.factories import UserFactory
from tests.factories.applications import make_application, open_cohort
from tests.factories.cohorts import ProgramFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """A draft in an open cohort that is then unpublished; its founder is `.founder`."""
    cohort = open_cohort(name="2027 cohort", slug="2027")
    QuestionFactory(cohort=cohort, kind=QuestionKind.SHORT_TEXT, word_limit=None)
    QuestionFactory(cohort=cohort, kind=QuestionKind.FILE, word_limit=None, required=False)
    application = make_application(cohort=cohort)
    Cohort.objects.filter(pk=cohort.pk).update(is_published=False)
    application.founder = application.startup.memberships.get().user
    return application


def applicant_requests(application) -> dict[str, tuple[str, str, dict]]:
    """Name → (method, URL, data) of every applicant URL that reaches the application's cohort."""
    cohort = application.cohort
    text = cohort.questions.get(kind=QuestionKind.SHORT_TEXT)
    file = cohort.questions.get(kind=QuestionKind.FILE)
    apply = reverse("apply", args=[cohort.program.slug, cohort.slug])
    pdf = b"%PDF-1.4\n%%EOF\n"
    return {
        "apply": ("get", apply, {}),
        "apply (start)": ("post", apply, {"startup": application.startup_id}),
        "application": ("get", reverse("application", args=[application.pk]), {}),
        "answer_autosave": (
            "post",
            reverse("answer_autosave", args=[application.pk, text.pk]),
            {"value": "Lumen Legal AI", "version": "0"},
        ),
        "application_submit": ("get", reverse("application_submit", args=[application.pk]), {}),
        "application_submit (post)": (
            "post",
            reverse("application_submit", args=[application.pk]),
            {"privacy_notice_version": "1"},
        ),
        "pitch_deck_upload": (
            "post",
            reverse("pitch_deck_upload", args=[application.pk]),
            {"pitch_deck": SimpleUploadedFile("deck.pdf", pdf, "application/pdf")},
        ),
        "answer_file_upload": (
            "post",
            reverse("answer_file_upload", args=[application.pk, file.pk]),
            {"file": SimpleUploadedFile("deck.pdf", pdf, "application/pdf")},
        ),
        "application_withdraw": ("get", reverse("application_withdraw", args=[application.pk]), {}),
    }


def _statuses(client, application) -> dict[str, int]:
    return {
        name: getattr(client, method)(url, data).status_code
        for name, (method, url, data) in applicant_requests(application).items()
    }


def test_every_applicant_url_of_an_unpublished_cohort_is_404_to_its_founder(client, draft):
    client.force_login(draft.founder)

    statuses = _statuses(client, draft)

    assert statuses == dict.fromkeys(statuses, 404)
    assert Application.objects.get().status == ApplicationStatus.DRAFT
    assert draft.answers.count() == 0
    assert not Application.objects.get().pitch_deck


def test_every_applicant_url_of_an_unpublished_cohort_is_404_to_a_manager_of_another_program(
    client, draft
):
    manager = UserFactory(is_staff=True)
    TOTP.activate(manager, generate_totp_secret())
    ProgramFactory().managers.add(manager)
    client.force_login(manager)

    statuses = _statuses(client, draft)

    assert statuses == dict.fromkeys(statuses, 404)


def test_applying_to_an_unpublished_cohort_is_404_before_asking_to_log_in(client, draft):
    cohort = draft.cohort
    apply = reverse("apply", args=[cohort.program.slug, cohort.slug])
    Cohort.objects.filter(pk=cohort.pk).update(is_published=True)
    published = client.get(apply)
    Cohort.objects.filter(pk=cohort.pk).update(is_published=False)

    unpublished = client.get(apply)

    assert (published.status_code, published["Location"]) == (302, f"/accounts/login/?next={apply}")
    assert unpublished.status_code == 404


def test_the_dashboard_lists_the_draft_only_while_its_cohort_is_published(client, draft):
    client.force_login(draft.founder)
    hidden = client.get(reverse("dashboard")).content.decode()
    Cohort.objects.filter(pk=draft.cohort_id).update(is_published=True)

    shown = client.get(reverse("dashboard")).content.decode()
    page = client.get(reverse("application", args=[draft.pk]))

    assert ("2027 cohort" in hidden, "2027 cohort" in shown) == (False, True)
    assert page.status_code == 200
