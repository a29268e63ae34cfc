"""Reviewers, assignments and reviews made the way the app makes them: through the services."""

from datetime import timedelta

from django.utils import timezone

from reviews import services
from reviews.enums import NOT_APPLICABLE
from reviews.models import Assignment, Reviewer
from tests.factories import UserFactory, staff_member
from tests.factories.applications import open_cohort
from tests.factories.cohorts import RubricCriterionFactory


def reviewing_cohort(**overrides):
    """A cohort whose call closed yesterday (so its applications are open for review), with
    reviews closing in two weeks and a rubric of three criteria."""
    now = timezone.now()
    dates = {
        "opens_at": now - timedelta(days=30),
        "closes_at": now + timedelta(days=1),
        "reviews_close_at": now + timedelta(days=14),
    }
    cohort = open_cohort(**(dates | overrides))
    RubricCriterionFactory(cohort=cohort, name="Open models", weight=3, scale_max=5)
    RubricCriterionFactory(cohort=cohort, name="Team", weight=1, scale_max=5)
    RubricCriterionFactory(cohort=cohort, name="Fun", weight=0, scale_max=3)
    return cohort


def close_call(cohort) -> None:
    """Move the call's closing time a day into the past (applications were submitted while
    it was open)."""
    type(cohort).objects.filter(pk=cohort.pk).update(closes_at=timezone.now() - timedelta(days=1))
    cohort.refresh_from_db()


def accepted_reviewer(cohort, user=None, **fields) -> Reviewer:
    user = user or UserFactory()
    manager = staff_member(programs=[cohort.program])
    reviewer = services.reviewer_invite(cohort=cohort, email=user.email, invited_by=manager,
                                        base_url="http://testserver", **fields)  # fmt: skip
    return services.reviewer_invitation_accept(token=reviewer.token, user=user)


def assign(reviewer: Reviewer, application) -> Assignment:
    return services.assignment_create(reviewer=reviewer, application=application,
                                      created_by=None)  # fmt: skip


def complete_review(
    assignment: Assignment,
    *,
    scores=("4", "5", NOT_APPLICABLE),
    recommendation="yes",
    confidence="high",
    comment="Solid team.",
) -> None:
    criteria = list(assignment.application.cohort.criteria.all())
    for criterion, score in zip(criteria, scores, strict=True):
        services.review_field_save(assignment=assignment, key=f"score:{criterion.pk}",
                                   value=score, base_version=0)  # fmt: skip
    services.review_field_save(assignment=assignment, key=f"comment:{criteria[0].pk}",
                               value=comment, base_version=0)  # fmt: skip
    services.review_field_save(assignment=assignment, key="recommendation",
                               value=recommendation, base_version=0)  # fmt: skip
    services.review_field_save(assignment=assignment, key="confidence", value=confidence,
                               base_version=0)  # fmt: skip
    services.review_submit(assignment=assignment)
