"""A cohort's deadline reminder offsets, as staff type them in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.offsets import OffsetsField, offsets_format, offsets_parse
from tests.factories.cohorts import CohortFactory


def test_offsets_are_typed_in_days_hours_and_minutes_and_kept_largest_first():
    assert offsets_parse("3h, 7d,2D , 90m, 3h") == [10080, 2880, 180, 90]
    assert offsets_parse("") == []
    assert offsets_format([10080, 2880, 180, 90]) == "7d, 2d, 3h, 90m"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("7 days", "“7 days” is not a time before the deadline: write e.g. 7d, 2d, 3h or 30m."),
        ("-2d", "“-2d” is not a time before the deadline: write e.g. 7d, 2d, 3h or 30m."),
        ("31d", "Each reminder comes between 1 minute and 30 days before the deadline."),
        ("0m", "Each reminder comes between 1 minute and 30 days before the deadline."),
    ],
)
def test_a_wrong_offset_is_refused_with_a_clear_message(typed, message):
    with pytest.raises(ValidationError) as refused:
        OffsetsField(required=False).clean(typed)

    assert refused.value.messages == [message]


@pytest.mark.django_db
def test_the_cohort_admin_shows_the_offsets_as_typed(staff_client):
    cohort = CohortFactory()

    page = staff_client.get(reverse("admin:cohorts_cohort_change", args=[cohort.pk]))

    assert page.status_code == 200
    assert 'name="reminder_offsets" value="7d, 2d, 3h"' in page.content.decode()


def post_cohort_admin(client, cohort, **changes):
    url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None
        and key not in {"required_stages", "opens_at", "closes_at", "reminder_offsets"}
    }
    data |= {
        "opens_at_0": "2024-06-25", "opens_at_1": "00:00:00",
        "closes_at_0": "2024-08-16", "closes_at_1": "23:59:59",
    }  # fmt: skip
    for prefix in ("cohort_partners", "questions", "criteria", "interview_criteria"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return client.post(url, data | changes)


@pytest.mark.django_db
def test_staff_change_the_offsets_on_the_cohort(staff_client):
    cohort = CohortFactory()

    response = post_cohort_admin(staff_client, cohort, reminder_offsets="10d, 1d, 30m")

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.reminder_offsets == [14400, 1440, 30]


@pytest.mark.django_db
def test_a_wrong_offset_in_the_admin_is_explained_and_nothing_changes(staff_client):
    cohort = CohortFactory()

    response = post_cohort_admin(staff_client, cohort, reminder_offsets="2 weeks")

    assert response.status_code == 200
    assert "is not a time before the deadline" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.reminder_offsets == [10080, 2880, 180]
