"""Two cohorts publishing at once still make one chain: the second waits for the first's
record before naming it (a lock); without the lock both name the same one, and the database
refuses the fork (one next per record)."""

import threading

import pytest
from django.db import IntegrityError, connection

from selection import decisions
from selection.models import DecisionOutcome, DecisionRecord
from tests.factories import staff_member
from tests.factories.applications import open_cohort, submitted_application
from tests.races import LockGate


def _decided_cohort():
    cohort = open_cohort()
    manager = staff_member(programs=[cohort.program])
    application = submitted_application(cohort=cohort, deck_pages=None)
    decisions.decision_set(application=application, outcome=DecisionOutcome.WINNER, actor=manager)
    return cohort, manager, decisions.publication_state(cohort).fingerprint


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locked", [True, False])
def test_two_publications_at_once_make_one_chain(monkeypatch, locked):
    cohorts = [_decided_cohort() for _ in range(2)]
    if not locked:
        monkeypatch.setattr(decisions, "_chain_lock", lambda: None)
    start = threading.Barrier(2)
    results = []
    # Between reading the chain's last record and adding the next, each waits until the other
    # publication got there too (no lock) or waits on the lock.
    hook = LockGate(2)

    monkeypatch.setattr(decisions, "after_chain_read", hook)

    def work(cohort, manager, fingerprint):
        try:
            start.wait()
            decisions.decisions_publish(cohort=cohort, actor=manager, fingerprint=fingerprint)
            results.append("published")
        except IntegrityError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=cohort) for cohort in cohorts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    records = list(DecisionRecord.objects.order_by("pk"))
    if locked:
        assert results == ["published", "published"]
        assert [r.previous_id for r in records] == [None, records[0].pk]
    else:
        assert sorted(results) == ["published", "refused"]
        assert [r.previous_id for r in records] == [None]
