"""Pending decisions under the cohort's capacity, publication, the record and the lottery."""

import hashlib
import json
import threading

import pytest
from django.db import connection

from applications import services as application_services
from applications.enums import ApplicantStatus, ApplicationStatus
from applications.selectors import applicant_status
from cohorts.models import Cohort
from notifications.models import EmailKind, EmailState, OutgoingEmail
from selection import decisions
from selection.decisions import DecisionError
from selection.models import Decision, DecisionOutcome, DecisionRecord, Lottery
from tests.clock import clock_pinned
from tests.factories import staff_member
from tests.factories.applications import submitted_application
from tests.factories.reviews import reviewing_cohort
from tests.races import LockGate

from .world import reviewed_cohort

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

W, L, R = DecisionOutcome.WINNER, DecisionOutcome.WAITLISTED, DecisionOutcome.REJECTED


def _cohort_with(count: int, capacity: int):
    cohort = reviewing_cohort(capacity=capacity)
    manager = staff_member(programs=[cohort.program])
    applications = [submitted_application(cohort=cohort, deck_pages=None) for _ in range(count)]
    return cohort, manager, applications


def _race_for_winners(applications, manager):
    """Every application at once tries to become a winner; returns (successes, messages).

    Between the capacity check and the write, each request waits at a gate that opens when all
    of them have checked (without the lock: each then writes on a capacity none has filled) or
    when every other one is seen waiting on a database lock (with the lock, only one at a time
    ever gets there: it goes on at once rather than waiting out a timeout)."""
    count = len(applications)
    start = threading.Barrier(count)
    hook = LockGate(count)

    def work(application):
        try:
            start.wait()
            decisions.decision_set(application=application, outcome=W, actor=manager)
            successes.append(application.pk)
        except DecisionError as error:
            refusals.append(str(error))
        finally:
            connection.close()

    successes, refusals = [], []
    original = decisions.after_capacity_check
    decisions.after_capacity_check = hook
    try:
        threads = [threading.Thread(target=work, args=(a,)) for a in applications]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        decisions.after_capacity_check = original
    return successes, refusals


@pytest.mark.django_db(transaction=True)
def test_twenty_at_once_make_exactly_five_winners_in_each_of_ten_runs():
    cohort, manager, applications = _cohort_with(20, capacity=5)

    for _ in range(10):
        successes, refusals = _race_for_winners(applications, manager)

        assert len(successes) == 5
        assert refusals == ["This cohort takes 5 winners; it already has 5."] * 15
        assert Decision.objects.filter(cohort=cohort, outcome=W).count() == 5
        Decision.objects.filter(cohort=cohort).delete()


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_twenty_at_once_all_become_winners(monkeypatch):
    cohort, manager, applications = _cohort_with(20, capacity=5)
    monkeypatch.setattr(
        decisions, "_lock_cohort", lambda cohort_id: Cohort.objects.get(pk=cohort_id)
    )

    successes, refusals = _race_for_winners(applications, manager)

    assert (len(successes), refusals) == (20, [])
    assert Decision.objects.filter(cohort=cohort, outcome=W).count() == 20


def test_a_sixth_winner_is_refused_with_the_capacity():
    _, manager, applications = _cohort_with(6, capacity=5)
    for application in applications[:5]:
        decisions.decision_set(application=application, outcome=W, actor=manager)

    with pytest.raises(DecisionError, match=r"This cohort takes 5 winners; it already has 5\."):
        decisions.decision_set(application=applications[5], outcome=W, actor=manager)
    # Changing a winner's own decision is not a sixth.
    decisions.decision_set(application=applications[0], outcome=W, actor=manager, note="sure")


def test_waitlist_positions_follow_each_other_and_a_withdrawal_drops_the_decision():
    _, manager, applications = _cohort_with(3, capacity=5)
    first = decisions.decision_set(application=applications[0], outcome=L, actor=manager)
    second = decisions.decision_set(application=applications[1], outcome=L, actor=manager)

    with pytest.raises(DecisionError, match=r"Position 1 on the waitlist is taken\."):
        decisions.decision_set(
            application=applications[2], outcome=L, actor=manager, waitlist_position=1
        )
    application_services.application_transition(
        application=applications[1], to_status=ApplicationStatus.WITHDRAWN,
        actor=applications[1].startup.memberships.first().user,
    )  # fmt: skip

    assert (first.waitlist_position, second.waitlist_position) == (1, 2)
    assert list(Decision.objects.values_list("application_id", flat=True)) == [applications[0].pk]


def _decide_all(applications, manager, winners=2, waitlisted=1):
    for i, application in enumerate(applications):
        outcome = W if i < winners else L if i < winners + waitlisted else R
        decisions.decision_set(application=application, outcome=outcome, actor=manager,
                               feedback=f"Feedback {i}", note=f"Note {i}")  # fmt: skip


def test_publication_applies_every_decision_and_drafts_emails_in_each_language():
    world = reviewed_cohort(capacity=2)
    cohort, applications = world.cohort, world.applications
    manager = staff_member(programs=[cohort.program])
    member = applications[0].startup.memberships.first().user
    member.language = "fr"
    member.save()
    _decide_all(applications, manager)
    state = decisions.publication_state(cohort)

    record = decisions.decisions_publish(cohort=cohort, actor=manager,
                                         fingerprint=state.fingerprint)  # fmt: skip

    cohort.refresh_from_db()
    statuses = [a.status for a in type(applications[0]).objects.filter(
        pk__in=[a.pk for a in applications]).order_by("pk")]  # fmt: skip
    assert statuses == ["winner", "winner", "waitlisted", "rejected"]
    assert cohort.decisions_published_at == record.created_at
    emails = OutgoingEmail.objects.filter(kind=EmailKind.DECISION).order_by("pk")
    assert [e.state for e in emails] == [EmailState.DRAFT] * 4
    assert emails[0].language == "fr"
    assert emails[0].subject.startswith("Félicitations")
    assert "Feedback 0" in emails[0].body_text
    assert emails[3].subject.startswith("Your application to")
    content = json.loads(record.content)
    outcomes = [a["decision"] for a in content["applications"]]
    assert outcomes == ["winner", "winner", "waitlisted", "rejected"]
    assert "Note 0" not in record.content
    assert "Feedback 0" not in record.content
    assert content["applications"][0]["interview_scores"] == []
    assert hashlib.sha256(record.content.encode()).hexdigest() == record.sha256
    applications[0].refresh_from_db()
    assert applicant_status(applications[0]) == ApplicantStatus.SELECTED


def test_before_publication_a_pending_decision_is_not_told():
    world = reviewed_cohort(capacity=2)
    manager = staff_member(programs=[world.cohort.program])
    _decide_all(world.applications, manager)

    Application = type(world.applications[0])
    told = [applicant_status(Application.objects.get(pk=a.pk)) for a in world.applications]
    assert len(set(told)) == 1
    assert told[0] not in (ApplicantStatus.SELECTED, ApplicantStatus.WAITLISTED,
                           ApplicantStatus.NOT_SELECTED)  # fmt: skip
    assert OutgoingEmail.objects.filter(kind=EmailKind.DECISION).count() == 0


def test_publication_is_refused_after_a_decision_changed_behind_the_page():
    world = reviewed_cohort(capacity=2)
    manager = staff_member(programs=[world.cohort.program])
    _decide_all(world.applications, manager)
    state = decisions.publication_state(world.cohort)
    decisions.decision_set(application=world.applications[3], outcome=L, actor=manager)

    with pytest.raises(DecisionError, match="changed since you opened this page"):
        decisions.decisions_publish(cohort=world.cohort, actor=manager,
                                    fingerprint=state.fingerprint)  # fmt: skip
    assert Cohort.objects.get(pk=world.cohort.pk).decisions_published_at is None


def test_publication_needs_every_application_decided_then_reject_remaining():
    world = reviewed_cohort(capacity=2)
    manager = staff_member(programs=[world.cohort.program])
    decisions.decision_set(application=world.applications[0], outcome=W, actor=manager)
    state = decisions.publication_state(world.cohort)

    with pytest.raises(DecisionError, match="needs a decision"):
        decisions.decisions_publish(cohort=world.cohort, actor=manager,
                                    fingerprint=state.fingerprint)  # fmt: skip
    assert decisions.decisions_reject_remaining(cohort=world.cohort, actor=manager) == 3
    assert decisions.publication_state(world.cohort).ready


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publications_give_one():
    world = reviewed_cohort(capacity=2)
    manager = staff_member(programs=[world.cohort.program])
    _decide_all(world.applications, manager)
    fingerprint = decisions.publication_state(world.cohort).fingerprint
    barrier = threading.Barrier(2)
    results = []

    def work():
        try:
            barrier.wait()
            decisions.decisions_publish(cohort=world.cohort, actor=manager,
                                        fingerprint=fingerprint)  # fmt: skip
            results.append("published")
        except DecisionError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["These decisions are already published.", "published"]
    assert DecisionRecord.objects.count() == 1
    assert OutgoingEmail.objects.filter(kind=EmailKind.DECISION).count() == 4


def test_decision_emails_stay_drafts_until_sent_then_queued_once():
    world = reviewed_cohort(capacity=2)
    manager = staff_member(programs=[world.cohort.program])
    _decide_all(world.applications, manager)
    state = decisions.publication_state(world.cohort)
    decisions.decisions_publish(cohort=world.cohort, actor=manager,
                                fingerprint=state.fingerprint)  # fmt: skip
    emails = decisions.decision_emails(world.cohort).order_by("pk")
    decisions.decision_email_edit(email=emails[0], subject="Edited", body_text="New text")

    assert decisions.decision_emails_send_all(cohort=world.cohort) == 4
    assert decisions.decision_emails_send_all(cohort=world.cohort) == 0
    assert set(emails.values_list("state", flat=True)) == {EmailState.QUEUED}
    assert emails[0].subject == "Edited"


# --- Lottery


def test_the_lottery_records_group_and_hash_before_the_bytes_and_draws_once():
    cohort, manager, applications = _cohort_with(4, capacity=2)
    decisions.decision_set(application=applications[0], outcome=W, actor=manager)
    group = [a.pk for a in applications[1:]]

    recorded = decisions.lottery_record(cohort=cohort, group=group, actor=manager)
    assert (recorded.random_bytes, recorded.seed, recorded.result) == ("", "", [])
    assert recorded.estimates_hash == decisions.estimates_hash(cohort)
    assert recorded.places == 1
    lottery = decisions.lottery_draw(cohort=cohort, actor=manager, random_bytes=b"\x01" * 32)

    seed = decisions.lottery_seed(estimates_hash=recorded.estimates_hash, group=group,
                                  random_bytes=b"\x01" * 32)  # fmt: skip
    assert lottery.seed == seed.hex()
    assert lottery.result == decisions.lottery_draw_from(seed=seed, group=group, places=3)[:1]
    winners = Decision.objects.filter(cohort=cohort, outcome=W)
    assert sorted(winners.values_list("application_id", flat=True)) == sorted(
        [applications[0].pk, *lottery.result]
    )
    with pytest.raises(DecisionError, match="a draw is final"):
        decisions.lottery_draw(cohort=cohort, actor=manager)
    assert Lottery.objects.get(cohort=cohort).random_bytes == "01" * 32


def test_the_same_bytes_group_and_estimates_give_the_same_draw():
    seed = decisions.lottery_seed(estimates_hash="a" * 64, group=[3, 1, 2], random_bytes=b"x" * 32)

    assert decisions.lottery_draw_from(seed=seed, group=[1, 2, 3], places=2) == (
        decisions.lottery_draw_from(seed=seed, group=[2, 3, 1], places=2)
    )
