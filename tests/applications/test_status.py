import pytest

from applications import services
from applications.enums import TRANSITIONS, ApplicationStatus
from applications.models import Application, ApplicationEvent
from applications.models.applications import StatusChangeRefused
from tests.clock import clock_pinned
from tests.factories.applications import make_application

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

# Sorted: a frozenset's order changes between processes (string hashing), and pytest-xdist
# needs every worker to collect the same tests in the same order.
ALLOWED = [(before, after) for before, afters in TRANSITIONS.items() for after in sorted(afters)]
REFUSED = [
    (before, after)
    for before in ApplicationStatus
    for after in ApplicationStatus
    if after not in TRANSITIONS[before]
]


@pytest.mark.parametrize(("before", "after"), ALLOWED)
def test_every_allowed_transition_succeeds_and_writes_its_event(before, after):
    application = make_application(status=before)
    actor = application.startup.memberships.first().user

    moved = services.application_transition(
        application=application, to_status=after, actor=actor, note="by the test"
    )

    assert Application.objects.get(pk=application.pk).status == after == moved.status
    event = ApplicationEvent.objects.filter(application=application).last()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        before,
        after,
        actor,
        "by the test",
    )


@pytest.mark.parametrize(("before", "after"), REFUSED)
def test_every_other_transition_is_refused(before, after):
    application = make_application(status=before)
    events_before = ApplicationEvent.objects.count()

    with pytest.raises(services.ApplicationError):
        services.application_transition(application=application, to_status=after, actor=None)

    assert Application.objects.get(pk=application.pk).status == before
    assert ApplicationEvent.objects.count() == events_before


def test_table_covers_every_status():
    assert set(TRANSITIONS) == set(ApplicationStatus)
    assert len(ALLOWED) + len(REFUSED) == len(ApplicationStatus) ** 2


def test_save_refuses_a_status_change_outside_the_service():
    application = make_application()
    application.status = ApplicationStatus.WINNER

    with pytest.raises(StatusChangeRefused):
        application.save()

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_save_refuses_creating_an_application_with_another_status_than_draft():
    template = make_application()
    copy = Application(
        startup=template.startup, cohort=template.cohort, status=ApplicationStatus.SUBMITTED
    )

    with pytest.raises(StatusChangeRefused):
        copy.save()


def test_update_refuses_a_status_change_outside_the_service():
    application = make_application()

    with pytest.raises(StatusChangeRefused):
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.WINNER)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_bulk_update_refuses_a_status_change_outside_the_service():
    application = make_application()
    application.status = ApplicationStatus.WINNER

    with pytest.raises(StatusChangeRefused):
        Application.objects.bulk_update([application], ["status"])

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_other_fields_save_freely():
    application = make_application(status=ApplicationStatus.SUBMITTED)
    application.privacy_notice_version = "2024-06"

    application.save()
    Application.objects.filter(pk=application.pk).update(privacy_notice_version="2024-07")

    assert Application.objects.get(pk=application.pk).privacy_notice_version == "2024-07"


def test_the_database_keeps_the_status_to_known_values():
    from django.db import IntegrityError, connection

    application = make_application()

    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_application SET status = 'approved' WHERE id = %s",
            [application.pk],
        )


def test_a_stale_copy_never_writes_its_old_status_back():
    application = make_application()
    stale = Application.objects.get(pk=application.pk)
    services.application_transition(
        application=application, to_status=ApplicationStatus.SUBMITTED, actor=None
    )

    stale.privacy_notice_version = "2024-06"
    stale.save()

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    stale.refresh_from_db()
    assert stale.status == ApplicationStatus.SUBMITTED
    stale.save()  # the refreshed copy saves freely


def test_the_database_refuses_to_change_or_delete_a_submitted_version():
    from django.db import DatabaseError, connection, transaction

    from applications.models import Submission
    from applications.snapshots import application_content, content_sha256

    application = make_application(status=ApplicationStatus.SUBMITTED)
    content = application_content(application)
    submission = Submission.objects.create(
        application=application, number=1, content=content, sha256=content_sha256(content)
    )

    for statement in (
        "UPDATE applications_submission SET sha256 = 'forged' WHERE id = %s",
        "DELETE FROM applications_submission WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [submission.pk])

    assert Submission.objects.get(pk=submission.pk).sha256 == content_sha256(content)
