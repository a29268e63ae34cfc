"""Deadline reminders: who gets one, when, once, and what it says."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from applications import services
from applications.privacy import PRIVACY_NOTICE_VERSION
from applications.reminders import deadline_reminder_key, deadline_reminders_sweep
from notifications.models import EmailKind, EmailState, OutgoingEmail, Unsubscription
from notifications.reminders import moment_display, reminders_sweep
from notifications.services import email_deliver, outbox_sweep
from tests.clock import clock_pinned
from tests.factories import UserFactory
from tests.factories.applications import (
    StartupFactory,
    bulk_applications,
    make_application,
    submitted_application,
)
from tests.factories.cohorts import CohortFactory, QuestionFactory

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

DAY, HOUR = timedelta(days=1), timedelta(hours=1)
SECOND = timedelta(seconds=1)


def reminders():
    return OutgoingEmail.objects.filter(kind=EmailKind.DEADLINE_REMINDER)


def states() -> list[tuple[str, str]]:
    return sorted(reminders().values_list("idempotency_key", "state"))


def test_300_drafts_get_one_reminder_per_mark_and_none_between():
    cohort = CohortFactory()
    bulk_applications(cohort, drafts=300, changed=20, submitted=50)
    counts = []

    for offset in (7 * DAY, 2 * DAY, 3 * HOUR):
        mark = cohort.closes_at - offset
        before = reminders().count()
        deadline_reminders_sweep(mark - SECOND)
        just_before = reminders().count() - before
        deadline_reminders_sweep(mark + SECOND)
        counts.append((just_before, reminders().count() - before - just_before))

    assert counts == [(0, 320), (0, 320), (0, 320)]
    assert reminders().filter(state=EmailState.QUEUED).count() == 960
    changed = reminders().filter(subject__startswith="Your changes are not submitted yet")
    assert changed.count() == 60


@pytest.mark.parametrize("drafts", [10, 100])
def test_the_sweep_reads_and_writes_in_the_same_number_of_queries_at_any_size(
    drafts, django_assert_num_queries
):
    cohort = CohortFactory()
    QuestionFactory(cohort=cohort, required=True, label="What do you build?")
    bulk_applications(cohort, drafts=drafts, changed=2, submitted=2)

    with django_assert_num_queries(9):
        written = deadline_reminders_sweep(cohort.closes_at - 2 * DAY + SECOND)
    with django_assert_num_queries(4):
        again = deadline_reminders_sweep(cohort.closes_at - 2 * DAY + 2 * SECOND)

    assert (written, again) == (2 * (drafts + 2), 0)


@pytest.mark.both_databases
def test_only_the_nearest_due_offset_is_sent_and_the_earlier_recorded_skipped():
    cohort = CohortFactory()
    application = make_application(cohort=cohort)
    user = application.startup.memberships.get().user
    closes = int(cohort.closes_at.timestamp())

    deadline_reminders_sweep(cohort.closes_at - 2 * DAY + HOUR)

    assert states() == [
        (f"deadline:{application.pk}:{user.pk}:10080:{closes}", EmailState.SKIPPED),
        (f"deadline:{application.pk}:{user.pk}:2880:{closes}", EmailState.QUEUED),
    ]


def test_no_reminder_after_the_deadline_or_before_the_first_offset():
    cohort = CohortFactory()
    make_application(cohort=cohort)

    assert deadline_reminders_sweep(cohort.closes_at) == 0
    assert deadline_reminders_sweep(cohort.closes_at - 7 * DAY - SECOND) == 0
    assert reminders().count() == 0


@pytest.mark.both_databases
def test_submitted_applications_get_none_and_changed_ones_are_told_so():
    with time_machine.travel("2024-07-01 12:00 +02:00", tick=False):
        cohort = CohortFactory()
        question = QuestionFactory(cohort=cohort, required=False, label="Your market?")
        unchanged = submitted_application(cohort=cohort)
        changed = submitted_application(cohort=cohort, answers={question: "Lawyers"})
    with time_machine.travel("2024-07-02 12:00 +02:00", tick=False):
        founder = changed.startup.memberships.get().user
        services.answer_save(
            application=changed, question=question, value="SMEs", base_version=1, user=founder
        )

    deadline_reminders_sweep(cohort.closes_at - 3 * HOUR + SECOND)

    [email] = reminders().filter(state=EmailState.QUEUED)
    assert email.recipient == changed.startup.memberships.get().user
    assert email.subject == f"Your changes are not submitted yet: {cohort}"
    assert unchanged.pk not in [int(key.split(":")[1]) for key, _state in states()]


@pytest.mark.both_databases
def test_every_member_of_the_startup_gets_one_in_their_language_and_zone():
    cohort = CohortFactory(name="AI Builders 2024", name_fr="AI Builders 2024")
    QuestionFactory(cohort=cohort, required=True, label="What do you build?",
                    label_fr="Que construisez-vous ?")  # fmt: skip
    QuestionFactory(cohort=cohort, required=False, label="Anything else?")
    ana = UserFactory(language="fr", time_zone="America/Montreal", email="ana@startup.example")
    ben = UserFactory(language="en", time_zone="Europe/Paris", email="ben@startup.example")
    startup = StartupFactory(name="Lumen", members=[ana, ben])
    application = make_application(cohort=cohort, startup=startup)

    deadline_reminders_sweep(cohort.closes_at - 2 * DAY + SECOND)

    french = reminders().get(recipient=ana, state=EmailState.QUEUED)
    english = reminders().get(recipient=ben, state=EmailState.QUEUED)
    url = f"http://localhost:8000/fr/applications/{application.pk}/"
    assert french.subject == f"Votre candidature n’est pas encore envoyée : {cohort}"
    assert french.language == "fr"
    assert "Les candidatures ferment le 16 août 2024 à 23:59:59 (heure de Paris)." in (
        french.body_text
    )
    assert "Dans votre fuseau horaire : 16 août 2024 à 17:59:59 (fuseau America/Montreal)." in (
        french.body_text
    )
    assert "Encore à répondre :\n- Que construisez-vous ?\n" in french.body_text
    assert url in french.body_text
    assert url in french.body_html
    assert "16 août 2024 à 17:59:59 (fuseau America/Montreal)" in french.body_html
    assert "Applications close on 16 August 2024 at 23:59:59 (Paris time)." in english.body_text
    assert "In your time zone" not in english.body_text
    assert "Still to answer:\n- What do you build?\n" in english.body_text
    assert "Anything else?" not in english.body_text
    assert english.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert english.headers["List-Unsubscribe"].startswith(
        "<http://localhost:8000/notifications/unsubscribe/"
    )
    assert english.send_before == cohort.closes_at


@pytest.mark.parametrize(
    ("language", "zone", "expected"),
    [
        ("fr", "America/Montreal", "16 août 2024 à 17:59:59 (fuseau America/Montreal)"),
        ("fr", "Europe/Paris", "16 août 2024 à 23:59:59 (heure de Paris)"),
        ("en", "Asia/Tokyo", "17 August 2024 at 06:59:59 (Asia/Tokyo time)"),
        ("en", "Europe/Paris", "16 August 2024 at 23:59:59 (Paris time)"),
    ],
)
def test_the_closing_time_is_stated_exactly_per_language_and_zone(language, zone, expected):
    from django.utils import translation

    cohort = CohortFactory()

    with translation.override(language):
        assert moment_display(cohort.closes_at, zone) == expected


def test_an_extension_moves_the_reminders_and_cancels_the_ones_for_the_old_deadline():
    cohort = CohortFactory()
    application = make_application(cohort=cohort)
    user = application.startup.memberships.get().user
    staff = UserFactory(is_staff=True)
    deadline_reminders_sweep(cohort.closes_at - 2 * DAY + SECOND)
    [old] = reminders().filter(state=EmailState.QUEUED)
    new_deadline = cohort.closes_at + 3 * DAY

    services.extension_grant(application=application, closes_at=new_deadline, reason="Illness",
                             granted_by=staff)  # fmt: skip
    with time_machine.travel(cohort.closes_at - 2 * DAY + HOUR, tick=False):
        assert email_deliver(email_id=old.pk) == EmailState.CANCELLED
    deadline_reminders_sweep(new_deadline - 2 * DAY + SECOND)

    key = deadline_reminder_key(application_id=application.pk, user_id=user.pk, offset=2880,
                                closes_at=new_deadline)  # fmt: skip
    fresh = reminders().get(idempotency_key=key)
    assert fresh.send_before == new_deadline
    with time_machine.travel(new_deadline - 2 * DAY + HOUR, tick=False):
        assert email_deliver(email_id=fresh.pk) == EmailState.SENT


def test_at_sending_time_a_reminder_no_longer_due_is_cancelled():
    with time_machine.travel("2024-07-01 12:00 +02:00", tick=False):
        cohort = CohortFactory()
        submitted_later = make_application(cohort=cohort)
        unsubscribed = make_application(cohort=cohort)
        still_draft = make_application(cohort=cohort)
    deadline_reminders_sweep(cohort.closes_at - 2 * DAY + SECOND)
    with time_machine.travel(cohort.closes_at - 2 * DAY + HOUR, tick=False):
        founder = submitted_later.startup.memberships.get().user
        services.application_submit(application=submitted_later, user=founder,
                                    privacy_notice_version=PRIVACY_NOTICE_VERSION)  # fmt: skip
        Unsubscription.objects.create(
            user=unsubscribed.startup.memberships.get().user, kind=EmailKind.DEADLINE_REMINDER
        )
        results = {
            email.idempotency_key.split(":")[1]: email_deliver(email_id=email.pk)
            for email in reminders().filter(state=EmailState.QUEUED)
        }

    assert results == {
        str(submitted_later.pk): EmailState.CANCELLED,
        str(unsubscribed.pk): EmailState.CANCELLED,
        str(still_draft.pk): EmailState.SENT,
    }
    assert [message.to for message in mail.outbox if "not submitted" in message.subject] == [
        [still_draft.startup.memberships.get().user.email]
    ]


def test_queued_reminders_past_the_deadline_are_cancelled_by_the_outbox_sweep():
    cohort = CohortFactory()
    make_application(cohort=cohort)
    deadline_reminders_sweep(cohort.closes_at - 3 * HOUR + SECOND)

    outbox_sweep(now=cohort.closes_at)

    assert sorted(reminders().values_list("state", flat=True)) == [
        EmailState.CANCELLED, EmailState.SKIPPED, EmailState.SKIPPED,
    ]  # fmt: skip


def test_a_member_who_turned_reminders_off_gets_no_row():
    cohort = CohortFactory()
    application = make_application(cohort=cohort)
    Unsubscription.objects.create(
        user=application.startup.memberships.get().user, kind=EmailKind.DEADLINE_REMINDER
    )

    assert deadline_reminders_sweep(cohort.closes_at - 3 * HOUR + SECOND) == 0


@pytest.mark.both_databases
def test_a_cohort_without_offsets_sends_none():
    cohort = CohortFactory(reminder_offsets=[])
    make_application(cohort=cohort)

    assert deadline_reminders_sweep(cohort.closes_at - 3 * HOUR + SECOND) == 0


def test_the_registered_sweep_runs_every_kind_and_counts_what_it_wrote():
    cohort = CohortFactory()
    make_application(cohort=cohort)

    written = reminders_sweep(now=cohort.closes_at - 3 * HOUR + SECOND)

    assert written[EmailKind.DEADLINE_REMINDER] == 3  # the 3-hour one, and two skipped


@pytest.mark.both_databases
def test_send_reminders_as_of_shows_the_drafts_reminders(settings):
    with time_machine.travel("2024-07-01 12:00 +02:00", tick=False):
        cohort = CohortFactory()
        make_application(cohort=cohort)
        out = StringIO()

        call_command("send_reminders", "--as-of", "2024-08-14T12:00", stdout=out)

    assert out.getvalue().splitlines()[0] == "deadline_reminder: 1 row(s) written"
    assert [message.subject for message in mail.outbox] == [
        f"Your application is not submitted yet: {cohort}"
    ]


def test_send_reminders_is_refused_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="refused"):
        call_command("send_reminders", "--as-of", "2024-08-14T12:00")


def test_send_reminders_says_what_is_wrong_with_a_bad_date():
    with pytest.raises(CommandError, match="--as-of"):
        call_command("send_reminders", "--as-of", "next tuesday")


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_on_postgresql_write_each_reminder_once():
    assert connection.vendor == "postgresql"
    cohort = CohortFactory()
    bulk_applications(cohort, drafts=40)
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        from django.db import connection as thread_connection
        from django.db import transaction

        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                deadline_reminders_sweep(cohort.closes_at - 2 * DAY + SECOND)
        except Exception as error:
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    keys = list(reminders().values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys)) == 80  # 2 days queued, 7 days skipped, for each


def test_a_deactivated_member_gets_no_reminder():
    cohort = CohortFactory()
    active, inactive = UserFactory(), UserFactory(is_active=False)
    make_application(cohort=cohort, startup=StartupFactory(members=[active, inactive]))

    deadline_reminders_sweep(cohort.closes_at - 3 * HOUR + SECOND)

    assert set(reminders().values_list("recipient", flat=True)) == {active.pk}
