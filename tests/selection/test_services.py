"""The stored ranking: what the fit writes, when it runs, and what asks for it."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from applications import services as application_services
from applications.enums import ApplicationStatus
from selection import services
from selection.models import ApplicationEstimate, Ranking, ReviewerLeniency
from selection.tasks import task_fit_ranking
from tests.clock import clock_pinned
from tests.factories import staff_member
from tests.factories.applications import make_application
from tests.factories.reviews import assign, complete_review

from .world import declare_conflict, reviewed_cohort

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

FIELDS = ["application_id", "reviews_submitted", "reviews_excluded", "raw_mean", "spread",
          "calibrated_score", "quality_sd", "rank", "expected_rank", "rank_50_low",
          "rank_50_high", "rank_90_low", "rank_90_high", "p_top", "criterion_means",
          "recommendations"]  # fmt: skip


def _estimates(cohort):
    return list(
        ApplicationEstimate.objects.filter(cohort=cohort).order_by("pk").values_list(*FIELDS)
    )


def test_the_fit_stores_every_ranked_application_and_every_reviewer():
    world = reviewed_cohort(extra_applications=1)
    make_application(cohort=world.cohort)  # a draft: not ranked

    ranking = Ranking.objects.get(cohort=world.cohort)
    estimates = {
        e.application_id: e for e in ApplicationEstimate.objects.filter(cohort=world.cohort)
    }

    first, second, third, fourth, unreviewed = world.applications
    assert set(estimates) == {a.pk for a in world.applications}
    assert [estimates[a.pk].rank for a in (first, third, second, fourth)] == [1, 2, 3, 4]
    assert estimates[unreviewed.pk].reviews_submitted == 0
    assert estimates[unreviewed.pk].rank is None
    assert estimates[unreviewed.pk].p_top is None
    # Weighted scores (weights 3 and 1 on 1–5): (3·1 + 1·1) / 4 = 1.0 for "5", "5".
    assert estimates[first.pk].raw_mean == pytest.approx((1.0 + 0.75 + (3 * 0.75 + 1) / 4) / 3)
    assert estimates[first.pk].recommendations == {"maybe": 2, "strong_yes": 1}
    criteria = list(world.cohort.criteria.order_by("pk"))
    assert estimates[first.pk].criterion_means == {
        f"c{criteria[0].pk}": pytest.approx(13 / 3),
        f"c{criteria[1].pk}": pytest.approx(14 / 3),
        f"c{criteria[2].pk}": 1.0,
    }
    assert sum(e.p_top for e in estimates.values() if e.p_top is not None) == pytest.approx(2.0)
    assert (ranking.k, ranking.review_count, ranking.reviewer_count) == (2, 12, 3)
    assert ranking.application_count == 5
    assert ranking.computed_at is not None
    assert ReviewerLeniency.objects.filter(cohort=world.cohort).count() == 3


def test_a_conflicted_review_is_excluded_and_counted_as_such():
    world = reviewed_cohort()
    declare_conflict(world, world.applications[0], world.reviewers[0])

    services.ranking_compute(cohort=world.cohort)

    estimate = ApplicationEstimate.objects.get(application=world.applications[0])
    assert (estimate.reviews_submitted, estimate.reviews_excluded) == (2, 1)


def test_the_same_reviews_give_identical_estimates_and_one_more_changes_the_seed():
    world = reviewed_cohort(extra_applications=1)
    first = _estimates(world.cohort)
    seed = Ranking.objects.get(cohort=world.cohort).seed

    services.ranking_compute(cohort=world.cohort)

    assert _estimates(world.cohort) == first
    assert Ranking.objects.get(cohort=world.cohort).seed == seed
    complete_review(assign(world.reviewers[0], world.applications[4]), scores=("3", "3", "1"))
    services.ranking_compute(cohort=world.cohort)
    assert Ranking.objects.get(cohort=world.cohort).seed != seed


def test_a_cohort_without_reviews_lists_its_applications_without_estimates():
    world = reviewed_cohort(compute=False)
    for application in world.applications:
        for review in application.reviews.all():
            declare_conflict(world, application, review.reviewer)

    ranking = services.ranking_compute(cohort=world.cohort)

    assert ranking.warnings == ["no_reviews"]
    assert ApplicationEstimate.objects.filter(cohort=world.cohort, rank__isnull=True).count() == 4


def test_the_fit_runs_at_most_once_a_minute_and_then_catches_up(
    django_capture_on_commit_callbacks,
):
    world = reviewed_cohort(compute=False)
    start = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    Ranking.objects.filter(cohort=world.cohort).update(inputs_changed_at=start)

    assert services.ranking_fit_when_allowed(cohort_id=world.cohort.pk, now=start) is True
    Ranking.objects.filter(cohort=world.cohort).update(
        inputs_changed_at=start + timedelta(seconds=10)
    )
    with django_capture_on_commit_callbacks() as published:
        early = services.ranking_fit_when_allowed(
            cohort_id=world.cohort.pk, now=start + timedelta(seconds=30)
        )
        again = services.ranking_fit_when_allowed(
            cohort_id=world.cohort.pk, now=start + timedelta(seconds=40)
        )
    ranking = Ranking.objects.get(cohort=world.cohort)
    assert (early, again) == (False, False)
    assert len(published) == 1  # one run scheduled for when the minute is over
    assert ranking.retry_at == start + timedelta(minutes=1)
    assert ranking.computed_at == start
    assert ranking.changed_since is True

    assert (
        services.ranking_fit_when_allowed(
            cohort_id=world.cohort.pk, now=start + timedelta(minutes=1)
        )
        is True
    )
    ranking.refresh_from_db()
    assert ranking.computed_at == start + timedelta(minutes=1)
    assert ranking.changed_since is False


def test_a_throttled_run_with_nothing_new_schedules_nothing(django_capture_on_commit_callbacks):
    world = reviewed_cohort()
    now = Ranking.objects.get(cohort=world.cohort).computed_at
    Ranking.objects.filter(cohort=world.cohort).update(next_allowed_at=now + timedelta(minutes=1))

    with django_capture_on_commit_callbacks() as published:
        assert services.ranking_fit_when_allowed(cohort_id=world.cohort.pk, now=now) is False

    assert published == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_fit_once():
    world = reviewed_cohort(compute=False)
    now = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    barrier = threading.Barrier(2)
    results = []

    def work():
        try:
            barrier.wait()
            results.append(services.ranking_fit_when_allowed(cohort_id=world.cohort.pk, now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]


def test_a_submitted_review_asks_for_a_fit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as published:
        world = reviewed_cohort(compute=False)

    assert Ranking.objects.get(cohort=world.cohort).inputs_changed_at is not None
    assert any(callback.__name__ == "publish_fit" for callback in published)


def test_a_conflict_and_a_withdrawal_ask_for_a_fit(django_capture_on_commit_callbacks):
    world = reviewed_cohort(compute=False)
    Ranking.objects.filter(cohort=world.cohort).update(inputs_changed_at=None)

    declare_conflict(world, world.applications[0], world.reviewers[0])
    after_conflict = Ranking.objects.get(cohort=world.cohort).inputs_changed_at
    Ranking.objects.filter(cohort=world.cohort).update(inputs_changed_at=None)
    application = world.applications[1]
    application_services.application_transition(
        application=application, to_status=ApplicationStatus.WITHDRAWN,
        actor=application.startup.memberships.first().user,
    )  # fmt: skip

    assert after_conflict is not None
    assert Ranking.objects.get(cohort=world.cohort).inputs_changed_at is not None


def test_the_task_is_published_by_the_name_the_services_use():
    from accelerator.celery import app

    assert app.tasks[services.FIT_RANKING_TASK].name == task_fit_ranking.name


def test_the_task_fits_through_the_service():
    world = reviewed_cohort(compute=False)

    task_fit_ranking(world.cohort.pk)

    assert Ranking.objects.get(cohort=world.cohort).computed_at is not None
    assert ApplicationEstimate.objects.filter(cohort=world.cohort).count() == 4


def test_screening_out_and_back_in_asks_for_a_fit_and_moves_the_application(
    django_capture_on_commit_callbacks,
):
    from applications.services.screening import application_screen_in, application_screen_out
    from selection.selectors import ranked_applications, screened_out_applications

    world = reviewed_cohort()
    manager = staff_member(programs=[world.cohort.program])
    screened = world.applications[3]
    Ranking.objects.filter(cohort=world.cohort).update(inputs_changed_at=None)

    application_screen_out(application=screened, by=manager, reason="Not built on open models")
    after_screening_out = Ranking.objects.get(cohort=world.cohort).inputs_changed_at
    ranked_while_out = set(ranked_applications(world.cohort).values_list("pk", flat=True))
    apart_while_out = [application.pk for application in screened_out_applications(world.cohort)]
    services.ranking_compute(cohort=world.cohort)
    estimated_while_out = set(
        ApplicationEstimate.objects.filter(cohort=world.cohort).values_list(
            "application_id", flat=True
        )
    )
    Ranking.objects.filter(cohort=world.cohort).update(inputs_changed_at=None)
    application_screen_in(application=screened, by=manager)

    assert after_screening_out is not None
    assert ranked_while_out == {application.pk for application in world.applications[:3]}
    assert apart_while_out == [screened.pk]
    assert estimated_while_out == ranked_while_out
    assert Ranking.objects.get(cohort=world.cohort).inputs_changed_at is not None
    assert screened in ranked_applications(world.cohort)
