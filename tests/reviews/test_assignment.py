"""Automatic assignment: the algorithm on plain data (reviews/assignment.py), the service that
applies it, and the staff pages that preview and confirm it."""

import random
from collections import Counter

import numpy as np
import pytest
from django.urls import reverse
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from applications.enums import ApplicationStatus
from applications.services import application_screen_out
from reviews import services
from reviews.assignment import (
    NO_ROOM,
    TOO_FEW_FREE_REVIEWERS,
    ApplicationNeed,
    ReviewerLoad,
    Unfilled,
    plan_assignments,
    reviewer_groups,
)
from reviews.enums import AssignmentEnd, ConflictKind, ConflictSource, ConflictState
from reviews.models import Assignment, Conflict
from tests.clock import clock_pinned
from tests.factories import staff_member
from tests.factories.applications import make_application
from tests.factories.cohorts import CohortPartnerFactory, PartnerFactory
from tests.factories.reviews import accepted_reviewer, assign, reviewing_cohort

pinned_clock = clock_pinned()  # every date here is relative to the clock


def reviewer(id, maximum=10, load=0, partner=None) -> ReviewerLoad:
    return ReviewerLoad(id=id, partner_id=partner, max_assignments=maximum, load=load)


def need(id, needed=3, on=()) -> ApplicationNeed:
    return ApplicationNeed(id=id, needed=needed, reviewer_ids=tuple(on))


def partners_on(plan, reviewers, applications) -> dict[int, Counter]:
    partner = {r.id: r.partner_id for r in reviewers}
    on = {a.id: Counter(partner[r] for r in a.reviewer_ids) for a in applications}
    for reviewer_id, application_id in plan.pairs:
        on[application_id][partner[reviewer_id]] += 1
    return on


# --- The algorithm on plain data ---------------------------------------------------------------


def test_the_issue_case_on_plain_data():
    rng = random.Random(14)
    reviewers = [reviewer(i, maximum=25) for i in range(1, 5)] + [
        reviewer(i, maximum=40, partner=100 + (i - 5) // 4) for i in range(5, 21)
    ]
    applications = [need(1000 + a) for a in range(200)]
    conflicts = set()
    while len(conflicts) < 30:
        conflicts.add((rng.randint(1, 20), 1000 + rng.randrange(200)))

    plan = plan_assignments(reviewers=reviewers, applications=applications, conflicts=conflicts)

    loads = plan.loads_after
    assert [loads[i] for i in range(1, 5)] == [25, 25, 25, 25]
    assert sorted(Counter(loads[i] for i in range(5, 21)).items()) == [(31, 12), (32, 4)]
    assert len(plan.pairs) == 600
    assert not set(plan.pairs) & conflicts
    assert plan.unfilled == []
    on = partners_on(plan, reviewers, applications)
    assert [a for a, counts in on.items() if any(n > 1 for p, n in counts.items() if p)] == []
    assert plan.same_partner == []
    assert len(plan.groups) == 1


def test_a_maximum_makes_even_loads_impossible_the_others_stay_within_one():
    reviewers = [reviewer(1, maximum=2), reviewer(2, maximum=10), reviewer(3, maximum=10)]
    applications = [need(10 + a, needed=2) for a in range(10)]

    plan = plan_assignments(reviewers=reviewers, applications=applications)

    assert plan.loads_after == {1: 2, 2: 9, 3: 9}
    assert plan.unfilled == []


def test_conflicts_leave_a_slot_unfillable_and_say_so():
    reviewers = [reviewer(1), reviewer(2), reviewer(3)]
    applications = [need(10), need(11)]

    plan = plan_assignments(reviewers=reviewers, applications=applications, conflicts={(2, 11)})

    assert plan.unfilled == [Unfilled(application_id=11, missing=1, reason=TOO_FEW_FREE_REVIEWERS)]
    assert sorted(plan.pairs) == [(1, 10), (1, 11), (2, 10), (3, 10), (3, 11)]


def test_a_hand_back_is_never_assigned_again_and_counts_as_a_reason():
    plan = plan_assignments(
        reviewers=[reviewer(1), reviewer(2)],
        applications=[need(10, needed=2, on=[1])],
        excluded={(2, 10)},
    )

    assert plan.pairs == []
    assert plan.unfilled == [Unfilled(application_id=10, missing=1, reason=TOO_FEW_FREE_REVIEWERS)]


def test_full_reviewers_leave_slots_unfilled_for_want_of_room():
    plan = plan_assignments(
        reviewers=[reviewer(1, maximum=1), reviewer(2, maximum=1)],
        applications=[need(10, needed=2), need(11, needed=2)],
    )

    assert len(plan.pairs) == 2
    assert plan.loads_after == {1: 1, 2: 1}
    assert {item.reason for item in plan.unfilled} == {NO_ROOM}
    assert plan.unfilled_slots == 2


def test_existing_assignments_are_kept_and_the_least_loaded_catch_up():
    reviewers = [reviewer(1, load=6), reviewer(2, load=1), reviewer(3, load=0)]
    applications = [need(10 + a, needed=1) for a in range(7)]

    plan = plan_assignments(reviewers=reviewers, applications=applications)

    assert plan.loads_after == {1: 6, 2: 4, 3: 4}


def test_two_reviewers_of_one_partner_only_when_nothing_else_is_possible():
    avoidable = plan_assignments(
        reviewers=[
            reviewer(1, partner=7),
            reviewer(2, partner=7),
            reviewer(3, partner=8),
            reviewer(4, partner=8),
        ],
        applications=[need(10 + a, needed=2) for a in range(8)],
    )
    unavoidable = plan_assignments(
        reviewers=[reviewer(1, partner=7), reviewer(2, partner=7), reviewer(3)],
        applications=[need(10, needed=3)],
    )

    assert avoidable.same_partner == []
    assert set(avoidable.loads_after.values()) == {4}
    assert unavoidable.same_partner == [10]


def test_the_assignment_joins_two_groups_of_reviewers_when_it_can():
    reviewers = [reviewer(i, load=1) for i in range(1, 5)]
    before = [need(10, needed=2, on=[1, 2]), need(11, needed=2, on=[3, 4])]

    plan = plan_assignments(reviewers=reviewers, applications=[*before, need(12, needed=2),
                                                                 need(13, needed=2)])  # fmt: skip

    assert reviewer_groups([(1, 10), (2, 10), (3, 11), (4, 11)]) == [[1, 2], [3, 4]]
    assert plan.groups == [[1, 2, 3, 4]]


def test_the_same_input_gives_the_same_plan():
    reviewers = [reviewer(i, maximum=30, partner=i % 3 or None) for i in range(1, 9)]
    applications = [need(100 + a) for a in range(50)]

    first = plan_assignments(reviewers=reviewers, applications=applications)
    second = plan_assignments(reviewers=reviewers, applications=applications)

    assert first == second


def most_fillable(reviewers, applications, forbidden) -> int:
    """The largest number of slots any assignment fills: a maximum flow, computed apart."""
    n_apps, n_rev = len(applications), len(reviewers)
    source, sink = 0, 1 + n_apps + n_rev
    graph = np.zeros((sink + 1, sink + 1), dtype=np.int32)
    for a, application in enumerate(applications):
        graph[source, 1 + a] = max(0, application.needed - len(application.reviewer_ids))
        for r, rev in enumerate(reviewers):
            if (rev.id, application.id) not in forbidden and rev.id not in application.reviewer_ids:
                graph[1 + a, 1 + n_apps + r] = 1
    for r, rev in enumerate(reviewers):
        graph[1 + n_apps + r, sink] = max(0, rev.max_assignments - rev.load)
    return maximum_flow(csr_array(graph), source, sink).flow_value


@pytest.mark.parametrize("seed", range(25))
def test_random_cases_keep_every_rule(seed):
    rng = random.Random(seed)
    reviewers = [
        reviewer(i, maximum=rng.randint(1, 9), partner=rng.choice([None, 1, 2, 3]))
        for i in range(1, rng.randint(3, 9))
    ]
    applications = []
    for a in range(rng.randint(5, 30)):
        on = rng.sample([r.id for r in reviewers], rng.randint(0, 1))
        applications.append(need(100 + a, needed=rng.randint(1, 3), on=on))
    load = Counter(r for application in applications for r in application.reviewer_ids)
    reviewers = [reviewer(r.id, r.max_assignments + load[r.id], load[r.id], r.partner_id)
                 for r in reviewers]  # fmt: skip
    pairs = [(r.id, a.id) for r in reviewers for a in applications]
    conflicts = set(rng.sample(pairs, len(pairs) // 6))
    conflicts -= {(r, a.id) for a in applications for r in a.reviewer_ids}

    plan = plan_assignments(reviewers=reviewers, applications=applications, conflicts=conflicts)

    assert not set(plan.pairs) & conflicts
    assert len(plan.pairs) == len(set(plan.pairs))
    assert all(plan.loads_after[r.id] <= r.max_assignments for r in reviewers)
    assert all((r, a.id) not in plan.pairs for a in applications for r in a.reviewer_ids)
    added = Counter(r for r, _a in plan.pairs)
    assert all(plan.loads_after[r.id] == r.load + added[r.id] for r in reviewers)
    assert len(plan.pairs) == most_fillable(reviewers, applications, conflicts)
    assert all(
        len(a.reviewer_ids) + sum(1 for _r, x in plan.pairs if x == a.id) <= a.needed
        for a in applications
    )
    # Even loads: no new assignment of a reviewer could go to one two or more below them.
    loads, made = plan.loads_after, set(plan.pairs)
    on = {a.id: set(a.reviewer_ids) | {r for r, x in made if x == a.id} for a in applications}
    for high, application_id in made:
        for low in reviewers:
            assert not (
                loads[high] - loads[low.id] >= 2
                and loads[low.id] < low.max_assignments
                and (low.id, application_id) not in conflicts
                and low.id not in on[application_id]
            )


# --- The service and the pages -----------------------------------------------------------------


def submitted(cohort, count: int) -> list:
    return [
        make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort) for _ in range(count)
    ]


def active_pairs(cohort) -> set[tuple[int, int]]:
    return set(
        Assignment.objects.filter(application__cohort=cohort, ended_at__isnull=True).values_list(
            "reviewer_id", "application_id"
        )
    )


def confirmed_conflict(reviewer, application) -> Conflict:
    return Conflict.objects.create(
        user=reviewer.user, application=application, kind=ConflictKind.OTHER,
        source=ConflictSource.STAFF, state=ConflictState.CONFIRMED,
    )  # fmt: skip


@pytest.mark.django_db
def test_the_issue_case_200_applications_20_reviewers_then_a_rerun():
    rng = random.Random(200)
    cohort = reviewing_cohort(reviews_per_application=3)
    manager = staff_member(programs=[cohort.program])
    staff = [accepted_reviewer(cohort, max_assignments=25) for _ in range(4)]
    partner_reviewers = []
    for _ in range(4):
        partner = PartnerFactory()
        CohortPartnerFactory(cohort=cohort, partner=partner)
        partner_reviewers += [
            accepted_reviewer(cohort, partner=partner, max_assignments=40) for _ in range(4)
        ]
    applications = submitted(cohort, 200)
    reviewers = staff + partner_reviewers
    conflicts = set()
    while len(conflicts) < 30:
        conflicts.add((rng.randrange(20), rng.randrange(200)))
    for r, a in conflicts:
        confirmed_conflict(reviewers[r], applications[a])
    conflicted = {(reviewers[r].pk, applications[a].pk) for r, a in conflicts}

    plan = services.assignments_apply_plan(cohort=cohort, by=manager)

    first = active_pairs(cohort)
    loads = Counter(r for r, _a in first)
    assert len(first) == 600 == len(plan.pairs)
    assert [loads[r.pk] for r in staff] == [25, 25, 25, 25]
    assert {loads[r.pk] for r in partner_reviewers} == {31, 32}
    assert sum(loads[r.pk] for r in partner_reviewers) == 500
    assert not first & conflicted
    partner_of = {r.pk: r.partner_id for r in reviewers}
    per_application = Counter((a, partner_of[r]) for r, a in first if partner_of[r])
    assert max(per_application.values()) == 1
    assert len(plan.groups) == 1

    newcomers = submitted(cohort, 20)
    handed_back = Assignment.objects.filter(reviewer=partner_reviewers[0]).order_by("pk")[:2]
    for assignment in handed_back:
        services.assignment_hand_back(assignment=assignment, reason="I know the founders.")
    kept = active_pairs(cohort)

    rerun = services.assignments_apply_plan(cohort=cohort, by=manager)

    after = active_pairs(cohort)
    assert kept <= after
    assert len(rerun.pairs) == 20 * 3 + 2 == len(after - kept)
    assert rerun.unfilled == []
    per_app = Counter(a for _r, a in after)
    assert {per_app[a.pk] for a in applications + newcomers} == {3}
    assert not after & conflicted
    assert not after & {(h.reviewer_id, h.application_id) for h in handed_back}
    loads = Counter(r for r, _a in after)
    assert [loads[r.pk] for r in staff] == [25, 25, 25, 25]
    # 500 - 2 handed back + 62 new over 16 reviewers: 35 each.
    assert {loads[r.pk] for r in partner_reviewers} == {35}


@pytest.mark.django_db
def test_a_rerun_with_every_slot_filled_changes_nothing():
    cohort = reviewing_cohort(reviews_per_application=2)
    manager = staff_member(programs=[cohort.program])
    for _ in range(3):
        accepted_reviewer(cohort)
    submitted(cohort, 4)
    services.assignments_apply_plan(cohort=cohort, by=manager)
    before = active_pairs(cohort)

    plan = services.assignments_apply_plan(cohort=cohort, by=manager)

    assert plan.pairs == []
    assert active_pairs(cohort) == before


@pytest.mark.django_db
def test_a_withdrawn_or_screened_out_application_gets_no_reviewer():
    cohort = reviewing_cohort(reviews_per_application=1)
    manager = staff_member(programs=[cohort.program])
    accepted_reviewer(cohort)
    kept, screened = submitted(cohort, 2)
    withdrawn = make_application(status=ApplicationStatus.WITHDRAWN, cohort=cohort)
    application_screen_out(application=screened, by=manager, reason="Out of scope.")

    services.assignments_apply_plan(cohort=cohort, by=manager)

    assert {a for _r, a in active_pairs(cohort)} == {kept.pk}
    assert withdrawn.pk not in {a for _r, a in active_pairs(cohort)}


@pytest.mark.django_db
def test_staff_preview_then_confirm_and_the_page_says_why_a_slot_stays_empty(client):
    cohort = reviewing_cohort(reviews_per_application=2)
    manager = staff_member(programs=[cohort.program])
    first, second = accepted_reviewer(cohort), accepted_reviewer(cohort)
    blocked, free = submitted(cohort, 2)
    confirmed_conflict(first, blocked)
    client.force_login(manager)
    url = reverse("staff:assignment_auto", args=[cohort.pk])

    preview = client.get(url)

    page = preview.content.decode()
    assert preview.status_code == 200
    assert len(preview.context["plan"].pairs) == 3
    assert "3 new assignments" in page
    assert "1 slot cannot be filled" in page
    assert blocked.startup.name in page
    assert "the others have a conflict of interest with it" in page
    assert active_pairs(cohort) == set()

    confirmed = client.post(url, {"previewed": "3"}, follow=True)

    assert active_pairs(cohort) == {
        (first.pk, free.pk), (second.pk, free.pk), (second.pk, blocked.pk)
    }  # fmt: skip
    messages = [str(message) for message in confirmed.context["messages"]]
    assert messages == ["3 new assignments made.", "1 slot could not be filled: see why below."]


@pytest.mark.django_db
def test_a_stale_preview_is_computed_again_and_staff_are_told(client):
    cohort = reviewing_cohort(reviews_per_application=1)
    manager = staff_member(programs=[cohort.program])
    reviewer_ = accepted_reviewer(cohort)
    application, other = submitted(cohort, 2)
    client.force_login(manager)
    url = reverse("staff:assignment_auto", args=[cohort.pk])
    assert len(client.get(url).context["plan"].pairs) == 2
    assign(reviewer_, application)  # by hand, after the preview

    response = client.post(url, {"previewed": "2"}, follow=True)

    assert active_pairs(cohort) == {(reviewer_.pk, application.pk), (reviewer_.pk, other.pk)}
    messages = [str(message) for message in response.context["messages"]]
    assert messages[0] == "1 new assignment made."
    assert messages[1].startswith("Things changed since the preview")


@pytest.mark.django_db
def test_the_reviewers_page_warns_of_two_separate_groups(client):
    cohort = reviewing_cohort(reviews_per_application=2)
    manager = staff_member(programs=[cohort.program])
    reviewers = [accepted_reviewer(cohort) for _ in range(4)]
    one, two = submitted(cohort, 2)
    for r in reviewers[:2]:
        assign(r, one)
    for r in reviewers[2:]:
        assign(r, two)
    client.force_login(manager)

    response = client.get(reverse("staff:cohort_reviewers", args=[cohort.pk]))

    page = response.content.decode()
    assert 'id="groups-warning"' in page
    assert "The reviewers form 2 separate groups" in page
    assert response.context["groups"] == [
        sorted(r.user.get_full_name() for r in reviewers[:2]),
        sorted(r.user.get_full_name() for r in reviewers[2:]),
    ]


@pytest.mark.django_db
def test_one_group_is_not_warned_about(client):
    cohort = reviewing_cohort(reviews_per_application=2)
    manager = staff_member(programs=[cohort.program])
    reviewers = [accepted_reviewer(cohort) for _ in range(3)]
    one, two = submitted(cohort, 2)
    assign(reviewers[0], one), assign(reviewers[1], one)
    assign(reviewers[1], two), assign(reviewers[2], two)
    client.force_login(manager)

    response = client.get(reverse("staff:cohort_reviewers", args=[cohort.pk]))

    assert 'id="groups-warning"' not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_never_assign_a_slot_twice():
    import threading

    from django.db import connection

    cohort = reviewing_cohort(reviews_per_application=2)
    manager = staff_member(programs=[cohort.program])
    for _ in range(3):
        accepted_reviewer(cohort, max_assignments=20)
    submitted(cohort, 10)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            services.assignments_apply_plan(cohort=cohort, by=manager)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    per_app = Counter(a for _r, a in active_pairs(cohort))
    assert set(per_app.values()) == {2}
    assert Assignment.objects.filter(end_reason=AssignmentEnd.UNASSIGNED).count() == 0


@pytest.mark.django_db
def test_a_manager_screens_out_then_assigns_automatically_and_reads_the_progress(client):
    """The way a person goes: the list, tick one and say why; the reviewers page, "Assign
    automatically…", read the preview, confirm; the progress shows every slot filled."""
    cohort = reviewing_cohort(reviews_per_application=2)
    manager = staff_member(programs=[cohort.program])
    for _ in range(3):
        accepted_reviewer(cohort)
    out, *kept = submitted(cohort, 4)
    client.force_login(manager)

    listing = client.get(reverse("staff:cohort_applications", args=[cohort.pk]))
    assert f'value="{out.pk}"' in listing.content.decode()
    client.post(
        reverse("staff:cohort_screen_out", args=[cohort.pk]),
        {"application": [out.pk], "reason": "Not an AI startup."},
    )
    reviewers_page = client.get(reverse("staff:cohort_reviewers", args=[cohort.pk]))
    assert "6 slots without a reviewer" in reviewers_page.content.decode()
    assert 'href="#screened-out"' in reviewers_page.content.decode()
    preview = client.get(reverse("staff:assignment_auto", args=[cohort.pk]))
    assert "6 new assignments" in preview.content.decode()
    assert [(row["before"], row["after"]) for row in preview.context["loads"]] == [(0, 2)] * 3

    done = client.post(reverse("staff:assignment_auto", args=[cohort.pk]), {"previewed": "6"},
                       follow=True)  # fmt: skip

    page = done.content.decode()
    assert "6 new assignments made." in page
    assert "<strong>0 slots without a reviewer</strong>" in page
    assert [r.assigned for r in done.context["reviewers"]] == [2, 2, 2]
    assert {a for _r, a in active_pairs(cohort)} == {a.pk for a in kept}
