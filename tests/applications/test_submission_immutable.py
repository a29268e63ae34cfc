"""A submitted version is immutable in the database itself, on PostgreSQL and on SQLite alike:
raw SQL cannot change or delete it, except to redact personal data (inside
redaction_allowed()) or to forget who submitted it."""

import pytest
from django.db import DatabaseError, connection, transaction

from applications.models import Application, Submission
from applications.models.applications import redaction_allowed
from tests.factories.applications import submitted_application

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

REFUSAL = r"A submitted version never changes \(applications_submission"


def raw(sql: str, params: list) -> None:
    # A savepoint of its own: on PostgreSQL a refused statement aborts the transaction it is in.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_raw_update_of_a_submitted_version_is_refused():
    submission = submitted_application().submissions.get()

    with pytest.raises(DatabaseError, match=REFUSAL):
        raw("UPDATE applications_submission SET sha256 = %s WHERE id = %s",
            ["0" * 64, submission.pk])  # fmt: skip

    assert Submission.objects.get().sha256 == submission.sha256


def test_a_raw_delete_of_a_submitted_version_is_refused():
    submission = submitted_application().submissions.get()

    with pytest.raises(DatabaseError, match=REFUSAL):
        raw("DELETE FROM applications_submission WHERE id = %s", [submission.pk])

    assert Submission.objects.count() == 1


def test_deleting_an_application_with_submitted_versions_is_refused():
    application = submitted_application()

    with pytest.raises(DatabaseError, match=REFUSAL), transaction.atomic():
        Application.objects.filter(pk=application.pk).delete()

    assert (Application.objects.count(), Submission.objects.count()) == (1, 1)


def test_redaction_passes_and_the_permission_ends_with_it():
    submission = submitted_application().submissions.get()

    with transaction.atomic(), redaction_allowed():
        raw("UPDATE applications_submission SET content = %s WHERE id = %s",
            ['{"redacted": true}', submission.pk])  # fmt: skip

    assert Submission.objects.get().content == {"redacted": True}
    with pytest.raises(DatabaseError, match=REFUSAL):
        raw("UPDATE applications_submission SET sha256 = %s WHERE id = %s",
            ["0" * 64, submission.pk])  # fmt: skip


def test_forgetting_who_submitted_passes():
    submission = submitted_application().submissions.get()

    raw("UPDATE applications_submission SET submitted_by_id = NULL WHERE id = %s",
        [submission.pk])  # fmt: skip

    assert Submission.objects.get().submitted_by_id is None


def test_forgetting_who_submitted_cannot_change_anything_else():
    submission = submitted_application().submissions.get()

    with pytest.raises(DatabaseError, match=REFUSAL):
        raw("UPDATE applications_submission SET submitted_by_id = NULL, sha256 = %s "
            "WHERE id = %s", ["0" * 64, submission.pk])  # fmt: skip


def test_redaction_allowed_outside_a_transaction_is_refused_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's SET LOCAL needs no such guard")
    # pytest-django's test transaction: leave it for the duration of the check.
    connection.in_atomic_block, was = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError), redaction_allowed():
            pass
    finally:
        connection.in_atomic_block = was
