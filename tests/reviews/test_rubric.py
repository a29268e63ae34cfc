"""The rubric a review was given on stays as it was: scales start at 2, and a cohort's criteria
are locked in the admin once a review has started."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from cohorts.models import RubricCriterion
from reviews import services
from tests.factories import staff_member
from tests.factories.applications import submitted_application
from tests.factories.cohorts import RubricCriterionFactory
from tests.factories.reviews import accepted_reviewer, assign, reviewing_cohort

pytestmark = pytest.mark.django_db


def test_a_one_point_scale_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        RubricCriterionFactory(scale_max=1)


def test_criteria_lock_once_a_review_has_started(client):
    cohort = reviewing_cohort()
    application = submitted_application(cohort=cohort, deck_pages=None)
    manager = staff_member(programs=[cohort.program])
    client.force_login(manager)
    url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    before = client.get(url)
    criterion = cohort.criteria.first()

    assignment = assign(accepted_reviewer(cohort), application)
    services.review_field_save(assignment=assignment, key=f"score:{criterion.pk}", value="3",
                               base_version=0)  # fmt: skip
    after = client.get(url)

    locked = (
        "Reviews of this cohort have started: its criteria can no longer be added, removed, "
        "reweighted or rescaled."
    )
    assert locked not in before.content.decode()
    assert locked in after.content.decode()
    inline = next(
        formset
        for formset in after.context["inline_admin_formsets"]
        if formset.formset.model is RubricCriterion
    )
    assert (inline.has_add_permission, inline.has_change_permission,
            inline.has_delete_permission) == (False, False, False)  # fmt: skip
