"""The decision record never changes, on PostgreSQL and on SQLite."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from selection import decisions
from selection.models import DecisionRecord
from tests.factories import staff_member
from tests.factories.applications import open_cohort, submitted_application

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def record():
    cohort = open_cohort()
    manager = staff_member(programs=[cohort.program])
    for outcome in ["winner", "rejected"]:
        application = submitted_application(cohort=cohort, deck_pages=None)
        decisions.decision_set(application=application, outcome=outcome, actor=manager,
                               feedback="Bravo", note="Private")  # fmt: skip
    fingerprint = decisions.publication_state(cohort).fingerprint
    return decisions.decisions_publish(cohort=cohort, actor=manager, fingerprint=fingerprint)


def test_the_downloaded_record_hashes_to_the_stored_hash(client, record):
    manager = record.cohort.program.managers.get()
    client.force_login(manager)

    response = client.get(reverse("staff:decision_record_download", args=[record.cohort_id]))

    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == record.sha256
    assert b"Bravo" not in response.content
    assert b"Private" not in response.content


def test_save_update_and_delete_raise(record):
    record.content = "{}"
    with pytest.raises(PermissionDenied):
        record.save()
    with pytest.raises(PermissionDenied):
        DecisionRecord.objects.filter(pk=record.pk).update(content="{}")
    with pytest.raises(PermissionDenied):
        record.delete()
    with pytest.raises(PermissionDenied):
        DecisionRecord.objects.filter(pk=record.pk).delete()


def test_the_database_refuses_a_raw_update_and_delete(record):
    table = DecisionRecord._meta.db_table
    for statement in [f"UPDATE {table} SET content = '{{}}'", f"DELETE FROM {table}"]:
        with (
            pytest.raises(DatabaseError, match="A decision record never changes"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    stored = DecisionRecord.objects.get(pk=record.pk)
    assert hashlib.sha256(stored.content.encode()).hexdigest() == record.sha256


def test_an_admin_post_is_refused(client, record):
    client.force_login(staff_member(superuser=True))
    url = reverse("admin:selection_decisionrecord_change", args=[record.pk])

    change = client.post(url, {"content": "{}", "sha256": "0" * 64})
    delete = client.post(
        reverse("admin:selection_decisionrecord_delete", args=[record.pk]), {"post": "yes"}
    )

    assert (change.status_code, delete.status_code) == (403, 403)
    assert DecisionRecord.objects.get(pk=record.pk).content == record.content


def test_a_record_cannot_be_replaced_by_an_insert(record):
    """SQLite's INSERT OR REPLACE deletes the row it meets without firing the DELETE trigger;
    PostgreSQL's nearest, an upsert, is an UPDATE."""
    table = DecisionRecord._meta.db_table
    columns = "(id, cohort_id, content, sha256, created_at)"
    values = f"VALUES (%s, %s, '{{}}', '{'0' * 64}', %s)"
    statement = {
        "sqlite": f"INSERT OR REPLACE INTO {table} {columns} {values}",
        "postgresql": f"INSERT INTO {table} {columns} {values} ON CONFLICT (id) DO UPDATE"
        " SET content = EXCLUDED.content, sha256 = EXCLUDED.sha256",
    }[connection.vendor]

    with (
        pytest.raises(DatabaseError, match="A decision record never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [record.pk, record.cohort_id, record.created_at])

    stored = DecisionRecord.objects.get(pk=record.pk)
    assert (stored.content, stored.sha256) == (record.content, record.sha256)
