"""Automatic assignment (reviews/assignment.py) at 1,000 and 10,000 applications × 3 reviews
among 50 reviewers (10 from each of 4 partners, 10 of the program's own), 2% of pairs in
confirmed conflict: the time it takes and the spread of loads. Plain data, no database.

    .venv/bin/python bench/assignment.py
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviews.assignment import ApplicationNeed, ReviewerLoad, plan_assignments

REVIEWERS = 50
PER_APPLICATION = 3
CONFLICT_SHARE = 0.02


def world(applications: int, seed: int = 1):
    rng = random.Random(seed)
    maximum = -(-applications * PER_APPLICATION // REVIEWERS) + 20
    reviewers = [
        ReviewerLoad(id=i + 1, partner_id=(i % 5) or None, max_assignments=maximum, load=0)
        for i in range(REVIEWERS)
    ]
    needs = [ApplicationNeed(id=1000 + a, needed=PER_APPLICATION) for a in range(applications)]
    conflicts = {(r.id, n.id) for r in reviewers for n in needs if rng.random() < CONFLICT_SHARE}
    return reviewers, needs, conflicts


def main() -> None:
    for size in (1_000, 10_000):
        reviewers, needs, conflicts = world(size)
        started = time.perf_counter()
        plan = plan_assignments(reviewers=reviewers, applications=needs, conflicts=conflicts)
        elapsed = time.perf_counter() - started
        loads = plan.loads_after.values()
        assert not set(plan.pairs) & conflicts
        print(
            f"{size:>6} × {PER_APPLICATION} among {REVIEWERS}: {elapsed:.2f} s, "
            f"{len(plan.pairs)} assignments, loads {min(loads)}–{max(loads)} "
            f"(spread {max(loads) - min(loads)}), {plan.unfilled_slots} slots unfilled, "
            f"{len(plan.same_partner)} with two of one partner, {len(plan.groups)} group(s)"
        )


if __name__ == "__main__":
    main()
