"""What `load_station_f --demo` adds on the reviews' side, in the demo cohort in review: the
demo reviewer and three co-reviewers from Meta, Hugging Face and Scaleway, three reviewers
for every application but the last two (one each, so that the demo manager has slots to
fill with "Assign automatically"), and some reviews already submitted, so that the demo
reviewer sees others' reviews once theirs is in."""

import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.utils import timezone

from cohorts.models import Partner
from cohorts.signals import demo_loaded

from . import services
from .enums import NOT_APPLICABLE
from .models import DEFAULT_MAX_ASSIGNMENTS, Reviewer

DEMO_REVIEWER = {
    "email": "reviewer@demo.accelerator.localhost",
    "password": "demo-reviewer-Station-F",
    "full_name": "Demo Reviewer",
}
CO_REVIEWERS = [
    ("Yann Morel", "yann@reviewers.demo.accelerator.localhost", "meta"),
    ("Clara Weiss", "clara@reviewers.demo.accelerator.localhost", "hugging-face"),
    ("Hugo Lambert", "hugo@reviewers.demo.accelerator.localhost", "scaleway"),
]
# What co-reviewers say: scores per criterion (cycled), recommendation, confidence, comment.
REVIEW_STYLES = [
    (["4", "4", "3", "3", "4"], "yes", "high", "Strong use of open weights; traction is early."),
    (["3", "2", "4", "2", NOT_APPLICABLE], "maybe", "medium",
     "Good team, but the model work is thin so far."),
    (["5", "4", "4", "3", "5"], "strong_yes", "high",
     "Excellent fit with the programme: clear need for GPU time."),
    (["2", "3", "3", "1", "2"], "no", "low", "Too early; come back with a pilot."),
]  # fmt: skip


def _user(full_name: str, email: str, password: str | None):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, password, full_name=full_name)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _reviewer(cohort, user, partner, now) -> Reviewer:
    return Reviewer.objects.create(
        cohort=cohort, email=user.email, user=user, partner=partner,
        max_assignments=DEFAULT_MAX_ASSIGNMENTS, token=secrets.token_urlsafe(32),
        invited_at=now, expires_at=now, accepted_at=now,
    )  # fmt: skip


def _review(assignment, style) -> None:
    scores, recommendation, confidence, comment = style
    criteria = list(assignment.application.cohort.criteria.all())
    for index, criterion in enumerate(criteria):
        score = scores[index % len(scores)]
        if score != NOT_APPLICABLE and int(score) > criterion.scale_max:
            score = str(criterion.scale_max)
        services.review_field_save(assignment=assignment, key=f"score:{criterion.pk}",
                                   value=score, base_version=0)  # fmt: skip
    services.review_field_save(assignment=assignment, key=f"comment:{criteria[0].pk}",
                               value=comment, base_version=0)  # fmt: skip
    services.review_field_save(assignment=assignment, key="recommendation",
                               value=recommendation, base_version=0)  # fmt: skip
    services.review_field_save(assignment=assignment, key="confidence", value=confidence,
                               base_version=0)  # fmt: skip
    services.review_submit(assignment=assignment)


# Best first: each application's merit picks a style, shifted by each co-reviewer's habit
# (Yann lenient, Clara even, Hugo harsh), so the demo ranking has differences to find and a
# lenient reviewer to correct for.
STYLES_BEST_FIRST = [REVIEW_STYLES[2], REVIEW_STYLES[0], REVIEW_STYLES[1], REVIEW_STYLES[3]]
APPLICATION_MERIT = [0, 2, 1, 3, 1, 0, 2, 3, 1, 2, 0, 3]
CO_REVIEWER_HABIT = [-1, 0, 1]


def _style(application_index: int, co_reviewer_index: int):
    merit = APPLICATION_MERIT[application_index % len(APPLICATION_MERIT)]
    shifted = merit + CO_REVIEWER_HABIT[co_reviewer_index % len(CO_REVIEWER_HABIT)]
    return STYLES_BEST_FIRST[min(max(shifted, 0), len(STYLES_BEST_FIRST) - 1)]


@receiver(demo_loaded)
def add_demo_reviews(sender, now, review_cohort=None, **kwargs) -> list[str]:
    if review_cohort is None or Reviewer.objects.filter(cohort=review_cohort).exists():
        return []
    now = timezone.now()
    demo = _user(DEMO_REVIEWER["full_name"], DEMO_REVIEWER["email"], DEMO_REVIEWER["password"])
    reviewers = [_reviewer(review_cohort, demo, None, now)]
    for full_name, email, partner_slug in CO_REVIEWERS:
        partner = Partner.objects.filter(slug=partner_slug).first()
        reviewers.append(_reviewer(review_cohort, _user(full_name, email, None), partner, now))
    # What the demo manager finds on the cohort's conflicts page (a startup named them).
    services.conflicts_refresh(cohort=review_cohort)
    applications = list(review_cohort.applications.order_by("pk"))
    # Three reviewers per application, turn by turn, but one for the last two applications:
    # four slots for the automatic assignment to fill.
    for index, application in enumerate(applications):
        for offset in range(1 if index >= len(applications) - 2 else 3):
            reviewer = reviewers[(index + offset) % len(reviewers)]
            assignment = services.assignment_create(
                reviewer=reviewer, application=application, created_by=None
            )
            # Co-reviewers have already reviewed two applications in three.
            if reviewer is not reviewers[0] and index % 3 != 2:
                _review(assignment, _style(index, reviewers.index(reviewer) - 1))
    return [f"user {demo.email}", f"{len(reviewers)} reviewers of the demo cohort in review"]
