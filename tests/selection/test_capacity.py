"""Capacity at publication (#26): the capacity never goes below the winners a cohort holds
(the admin says so), under the cohort's lock that decisions take; publication checks it again
under the same lock."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.models import Cohort
from selection import decisions, offers
from selection.decisions import DecisionError
from selection.models import Decision, DecisionOutcome, DecisionRecord, Offer
from tests.factories import staff_member
from tests.factories.applications import submitted_application
from tests.factories.reviews import reviewing_cohort
from tests.races import LockGate

pytestmark = pytest.mark.django_db

W = DecisionOutcome.WINNER


def _winners(count: int, *, capacity: int, extra: int = 0):
    cohort = reviewing_cohort(capacity=capacity)
    manager = staff_member(programs=[cohort.program])
    applications = [
        submitted_application(cohort=cohort, deck_pages=None) for _ in range(count + extra)
    ]
    for application in applications[:count]:
        decisions.decision_set(application=application, outcome=W, actor=manager)
    return cohort, manager, applications


def test_publication_refuses_more_winners_than_the_capacity_and_the_page_says_so(client):
    cohort, manager, _ = _winners(5, capacity=5)
    # Lowered behind the decisions' back, as the admin allowed before the capacity had a floor.
    Cohort.objects.filter(pk=cohort.pk).update(capacity=2)
    client.force_login(manager)
    url = reverse("staff:decisions_publish", args=[cohort.pk])
    fingerprint = decisions.publication_state(Cohort.objects.get(pk=cohort.pk)).fingerprint

    page = client.get(url).content.decode()
    decisions_page = client.get(reverse("staff:decisions", args=[cohort.pk])).content.decode()
    refused = client.post(url, {"fingerprint": fingerprint}, follow=True).content.decode()

    message = (
        "This cohort takes 2 winners and 5 are chosen: change winners to the waitlist, or raise "
        "the capacity, before publishing."
    )
    assert message in page
    assert message in decisions_page
    assert 'name="fingerprint"' not in page
    assert message in refused
    assert Cohort.objects.get(pk=cohort.pk).decisions_published_at is None
    assert (DecisionRecord.objects.count(), Offer.objects.count()) == (0, 0)


def _admin_post(client, cohort, capacity: str):
    url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None
        and key not in {"required_stages", "reminder_offsets", "opens_at", "closes_at"}
    }
    paris = [timezone.localtime(cohort.opens_at), timezone.localtime(cohort.closes_at)]
    data |= {
        "opens_at_0": paris[0].date().isoformat(), "opens_at_1": paris[0].strftime("%H:%M:%S"),
        "closes_at_0": paris[1].date().isoformat(), "closes_at_1": paris[1].strftime("%H:%M:%S"),
        "program": cohort.program_id, "capacity": capacity,
    }  # fmt: skip
    for prefix in ("cohort_partners", "questions", "criteria", "interview_criteria"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return client.post(url, data)


def test_the_admin_refuses_a_capacity_below_the_winners_chosen(client):
    cohort, manager, _ = _winners(3, capacity=5)
    client.force_login(manager)

    refused = _admin_post(client, cohort, "2")
    refused_capacity = Cohort.objects.get(pk=cohort.pk).capacity
    saved = _admin_post(client, cohort, "3")

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {
        "capacity": [
            "The capacity cannot be below the 3 winners this cohort already holds (pending or "
            "published)."
        ]
    }
    assert refused_capacity == 5
    assert saved.status_code == 302
    assert Cohort.objects.get(pk=cohort.pk).capacity == 3


def test_published_winners_hold_their_places_and_a_freed_place_is_not_counted():
    cohort, manager, applications = _winners(2, capacity=2, extra=1)
    decisions.decisions_reject_remaining(cohort=cohort, actor=manager)
    fingerprint = decisions.publication_state(cohort).fingerprint
    decisions.decisions_publish(cohort=cohort, actor=manager, fingerprint=fingerprint)

    def refusal(capacity):
        return cohort_services.cohort_capacity_refusal(cohort_id=cohort.pk, capacity=capacity)

    published = refusal(1)
    offers.offer_decline(
        offer=Offer.objects.get(application=applications[0]),
        user=applications[0].startup.memberships.first().user,
    )

    assert published == (
        "The capacity cannot be below the 2 winners this cohort already holds (pending or "
        "published)."
    )
    assert (refusal(1), refusal(None)) == ("", "")


def _race(cohort, manager, application):
    """A manager lowers the capacity to 2 while another adds a third winner. Each waits,
    between its count and its write, at a gate that opens when both have counted (without the
    lock) or when the other is seen waiting on a database lock (with it)."""
    start = threading.Barrier(2)
    hook = LockGate(2)

    def lower():
        with transaction.atomic():
            refusal = cohort_services.cohort_capacity_refusal(cohort_id=cohort.pk, capacity=2)
            if refusal:
                raise DecisionError(refusal)
            Cohort.objects.filter(pk=cohort.pk).update(capacity=2)

    def add():
        decisions.decision_set(application=application, outcome=W, actor=manager)

    results = {}

    def work(name, call):
        try:
            start.wait()
            call()
            results[name] = "done"
        except DecisionError as error:
            results[name] = str(error)
        finally:
            connection.close()

    originals = decisions.after_capacity_check, cohort_services.after_capacity_floor_check
    decisions.after_capacity_check = cohort_services.after_capacity_floor_check = hook
    try:
        threads = [
            threading.Thread(target=work, args=("lower", lower)),
            threading.Thread(target=work, args=("add", add)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        decisions.after_capacity_check, cohort_services.after_capacity_floor_check = originals
    return results


@pytest.mark.django_db(transaction=True)
def test_lowering_the_capacity_and_adding_a_winner_at_once_never_leave_more_winners():
    cohort, manager, applications = _winners(2, capacity=3, extra=1)
    refusals = {
        "lower": "The capacity cannot be below the 3 winners this cohort already holds (pending "
        "or published).",
        "add": "This cohort takes 2 winners; it already has 2.",
    }

    for _ in range(4):
        results = _race(cohort, manager, applications[2])

        capacity = Cohort.objects.get(pk=cohort.pk).capacity
        winners = Decision.objects.filter(cohort=cohort, outcome=W).count()
        assert winners <= capacity
        assert sorted(results.values()) == sorted(
            ["done", refusals["add" if results["lower"] == "done" else "lower"]]
        )
        Cohort.objects.filter(pk=cohort.pk).update(capacity=3)
        Decision.objects.filter(application=applications[2]).delete()


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_capacity_goes_below_the_winners(monkeypatch):
    cohort, manager, applications = _winners(2, capacity=3, extra=1)
    monkeypatch.setattr(cohort_services, "_lock_cohort_row", lambda cohort_id: None)

    results = _race(cohort, manager, applications[2])

    assert results == {"lower": "done", "add": "done"}
    assert Cohort.objects.get(pk=cohort.pk).capacity == 2
    assert Decision.objects.filter(cohort=cohort, outcome=W).count() == 3
