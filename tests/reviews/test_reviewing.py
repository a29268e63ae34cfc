"""A reviewer's loop: the queue, reading the submitted version, the form saved as they type,
submitting, others' reviews, a conflict, a hand-back."""

import pytest
from django.urls import reverse
from django.utils import translation

from applications import services as application_services
from reviews.models import Assignment, ReviewField
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.cohorts import QuestionFactory
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    cohort = reviewing_cohort()
    question = QuestionFactory(cohort=cohort, label="What do you build?", required=False)
    application = submitted_application(
        cohort=cohort, startup=StartupFactory(name="Lumen Legal AI"),
        answers={question: "Contracts in plain French"},
    )  # fmt: skip
    close_call(cohort)
    me = accepted_reviewer(cohort, UserFactory(full_name="Rita Reviewer"))
    other = accepted_reviewer(cohort, UserFactory(full_name="Otto Other"))
    mine = assign(me, application)
    theirs = assign(other, application)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(me.user, generate_totp_secret())
    client.force_login(me.user)

    class World:
        pass

    world = World()
    world.cohort, world.application, world.me, world.other = cohort, application, me, other
    world.mine, world.theirs = mine, theirs
    return world


def test_the_queue_lists_my_assignment_and_the_review_page_reads_the_submitted_version(
    client, world
):
    queue = client.get(reverse("review:queue"))
    page = client.get(reverse("review:review", args=[world.application.pk]))

    assert queue.status_code == 200
    assert "Lumen Legal AI" in queue.content.decode()
    assert page.status_code == 200
    assert "Contracts in plain French" in page.content.decode()


def test_fields_save_as_typed_and_a_stale_tab_gets_a_conflict(client, world):
    criterion = world.cohort.criteria.first()
    url = reverse("review:field", args=[world.application.pk, f"score:{criterion.pk}"])

    saved = client.post(url, {"value": "4", "version": 0}, HTTP_HX_REQUEST="true")
    stale = client.post(url, {"value": "2", "version": 0}, HTTP_HX_REQUEST="true")
    wrong = client.post(url, {"value": "9", "version": 1}, HTTP_HX_REQUEST="true")

    assert saved.status_code == 200
    assert 'value="1"' in saved.content.decode()
    assert stale.status_code == 409
    assert wrong.status_code == 409
    assert "Choose a score from 1 to 5, or not applicable." in wrong.content.decode()
    assert ReviewField.objects.get(key=f"score:{criterion.pk}").value == "4"


def test_others_reviews_show_only_after_submitting_mine(client, world):
    complete_review(world.theirs, comment="Their unique comment")
    url = reverse("review:review", args=[world.application.pk])

    before = client.get(url).content.decode()
    complete_review(world.mine)
    after = client.get(url).content.decode()

    assert "Their unique comment" not in before
    assert "Their unique comment" in after


def test_declaring_a_conflict_ends_the_assignment_and_hides_the_application(client, world):
    complete_review(world.mine)

    response = client.post(reverse("review:conflict", args=[world.application.pk]),
                           {"kind": "investor", "note": "I invested"})  # fmt: skip

    assert response.status_code == 302
    assert Assignment.objects.get(pk=world.mine.pk).end_reason == "conflict"
    assert client.get(reverse("review:review", args=[world.application.pk])).status_code == 404
    assert "Lumen Legal AI" not in client.get(reverse("review:queue")).content.decode()


def test_a_reviewer_hands_back_an_assignment_not_started(client, world):
    response = client.post(reverse("review:hand_back", args=[world.application.pk]),
                           {"reason": "Travelling"})  # fmt: skip

    assignment = Assignment.objects.get(pk=world.mine.pk)
    assert response.status_code == 302
    assert (assignment.end_reason, assignment.hand_back_reason) == ("handed_back", "Travelling")


def test_a_withdrawn_application_ends_its_assignments(world):
    founder = world.application.startup.memberships.get().user
    application_services.application_withdraw(application=world.application, user=founder)

    assert set(Assignment.objects.values_list("end_reason", flat=True)) == {"withdrawn"}


def test_a_conflict_is_declared_from_the_queue_before_reading_even_before_the_deadline(
    client, world
):
    from datetime import timedelta

    from applications import services as application_services

    application_services.extension_grant(
        application=world.application, closes_at=world.cohort.closes_at + timedelta(days=5),
        reason="Founder in hospital", granted_by=None,
    )  # fmt: skip
    queue = client.get(reverse("review:queue")).content.decode()

    response = client.post(reverse("review:conflict", args=[world.application.pk]),
                           {"kind": "competitor"})  # fmt: skip

    assert reverse("review:conflict", args=[world.application.pk]) in queue
    assert response.status_code == 302
    assert Assignment.objects.get(pk=world.mine.pk).end_reason == "conflict"


def test_autosave_takes_only_the_choices_and_the_rubric_s_ascii_integers(client, world):
    criterion = world.cohort.criteria.first()
    score = f"score:{criterion.pk}"
    refused = {
        "recommendation": ["<svg onload=alert(1)>", "999", "Yes", "yes ", "yes\n"],
        "confidence": ["999", "<svg>", "HIGH"],
        score: ["３", " 3", "+3", "0_3", "3\n", "٣"],
    }
    messages = {
        "recommendation": "Choose one of the recommendations offered.",
        "confidence": "Choose one of the confidence levels offered.",
        score: "Choose a score from 1 to 5, or not applicable.",
    }

    answers = {
        (key, value): client.post(
            reverse("review:field", args=[world.application.pk, key]),
            {"value": value, "version": 0},
            HTTP_HX_REQUEST="true",
        )
        for key, values in refused.items()
        for value in values
    }

    assert {
        (key, value): (answer.status_code, messages[key] in answer.content.decode())
        for (key, value), answer in answers.items()
    } == {pair: (409, True) for pair in answers}
    assert list(ReviewField.objects.values_list("key", "value")) == []


def test_a_refused_review_field_is_explained_in_french(client, world):
    world.me.user.language = "fr"
    world.me.user.save(update_fields=["language"])
    with translation.override("fr"):
        url = reverse("review:field", args=[world.application.pk, "confidence"])

    answer = client.post(url, {"value": "999", "version": 0}, HTTP_HX_REQUEST="true")

    assert answer.status_code == 409
    assert "Choisissez l’un des niveaux de confiance proposés." in answer.content.decode()
    assert ReviewField.objects.count() == 0
