"""The interview scores (#17) joined to the decisions (#18) and the funnel (#19): the decision
record's scores by user id and their mean, the decisions page's interview mean, and the
funnel's "interviewed" count."""

import json

import pytest
from django.urls import reverse

from cohorts.models import InterviewCriterion
from selection import decisions, interviews
from selection.funnel import cohort_funnel
from tests.clock import clock_pinned
from tests.factories import staff_member
from tests.factories.reviews import close_call

from .world import reviewed_cohort

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Four reviewed applications, the first two shortlisted. Interview rubric: Pitch (weight
    2) and Demo (weight 1), both on 1–5. Three panel members score the first application:
    1.0, 0.5 and an incomplete sheet (Pitch only) with a note; one scores the second: 0.25."""
    world = reviewed_cohort(capacity=2)
    close_call(world.cohort)
    world.manager = staff_member(programs=[world.cohort.program], full_name="Camille Manager")
    pitch, demo = (
        InterviewCriterion.objects.create(
            cohort=world.cohort, order=order, name=name, weight=weight, scale_max=5
        )
        for order, (name, weight) in enumerate([("Pitch", 2), ("Demo", 1)], 1)
    )
    first, second = interviews.shortlist_add(
        cohort=world.cohort, application_ids=[a.pk for a in world.applications[:2]],
        actor=world.manager,
    )  # fmt: skip
    world.panel = [reviewer.user for reviewer in world.reviewers]
    sheets = [
        (first, world.panel[0], {f"c{pitch.pk}": 5, f"c{demo.pk}": 5}, ""),  # 1.0
        (first, world.panel[1], {f"c{pitch.pk}": 3, f"c{demo.pk}": 3}, ""),  # 0.5
        (first, world.panel[2], {f"c{pitch.pk}": 4}, "Secret panel note"),  # incomplete
        (second, world.panel[1], {f"c{pitch.pk}": 1, f"c{demo.pk}": 4}, ""),  # 0.25
    ]
    for application, user, scores, notes in sheets:
        interviews.interview_score_save(application=application, user=user, scores=scores,
                                        notes=notes)  # fmt: skip
    return world


def test_the_decision_record_holds_each_interview_score_by_user_id_and_their_mean(client, world):
    manager, (first, second, third, fourth) = world.manager, world.applications
    outcomes = ["winner", "winner", "waitlisted", "rejected"]
    for application, outcome in zip(world.applications, outcomes, strict=True):
        decisions.decision_set(application=application, outcome=outcome, actor=manager,
                               feedback="Private feedback", note="Private note")  # fmt: skip
    state = decisions.publication_state(world.cohort)

    record = decisions.decisions_publish(cohort=world.cohort, actor=manager,
                                         fingerprint=state.fingerprint)  # fmt: skip

    entries = {e["id"]: e for e in json.loads(record.content)["applications"]}
    first_scores = sorted(
        [(world.panel[0].pk, 1.0), (world.panel[1].pk, 0.5), (world.panel[2].pk, None)]
    )
    assert entries[first.pk]["interview_scores"] == [
        {"user": user_id, "score": score} for user_id, score in first_scores
    ]
    assert entries[first.pk]["interview_mean"] == 0.75
    assert entries[second.pk]["interview_scores"] == [{"user": world.panel[1].pk, "score": 0.25}]
    assert entries[second.pk]["interview_mean"] == 0.25
    assert (entries[third.pk]["interview_scores"], entries[third.pk]["interview_mean"]) == (
        [],
        None,
    )
    assert (entries[fourth.pk]["interview_scores"], entries[fourth.pk]["interview_mean"]) == (
        [], None)  # fmt: skip
    for private in ["Secret panel note", "Private feedback", "Private note", "Camille",
                    first.startup.name, *(user.email for user in world.panel)]:  # fmt: skip
        assert private not in record.content

    client.force_login(manager)
    page = client.get(reverse("staff:decision_record", args=[world.cohort.pk])).content.decode()

    cells = page.split('class="number interview-mean">')[1:]
    assert [cell.split("<")[0] for cell in cells] == ["0.75", "0.25", "—", "—"]


def test_the_decisions_page_shows_each_application_interview_mean(client, world):
    client.force_login(world.manager)

    response = client.get(reverse("staff:decisions", args=[world.cohort.pk]))

    means = {application.pk: mean for application, _e, _d, mean in response.context["applications"]}
    first, second, third, fourth = world.applications
    assert means == {first.pk: 0.75, second.pk: 0.25, third.pk: None, fourth.pk: None}
    page = response.content.decode()
    cells = page.split('class="number interview-mean">')[1:]
    ranked = [a.pk for a, _e, _d, _m in response.context["applications"]]
    expected = {first.pk: "0.75", second.pk: "0.25", third.pk: "—", fourth.pk: "—"}
    assert [cell.split("<")[0] for cell in cells] == [expected[pk] for pk in ranked]
    assert "Interview mean" in page


def test_the_funnel_counts_applications_with_an_interview_score_as_interviewed(world):
    counts = {stage.key: stage.count for stage in cohort_funnel(world.cohort)}

    assert counts == {
        "started": 4, "submitted": 4, "reviewed": 4, "shortlisted": 2, "interviewed": 2,
        "winners": 0, "accepted": 0,
    }  # fmt: skip
