"""Review progress on the cohort's reviewers page: per reviewer done / assigned, hand-backs
and last activity; per application submitted reviews / needed; slots without a reviewer;
sortable, paged, in a number of queries that does not grow with the cohort."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.services import application_screen_out
from reviews import services
from reviews.views.staff import PAGE_SIZE
from tests.clock import clock_pinned
from tests.factories import UserFactory, staff_member
from tests.factories.applications import make_application, submitted_application
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


@pytest.fixture
def world():
    with time_machine.travel(MONDAY, tick=False):
        cohort = reviewing_cohort(reviews_per_application=2)
        applications = [submitted_application(cohort=cohort, deck_pages=None) for _ in range(3)]
        close_call(cohort)
        ada = accepted_reviewer(cohort, UserFactory(full_name="Ada Reviewer"))
        bob = accepted_reviewer(cohort, UserFactory(full_name="Bob Reviewer"))
        cyd = accepted_reviewer(cohort, UserFactory(full_name="Cyd Reviewer"))
        manager = staff_member(programs=[cohort.program])
        for application in applications:
            assign(ada, application)
        complete_review(assign(bob, applications[0]))
        handed = assign(bob, applications[1])
    with time_machine.travel(TUESDAY, tick=False):
        complete_review(ada.assignments.get(application=applications[2]))
        services.assignment_hand_back(assignment=handed, reason="A friend's startup.")
    return cohort, applications, (ada, bob, cyd), manager


def test_progress_per_reviewer_and_per_application(client, world):
    cohort, applications, _reviewers, manager = world
    client.force_login(manager)

    response = client.get(reverse("staff:cohort_reviewers", args=[cohort.pk]))

    rows = [
        (r.user.full_name, r.done, r.assigned, r.hand_backs, r.last_activity)
        for r in response.context["reviewers"]
    ]
    assert rows == [
        ("Ada Reviewer", 1, 3, 0, TUESDAY),
        ("Bob Reviewer", 1, 1, 1, TUESDAY),
        ("Cyd Reviewer", 0, 0, 0, None),
    ]
    progress = {
        a.pk: (a.submitted_reviews, a.assigned, a.missing) for a in response.context["page"]
    }
    assert progress == {
        applications[0].pk: (1, 2, 0),
        applications[1].pk: (0, 1, 1),
        applications[2].pk: (1, 1, 1),
    }
    assert response.context["totals"] == {"applications": 3, "unassigned": 2, "submitted": 2}
    page = response.content.decode()
    assert "2 slots without a reviewer" in page
    assert "1 / 2 reviews submitted" in page
    assert "24 Nov 2026, 16:30" in page  # Tuesday 15:30 UTC, in Paris


def test_reviewers_sort_by_what_they_have_done(client, world):
    cohort, _applications, (ada, bob, cyd), manager = world
    client.force_login(manager)
    url = reverse("staff:cohort_reviewers", args=[cohort.pk])

    def order(**query):
        return [r.pk for r in client.get(url, query).context["reviewers"]]

    assert order(rsort="-assigned") == [ada.pk, bob.pk, cyd.pk]
    assert order(rsort="-hand_backs") == [bob.pk, ada.pk, cyd.pk]
    assert order(rsort="done") == [cyd.pk, ada.pk, bob.pk]
    assert order(rsort="last_activity") == [cyd.pk, ada.pk, bob.pk]
    assert order(rsort="nonsense") == [ada.pk, bob.pk, cyd.pk]


def test_applications_sort_by_missing_slots_and_reviews(client, world):
    cohort, applications, _reviewers, manager = world
    client.force_login(manager)
    url = reverse("staff:cohort_reviewers", args=[cohort.pk])

    def order(**query):
        return [a.pk for a in client.get(url, query).context["page"]]

    first, second, third = (a.pk for a in applications)
    assert order(sort="-missing")[2] == first
    assert order(sort="submitted")[0] == second
    assert sorted(order(sort="-submitted")[:2]) == sorted([first, third])


def test_the_progress_is_paged(client):
    cohort = reviewing_cohort()
    manager = staff_member(programs=[cohort.program])
    for _ in range(PAGE_SIZE + 1):
        make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    client.force_login(manager)
    url = reverse("staff:cohort_reviewers", args=[cohort.pk])

    first = client.get(url, {"sort": "-missing"})
    second = client.get(url, {"sort": "-missing", "page": 2})

    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert len(second.context["page"].object_list) == 1
    assert "sort=-missing&amp;page=2" in first.content.decode()


def progress_world(size: int):
    """`size` submitted applications, `size` reviewers each assigned to three of them (one
    review submitted, one handed back, one to do), two applications screened out, and a
    reviewer on every application (one group: no warning)."""
    cohort = reviewing_cohort(reviews_per_application=3)
    applications = [submitted_application(cohort=cohort, deck_pages=None) for _ in range(size)]
    close_call(cohort)
    manager = staff_member(programs=[cohort.program])
    for index in range(size):
        reviewer = accepted_reviewer(cohort)
        done = assign(reviewer, applications[index])
        complete_review(done)
        handed = assign(reviewer, applications[(index + 1) % size])
        services.assignment_hand_back(assignment=handed, reason="Too close.")
        assign(reviewer, applications[(index + 2) % size])
    hub = accepted_reviewer(cohort, UserFactory(full_name="Zoé Hub"), max_assignments=size)
    for application in applications:
        assign(hub, application)
    for application in applications[:2]:
        application_screen_out(application=application, by=manager, reason="Ineligible.")
    return cohort, manager


# See tests/reviews/test_query_counts.py for what each query is.
QUERIES_FOR_THE_PROGRESS = 18


@pytest.mark.parametrize("size", [4, 12])
def test_the_progress_takes_the_same_queries_at_two_sizes(client, django_assert_num_queries, size):
    cohort, manager = progress_world(size)
    client.force_login(manager)
    url = reverse("staff:cohort_reviewers", args=[cohort.pk])

    with django_assert_num_queries(QUERIES_FOR_THE_PROGRESS):
        response = client.get(url, {"sort": "-missing", "rsort": "-last_activity"})

    assert response.status_code == 200
    assert response.context["groups"] == []
    assert sorted(r.hand_backs for r in response.context["reviewers"]) == [0] + [1] * size
    assert len(response.context["page"].object_list) == size - 2
    assert len(response.context["screened_out"]) == 2
