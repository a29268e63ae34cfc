"""The staff outbox: managers read the emails about their cohorts, superusers every email;
codes and links stay hidden; a draft is released and a failed email sent again from here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import EmailKind, EmailState, OutgoingEmail
from tests.factories import queue_email, staff_member
from tests.factories.applications import open_cohort
from tests.factories.cohorts import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    program = ProgramFactory()
    user = staff_member(programs=[program])
    user.cohort = open_cohort(program=program, name="2025 cohort")
    client.force_login(user)
    return user


def subjects(response) -> list[str]:
    return [email.subject for email in response.context["page"].object_list]


def test_a_manager_sees_only_the_emails_about_their_cohorts(client, manager):
    queue_email(subject="Ours", cohort_id=manager.cohort.pk)
    queue_email(subject="Theirs", cohort_id=open_cohort().pk)
    queue_email(subject="Account notice")  # about no cohort: superusers only

    response = client.get(reverse("staff:outbox"))
    theirs = OutgoingEmail.objects.get(subject="Theirs")

    assert subjects(response) == ["Ours"]
    assert response.context["page"].object_list[0].cohort_name == "2025 cohort"
    assert client.get(reverse("staff:email", args=[theirs.pk])).status_code == 404


def test_a_superuser_sees_every_email(client, manager):
    queue_email(subject="Ours", cohort_id=manager.cohort.pk)
    queue_email(subject="Account notice")
    client.force_login(staff_member(superuser=True))

    response = client.get(reverse("staff:outbox"))

    assert subjects(response) == ["Account notice", "Ours"]


def test_filters_narrow_the_outbox(client, manager):
    queue_email(subject="Queued one", cohort_id=manager.cohort.pk)
    queue_email(subject="Draft one", cohort_id=manager.cohort.pk, draft=True)

    drafts = client.get(reverse("staff:outbox"), {"state": "draft"})
    searched = client.get(reverse("staff:outbox"), {"q": "queued"})
    bogus = client.get(reverse("staff:outbox"), {"cohort": "nope"})

    assert subjects(drafts) == ["Draft one"]
    assert subjects(searched) == ["Queued one"]
    assert bogus.context["form"].errors["cohort"] == [
        "Select a valid choice. nope is not one of the available choices."
    ]


def test_a_secret_body_is_never_shown(client, manager):
    email = queue_email(kind=EmailKind.TEAM_INVITATION, body_text="Accept: /invitations/SECRET/",
                        cohort_id=manager.cohort.pk)  # fmt: skip

    page = client.get(reverse("staff:email", args=[email.pk])).content.decode()

    assert "SECRET" not in page
    assert "its text is not shown to staff" in page


def test_a_manager_releases_a_draft_and_resends_a_failed_email(client, manager):
    draft = queue_email(subject="Draft", cohort_id=manager.cohort.pk, draft=True)
    failed = queue_email(subject="Failed", cohort_id=manager.cohort.pk)
    OutgoingEmail.objects.filter(pk=failed.pk).update(state=EmailState.FAILED, next_attempt_at=None)

    released = client.post(reverse("staff:email_action", args=[draft.pk, "release"]))
    resent = client.post(reverse("staff:email_action", args=[failed.pk, "resend"]))
    again = client.post(reverse("staff:email_action", args=[draft.pk, "release"]), follow=True)

    assert released["Location"] == reverse("staff:email", args=[draft.pk])
    assert resent.status_code == 302
    states = dict(OutgoingEmail.objects.values_list("subject", "state"))
    assert states == {"Draft": EmailState.QUEUED, "Failed": EmailState.QUEUED}
    assert "Only a draft can be released." in again.content.decode()


# Session, user and MFA check; the staff scope; the names of its cohorts; the applications the
# reader is in conflict with (their emails are hidden); the count; the page; the backlog
# (emails due and not sent).
QUERIES_FOR_THE_OUTBOX = 9


@pytest.mark.parametrize("count", [10, 100])
def test_the_outbox_takes_the_same_queries_at_10_and_100(client, manager, count):
    for index in range(count):
        queue_email(subject=f"Email {index}", cohort_id=manager.cohort.pk)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staff:outbox"))

    assert len(response.context["page"].object_list) == min(count, 50)
    assert len(queries) == QUERIES_FOR_THE_OUTBOX


def test_the_outbox_shows_how_many_emails_are_due_and_how_long_the_oldest_waited(client, manager):
    import time_machine

    from tests.factories import queue_email

    with time_machine.travel("2026-11-23 10:00Z", tick=False) as clock:
        queue_email(subject="Oldest", cohort_id=manager.cohort.pk)
        clock.move_to("2026-11-23 11:00Z")
        queue_email(subject="Newer", cohort_id=manager.cohort.pk)
        queue_email(subject="Draft", cohort_id=manager.cohort.pk, draft=True)
        queue_email(subject="Theirs", cohort_id=open_cohort().pk)
        clock.move_to("2026-11-23 12:00Z")
        response = client.get(reverse("staff:outbox"))

    assert (response.context["due_count"], response.context["due_since"].isoformat()) == (
        2,
        "2026-11-23T10:00:00+00:00",
    )
    assert (
        "2 emails are due and not sent yet; the oldest has waited 2\xa0hours."
        in response.content.decode()
    )


def test_the_outbox_says_nothing_of_a_backlog_when_nothing_is_due(client, manager):
    response = client.get(reverse("staff:outbox"))

    assert response.context["due_count"] == 0
    assert "due and not sent" not in response.content.decode()
