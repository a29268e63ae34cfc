"""A reviewer who deletes their account takes nothing of the decision with them: their reviews,
interview scores and conflicts of interest stay (under a nameless stand-in), the ranking reads
the same inputs, their export holds all three, and coming back with the same address puts
them in the same conflicts again, though the address is kept nowhere."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import models
from django.db.models import ProtectedError, Q
from django.urls import reverse

from accounts.models import User
from cohorts.models import InterviewCriterion
from notifications.models import OutgoingEmail
from reviews import services
from reviews.assignment import plan_assignments
from reviews.enums import AssignmentEnd, ConflictState
from reviews.models import Assignment, Conflict, Review, Reviewer
from reviews.selectors import assignment_input, scored_reviews
from selection import interviews
from selection.models import ApplicationEstimate, InterviewScore
from selection.selectors import ranking_inputs
from selection.services import ranking_compute
from tests.factories import PASSWORD, UserFactory
from tests.factories.applications import submitted_application
from tests.factories.reviews import accepted_reviewer, assign
from tests.selection.world import reviewed_cohort
from tests.shared_world import module_world

pytestmark = pytest.mark.django_db

ADDRESS = "Rita.Reviewer@lumen.example"


def build_world():
    world = reviewed_cohort(compute=False)
    rita = world.reviewers[0]
    User.objects.filter(pk=rita.user.pk).update(email=ADDRESS, full_name="Rita Reviewer")
    rita.user.refresh_from_db()
    rita.user.emailaddress_set.update(email=ADDRESS)
    Reviewer.objects.filter(pk=rita.pk).update(email=ADDRESS)
    OutgoingEmail.objects.filter(pk=rita.invitation_email_id).update(to_address=ADDRESS)
    first, second = world.applications[:2]
    # Submitted first, then declared: the review is kept and no longer counts.
    world.conflict = services.conflict_declare(
        user=rita.user, application=first, kind="investor", note="I invested in them in 2024."
    )
    criterion = InterviewCriterion.objects.create(cohort=world.cohort, order=1, name="Pitch",
                                                  weight=1, scale_max=5)  # fmt: skip
    interviews.interview_score_save(
        application=second, user=rita.user, scores={f"c{criterion.pk}": "4"}, notes="Sharp answers."
    )
    world.unread = assign(rita, submitted_application(cohort=world.cohort, deck_pages=None))
    world.rita = rita
    ranking_compute(cohort=world.cohort)
    return world


world = module_world(build_world)


def delete_account(client, user):
    client.force_login(user)
    return client.post(reverse("my_data"), {"password": PASSWORD})


def what_counts(cohort) -> SimpleNamespace:
    applications = list(cohort.applications.values_list("pk", flat=True))
    return SimpleNamespace(
        reviews=Review.objects.filter(application__cohort=cohort).count(),
        submitted=Review.objects.filter(
            application__cohort=cohort, submitted_at__isnull=False
        ).count(),
        counted=sorted(scored_reviews(applications).values_list("pk", flat=True)),
        interview_scores=list(InterviewScore.objects.values_list("application", "scores", "notes")),
        conflicts=list(Conflict.objects.values_list("application", "kind", "state", "note")),
        ranking_inputs=ranking_inputs(cohort).digest(k=cohort.capacity),
    )


def estimates(cohort) -> list:
    return list(
        ApplicationEstimate.objects.filter(cohort=cohort)
        .order_by("application_id")
        .values_list("application_id", "rank", "calibrated_score", "reviews_submitted",
                     "reviews_excluded")
    )  # fmt: skip


def test_deleting_a_reviewer_keeps_their_reviews_scores_conflicts_and_the_ranking(client, world):
    before, ranked_before = what_counts(world.cohort), estimates(world.cohort)

    response = delete_account(client, world.rita.user)
    ranking_compute(cohort=world.cohort)

    assert response.status_code == 302
    assert not User.objects.filter(pk=world.rita.user.pk).exists()
    assert (before.reviews, before.submitted, len(before.counted)) == (12, 12, 11)
    assert what_counts(world.cohort) == before
    assert estimates(world.cohort) == ranked_before
    role = Reviewer.objects.get(pk=world.rita.pk)
    stand_in = role.user
    assert (stand_in.email, stand_in.full_name, stand_in.is_active) == (
        f"deleted-user-{world.rita.user.pk}@invalid.invalid",
        "",
        False,
    )
    assert not stand_in.has_usable_password()
    assert role.email == stand_in.email
    assert role.revoked_at is not None
    assert Assignment.objects.get(pk=world.unread.pk).end_reason == AssignmentEnd.ACCOUNT_DELETED
    from accounts.personal_data import address_digest  # here: the module loads without it

    conflict = Conflict.objects.get(pk=world.conflict.pk)
    assert (conflict.user, conflict.state, conflict.email_digest) == (
        stand_in,
        ConflictState.CONFIRMED,
        address_digest("rita.reviewer@lumen.example"),
    )


def test_a_reviewer_deleted_any_other_way_is_refused(world):
    with pytest.raises(ProtectedError):
        User.objects.get(pk=world.rita.user_id).delete()

    assert Review.objects.filter(reviewer=world.rita).count() == 4


def test_the_reviewer_s_export_holds_their_reviews_conflicts_and_interview_scores(client, world):
    client.force_login(world.rita.user)

    data = client.get(reverse("my_data_download")).json()

    assert [role["invited_address"] for role in data["reviewer_roles"]] == [ADDRESS]
    assert sorted(review["application"] for review in data["reviews"]) == sorted(
        application.pk for application in world.applications[:4]
    )
    first = next(r for r in data["reviews"] if r["application"] == world.applications[0].pk)
    assert [(f["field"], f["criterion"], f["value"]) for f in first["fields"]] == [
        ("comment", "Open models", "Solid team."),
        ("confidence", None, "high"),
        ("recommendation", None, "strong_yes"),
        ("score", "Open models", "5"),
        ("score", "Team", "5"),
        ("score", "Fun", "1"),
    ]
    assert [
        (c["application"], c["kind"], c["state"], c["note"]) for c in data["conflicts_of_interest"]
    ] == [(world.applications[0].pk, "investor", "confirmed", "I invested in them in 2024.")]
    assert [(s["application"], s["notes"]) for s in data["interview_scores"]] == [
        (world.applications[1].pk, "Sharp answers.")
    ]


def text_columns_holding(value: str) -> list[str]:
    """Every model's text column, in the whole database, where `value` appears (any case)."""
    found = []
    for model in apps.get_models():
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        query = Q()
        for name in fields:
            query |= Q(**{f"{name}__icontains": value})
        if model._default_manager.filter(query).exists():
            found.append(model._meta.label)
    return found


def test_coming_back_with_the_same_address_is_in_conflict_again_and_the_address_is_kept_nowhere(
    client, world
):
    first = world.applications[0]
    delete_account(client, world.rita.user)
    kept = text_columns_holding("rita.reviewer@lumen")

    back = UserFactory(email="rita.reviewer@LUMEN.example", full_name="Rita Again")
    role = accepted_reviewer(world.cohort, back)
    with pytest.raises(services.ReviewError) as refused:
        services.assignment_create(reviewer=role, application=first, created_by=None)
    plan = plan_assignments(**assignment_input(world.cohort))

    assert kept == []
    assert refused.value.problems == ["This reviewer has a conflict of interest with this startup."]
    # `first` lacks a review that counts and she is the only reviewer not on it yet.
    assert [pair for pair in plan.pairs if pair[1] == first.pk] == []
    assert list(
        Conflict.objects.filter(user=back).values_list("application", "kind", "state", "note")
    ) == [(first.pk, "investor", ConflictState.CONFIRMED, "I invested in them in 2024.")]
    # The stand-in's own conflict stays: its submitted review of `first` still does not count.
    assert Conflict.objects.filter(application=first, state=ConflictState.CONFIRMED).count() == 2
