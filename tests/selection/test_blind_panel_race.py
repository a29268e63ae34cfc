"""Seating a blind reviewer on a slot's panel while the startup books that slot: the slot's
row lock lets one through, the other is refused (#26, item 5). Its own module: the tests are
`transaction=True`, which a module with a shared world cannot hold."""

import threading

import pytest
from django.db import connection

from selection import interviews
from selection.interviews import InterviewError
from selection.models import InterviewBooking, InterviewSlot
from tests.races import LockGate

from .test_blind_panel import REFUSAL, _blind_stage, _book, _panel


def _seat_while_booking(world) -> list[str]:
    """Staff seat the blind reviewer on the slot's panel while the startup books the slot, at
    once; returns what each got. Between its checks and its write, each waits at a gate that
    opens when both have checked (without the lock: each then writes on a state the other has
    not changed) or when the other is seen waiting on a database lock (with the lock, only one
    at a time ever gets there)."""
    start = threading.Barrier(2)
    hook = LockGate(2)

    def seat():
        interviews.slot_panel_set(slot=world.slot, user_ids=[world.reviewer.user_id],
                                  by=world.manager)  # fmt: skip
        return "seated"

    def book():
        _book(world)
        return "booked"

    results = []

    def run(action):
        try:
            start.wait()
            results.append(action())
        except InterviewError as error:
            results.append(str(error))
        finally:
            connection.close()

    original = interviews.after_panel_check
    interviews.after_panel_check = hook
    try:
        threads = [threading.Thread(target=run, args=(action,)) for action in (seat, book)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        interviews.after_panel_check = original
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_seating_a_blind_reviewer_while_the_startup_books_lets_one_through():
    world = _blind_stage()

    results = _seat_while_booking(world)

    booked = InterviewBooking.objects.filter(slot=world.slot).exists()
    assert (results, booked, _panel(world)) in [
        (["This slot's panel cannot interview this startup.", "seated"], False,
         [world.reviewer.user_id]),
        ([REFUSAL.format(startup=world.application.startup.name), "booked"], True,
         [world.manager.pk]),
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_without_the_slot_lock_the_blind_reviewer_meets_the_startup(monkeypatch):
    world = _blind_stage()
    monkeypatch.setattr(
        interviews,
        "_lock_slot",
        lambda slot_id, cohort_id: InterviewSlot.objects.prefetch_related("panelists").get(
            pk=slot_id
        ),
    )

    results = _seat_while_booking(world)

    assert results == ["booked", "seated"]
    assert InterviewBooking.objects.filter(slot=world.slot).exists()
    assert _panel(world) == [world.reviewer.user_id]
