"""Staff's view of a cohort's reminders (planned, written, previews) and messages to a cohort."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from applications.reminders import deadline_reminders_sweep
from notifications.models import EmailKind, EmailState, OutgoingEmail
from tests.factories import UserFactory, staff_member
from tests.factories.applications import (
    StartupFactory,
    bulk_applications,
    make_application,
    open_cohort,
    submitted_application,
)
from tests.factories.cohorts import CohortFactory, ProgramFactory, QuestionFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def manager(client):
    program = ProgramFactory()
    user = staff_member(programs=[program], email="manager@stationf.example")
    client.force_login(user)
    user.program = program
    return user


@pytest.fixture
def after_the_first_mark():
    """The 7-day mark of a cohort closing on 16 August 2024 has passed."""
    with time_machine.travel("2024-08-10 10:00 +02:00", tick=False):
        yield


def test_the_reminders_page_lists_what_is_planned_written_and_a_preview(
    client, manager, after_the_first_mark
):
    cohort = CohortFactory(program=manager.program, name="Summer 2024")
    QuestionFactory(cohort=cohort, required=True, label="What do you build?")
    make_application(cohort=cohort, startup=StartupFactory(name="Lumen"))
    make_application(cohort=cohort)
    deadline_reminders_sweep(cohort.closes_at - 7 * DAY + timedelta(seconds=1))
    OutgoingEmail.objects.filter(kind=EmailKind.DEADLINE_REMINDER).update(
        state=EmailState.SENT, next_attempt_at=None
    )

    page = client.get(reverse("staff:cohort_reminders", args=[cohort.pk])).content.decode()

    assert "Drafts are reminded 7 days, 2 days, 3 hours before the closing time." in page
    assert (
        "<td>14 August 2024, 23:59:59</td><td>Application deadline reminder</td><td>2 days</td>"
        '<td class="number">2</td>'
    ) in page
    assert "<td>16 August 2024, 20:59:59</td>" in page
    assert "9 August 2024, 23:59:59" not in page  # written already
    assert (
        '<th scope="row">Application deadline reminder</th><td class="number">0</td>'
        '<td class="number">2</td>'
    ) in page
    assert f"<strong>Your application is not submitted yet: {cohort}</strong>" in page
    assert "- What do you build?" in page
    assert "Nobody would get one today." in page  # no reviews yet


@pytest.mark.parametrize("drafts", [2, 20])
def test_the_reminders_page_reads_in_the_same_number_of_queries_at_any_size(
    client, manager, after_the_first_mark, drafts, django_assert_num_queries
):
    cohort = CohortFactory(program=manager.program)
    bulk_applications(cohort, drafts=drafts)
    deadline_reminders_sweep(cohort.closes_at - 7 * DAY + timedelta(seconds=1))
    url = reverse("staff:cohort_reminders", args=[cohort.pk])
    client.get(url)  # sessions and the staff scope warmed up

    with django_assert_num_queries(18):
        assert client.get(url).status_code == 200


def test_another_programs_manager_cannot_see_a_cohorts_reminders(client, manager):
    cohort = CohortFactory()

    assert client.get(reverse("staff:cohort_reminders", args=[cohort.pk])).status_code == 404


def message(**overrides) -> dict:
    return {
        "audience": "submitted",
        "subject_en": "Demo day on 5 September",
        "body_en": "Keep the afternoon free.",
        "subject_fr": "Journée de démo le 5 septembre",
        "body_fr": "Gardez l’après-midi libre.",
    } | overrides


def test_a_message_is_previewed_then_sent_to_each_member_in_their_language(client, manager):
    cohort = open_cohort(program=manager.program)
    anne, bruno = UserFactory(language="fr"), UserFactory(language="en")
    submitted_application(cohort=cohort, startup=StartupFactory(members=[anne, bruno]))
    make_application(cohort=cohort)  # a draft: not in this audience
    url = reverse("staff:cohort_message", args=[cohort.pk])

    preview = client.post(url, message() | {"preview": ""}).content.decode()

    assert "Preview: 2 people will receive it" in preview
    assert "Journée de démo le 5 septembre" in preview
    assert OutgoingEmail.objects.filter(kind=EmailKind.COHORT_MESSAGE).count() == 0

    response = client.post(url, message() | {"send": ""})
    again = client.post(url, message() | {"send": ""})

    assert response.status_code == again.status_code == 302
    sent = OutgoingEmail.objects.filter(kind=EmailKind.COHORT_MESSAGE, cohort_id=cohort.pk)
    assert sorted(sent.values_list("to_address", "subject", "language", "body_text")) == sorted(
        [
            (anne.email, "Journée de démo le 5 septembre", "fr", "Gardez l’après-midi libre."),
            (bruno.email, "Demo day on 5 September", "en", "Keep the afternoon free."),
        ]
    )
    page = client.get(reverse("staff:cohort_reminders", args=[cohort.pk])).content.decode()
    assert "Journée de démo le 5 septembre" in page


def test_without_a_french_version_french_readers_get_the_english_one(client, manager):
    cohort = CohortFactory(program=manager.program)
    anne = UserFactory(language="fr")
    make_application(cohort=cohort, startup=StartupFactory(members=[anne]))

    client.post(
        reverse("staff:cohort_message", args=[cohort.pk]),
        message(audience="drafts", subject_fr="", body_fr="") | {"send": ""},
    )

    [email] = OutgoingEmail.objects.filter(kind=EmailKind.COHORT_MESSAGE)
    assert (email.to_address, email.subject, email.language) == (
        anne.email, "Demo day on 5 September", "en",
    )  # fmt: skip


def test_a_half_written_french_version_is_refused_with_a_clear_message(client, manager):
    cohort = CohortFactory(program=manager.program)

    response = client.post(
        reverse("staff:cohort_message", args=[cohort.pk]), message(body_fr="") | {"send": ""}
    )

    assert response.status_code == 200
    assert "Write both the French subject and text, or neither." in response.content.decode()
    assert OutgoingEmail.objects.filter(kind=EmailKind.COHORT_MESSAGE).count() == 0
