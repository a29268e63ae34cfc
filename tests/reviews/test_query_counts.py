"""The queue, the review page and the staff reviewers page take as many queries with 100
assignments as with 10."""

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clock import clock_pinned
from tests.factories import staff_member
from tests.factories.applications import submitted_application
from tests.factories.cohorts import QuestionFactory
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)
from tests.shared_world import world_for_the_module

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", params=[10, 100], ids=str)
def world(request, django_db_setup, django_db_blocker):
    """The cohort at each size, built once for the three pages; each test runs in a savepoint
    rolled back after it (tests/shared_world.py)."""
    with world_for_the_module(django_db_blocker, lambda: reviewed_cohort(request.param)) as world:
        yield world


def reviewed_cohort(count: int):
    """`count` submitted applications, each assigned to the reviewer and to a colleague; the
    colleague has submitted every fifth review, the reviewer the first one."""
    cohort = reviewing_cohort()
    question = QuestionFactory(cohort=cohort, required=False)
    applications = [
        submitted_application(cohort=cohort, answers={question: f"Answer {index}"}, deck_pages=None)
        for index in range(count)
    ]
    close_call(cohort)
    me = accepted_reviewer(cohort, max_assignments=count)
    colleague = accepted_reviewer(cohort, max_assignments=count)
    TOTP.activate(me.user, generate_totp_secret())
    for index, application in enumerate(applications):
        mine, theirs = assign(me, application), assign(colleague, application)
        if index % 5 == 0:
            complete_review(theirs)
        if index == 0:
            complete_review(mine)
    manager = staff_member(programs=[cohort.program])
    return SimpleNamespace(
        count=count, cohort=cohort, first=applications[0], me=me, manager=manager
    )


# Session, user and MFA check; the assignments with their reviewers, applications, startups,
# my review, the count of submitted reviews, the latest version's pitch and the personal
# closing time (subqueries); their cohorts (each read once).
QUERIES_FOR_THE_QUEUE = 5
# Session, user and MFA check; the assignment with its reviewer, application (and its personal
# closing time), startup, cohort and latest submission; the rubric; my review and the other
# reviews that count, with their reviewers; their fields.
QUERIES_FOR_THE_REVIEW_PAGE = 7
# Session, user and MFA check; the staff scope; the cohort; its partners (the invitation
# form); the count of reviewers and a page of them with their progress; the count of
# applications and a page of them with their startups and progress; their assignments with
# reviewers and review states; the reviewers to assign by hand; the totals; the pairs of
# reviewers and applications (assignments, submitted reviews) for the groups; the screened
# out; the conflicts; the applications the viewer is in conflict with.
QUERIES_FOR_THE_REVIEWERS_PAGE = 18


def test_the_queue_takes_the_same_queries_at_10_and_100(client, world):
    count = world.count
    client.force_login(world.me.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:queue"))

    assert len(response.context["rows"]) == count
    assert len(queries) == QUERIES_FOR_THE_QUEUE


def test_the_review_page_takes_the_same_queries_at_10_and_100(client, world):
    client.force_login(world.me.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:review", args=[world.first.pk]))

    assert len(response.context["others"]) == 1
    assert len(queries) == QUERIES_FOR_THE_REVIEW_PAGE


def test_the_reviewers_page_takes_the_same_queries_at_10_and_100(client, world):
    count = world.count
    client.force_login(world.manager)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staff:cohort_reviewers", args=[world.cohort.pk]))

    assert response.status_code == 200
    assert [reviewer.assigned for reviewer in response.context["reviewers"]] == [count, count]
    assert len(queries) == QUERIES_FOR_THE_REVIEWERS_PAGE
