"""A small cohort in review with reviews, made through the services."""

from reviews import services as review_services
from selection import services
from tests.factories.applications import submitted_application
from tests.factories.reviews import accepted_reviewer, assign, complete_review, reviewing_cohort

# Scores of the three weighted criteria ("Fun" has weight 0): application → reviewer → scores.
SCORES = [
    [("5", "5", "1"), ("4", "4", "1"), ("4", "5", "1")],
    [("3", "3", "1"), ("2", "3", "1"), ("3", "2", "1")],
    [("4", "3", "1"), ("3", "3", "1"), ("4", "4", "1")],
    [("2", "2", "1"), ("1", "2", "1"), ("2", "1", "1")],
]


class World:
    pass


def reviewed_cohort(*, extra_applications: int = 0, capacity: int = 2, compute: bool = True):
    """Four applications, each reviewed by the same three reviewers, and `extra_applications`
    submitted without any review."""
    world = World()
    world.cohort = reviewing_cohort(capacity=capacity)
    world.applications = [
        submitted_application(cohort=world.cohort, deck_pages=None)
        for _ in range(len(SCORES) + extra_applications)
    ]
    world.reviewers = [accepted_reviewer(world.cohort) for _ in range(3)]
    world.assignments = {}
    for application, by_reviewer in zip(world.applications, SCORES, strict=False):
        for reviewer, scores in zip(world.reviewers, by_reviewer, strict=True):
            assignment = assign(reviewer, application)
            world.assignments[application.pk, reviewer.pk] = assignment
            recommendation = "strong_yes" if scores[0] == "5" else "maybe"
            complete_review(assignment, scores=scores, recommendation=recommendation)
    if compute:
        world.ranking = services.ranking_compute(cohort=world.cohort)
    return world


def declare_conflict(world, application, reviewer):
    return review_services.conflict_declare(
        user=reviewer.user, application=application, kind="investor"
    )
