"""The funnel's numbers on a hand-built cohort, and its fixed number of queries."""

import pytest
from django.urls import reverse

from applications import services as application_services
from applications.enums import ApplicationStatus
from selection import decisions, offers
from selection.funnel import cohort_funnel
from selection.models import Offer
from tests.clock import clock_pinned
from tests.factories import staff_member
from tests.factories.applications import make_application

from .world import reviewed_cohort

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db


def _counts(cohort):
    return {stage.key: stage.count for stage in cohort_funnel(cohort)}


def test_the_funnel_counts_every_stage_each_application_passed():
    world = reviewed_cohort(capacity=2, extra_applications=1)  # 4 reviewed, 1 not
    cohort = world.cohort
    make_application(cohort=cohort)  # a draft: started only
    withdrawn = make_application(cohort=cohort, status=ApplicationStatus.SUBMITTED)
    application_services.application_transition(
        application=withdrawn, to_status=ApplicationStatus.WITHDRAWN,
        actor=withdrawn.startup.memberships.first().user,
    )  # fmt: skip
    manager = staff_member(programs=[cohort.program])
    outcomes = ["winner", "winner", "waitlisted", "rejected", "rejected"]
    for application, outcome in zip(world.applications, outcomes, strict=True):
        decisions.decision_set(application=application, outcome=outcome, actor=manager)
    fingerprint = decisions.publication_state(cohort).fingerprint
    decisions.decisions_publish(cohort=cohort, actor=manager, fingerprint=fingerprint)
    first, second = (Offer.objects.get(application=a) for a in world.applications[:2])
    offers.offer_accept(offer=first, user=None, conditions_accepted=True)
    offers.offer_decline(offer=second, user=None)  # the waitlisted third is promoted

    assert _counts(cohort) == {
        "started": 7, "submitted": 6, "reviewed": 4, "shortlisted": 0, "interviewed": 0,
        "winners": 3, "accepted": 1,
    }  # fmt: skip


@pytest.mark.parametrize("extra", [0, 3])
def test_the_funnel_takes_three_queries(extra, django_assert_num_queries):
    world = reviewed_cohort(capacity=2, extra_applications=extra)

    with django_assert_num_queries(3):
        cohort_funnel(world.cohort)


def test_the_cohort_page_shows_the_funnel_beside_the_days(client):
    world = reviewed_cohort(capacity=2)
    manager = staff_member(programs=[world.cohort.program])
    client.force_login(manager)

    response = client.get(reverse("staff:cohort", args=[world.cohort.pk]))

    rows = {row["label"]: row["count"] for row in response.context["funnel"]}
    assert rows == {"Started": 4, "Submitted": 4, "Reviewed": 4, "Shortlisted": 0,
                    "Interviewed": 0, "Winners": 0, "Accepted": 0}  # fmt: skip
    assert 'id="funnel-title"' in response.content.decode()
