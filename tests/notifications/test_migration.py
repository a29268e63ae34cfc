"""OutgoingEmail moved from applications to notifications: its table, rows and content type
come along, whatever state each row is in."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from notifications.models import EmailState, OutgoingEmail
from tests.clock import clock_pinned
from tests.factories import queue_email

pinned_clock = clock_pinned()  # every date here is relative to the clock

BEFORE_THE_MOVE = [
    ("applications", "0007_submission_immutable_in_postgresql"),
    ("notifications", None),
]

# The states an outbox row could be in then (cancelled and skipped came with reminders).
STATES_AT_THE_MOVE = [state for state in EmailState if state not in ("cancelled", "skipped")]


def migrate_to(targets=None) -> MigrationExecutor:
    """Migrate the test database to `targets`, or to the latest migrations."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()  # what is applied now
    return executor


def content_type_ids(app_label: str) -> list[int]:
    return list(
        ContentType.objects.filter(app_label=app_label, model="outgoingemail").values_list(
            "pk", flat=True
        )
    )


@pytest.mark.django_db(transaction=True)
def test_moving_the_outbox_keeps_every_row_and_its_content_type():
    [content_type_id] = content_type_ids("notifications")
    try:
        executor = migrate_to(BEFORE_THE_MOVE)
        # The state at applications 0007 alone: notifications has no migration applied.
        old_apps = executor.loader.project_state(BEFORE_THE_MOVE[:1]).apps
        OldOutgoingEmail = old_apps.get_model("applications", "OutgoingEmail")
        now = timezone.now()
        before = {}
        for state in STATES_AT_THE_MOVE:
            email = OldOutgoingEmail.objects.create(
                kind="generic",
                to_address=f"{state.value}@startup.example",
                from_address="noreply@accelerator.example",
                subject=f"An email in state {state.value}",
                language="en",
                state=state.value,
                next_attempt_at=now if state == EmailState.QUEUED else None,
                sending_since=now if state == EmailState.SENDING else None,
                sent_at=now if state == EmailState.SENT else None,
            )
            before[email.pk] = (state.value, email.subject)
        content_types_before = (content_type_ids("applications"), content_type_ids("notifications"))

        migrate_to()
    finally:
        migrate_to()  # leave the database as every other test expects it, even after a failure
        ContentType.objects.clear_cache()

    assert content_types_before == ([content_type_id], [])
    assert {email.pk: (email.state, email.subject) for email in OutgoingEmail.objects.all()} == (
        before
    )
    assert (content_type_ids("applications"), content_type_ids("notifications")) == (
        [],
        [content_type_id],
    )
    new = queue_email(subject="After the move", cohort_id=3)
    assert new.pk not in before
    assert OutgoingEmail.objects.get(pk=new.pk).state == EmailState.QUEUED
    assert len(before) == len(STATES_AT_THE_MOVE) == 6
