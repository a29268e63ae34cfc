"""Review reminders: reviewers with unfinished assigned reviews, 3 days and 1 day before reviews
close, one email listing them; blind cohorts name applications by number only."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from notifications.models import EmailKind, EmailState, OutgoingEmail, Unsubscription
from notifications.services import email_deliver
from reviews.enums import AssignmentEnd
from reviews.reminders import review_reminder_key, review_reminders_sweep
from reviews.services import assignment_end
from tests.clock import clock_pinned
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

DAY, HOUR, SECOND = timedelta(days=1), timedelta(hours=1), timedelta(seconds=1)


def reminders():
    return OutgoingEmail.objects.filter(kind=EmailKind.REVIEW_REMINDER)


def cohort_in_review(*, blind=False, applications=2):
    cohort = reviewing_cohort(blind_review=blind)
    submitted = [
        submitted_application(cohort=cohort, startup=StartupFactory(name=f"Lumen {n}"))
        for n in range(applications)
    ]
    close_call(cohort)
    return cohort, submitted


def test_a_reviewer_with_unfinished_reviews_gets_one_email_listing_them():
    cohort, (first, second) = cohort_in_review()
    rita = accepted_reviewer(cohort, UserFactory(full_name="Rita", language="en"))
    done = accepted_reviewer(cohort)
    assign(rita, first)
    assign(rita, second)
    complete_review(assign(done, first))

    review_reminders_sweep(cohort.reviews_close_at - 3 * DAY + SECOND)

    [email] = reminders()
    assert email.recipient == rita.user
    assert email.idempotency_key == review_reminder_key(
        reviewer_id=rita.pk, offset=3 * 24 * 60, closes_at=cohort.reviews_close_at
    )
    assert email.subject == f"2 reviews to finish: {cohort}"
    assert (
        f"- Lumen 0 (application #{first.pk})\n"
        f"  http://localhost:8000/review/applications/{first.pk}/\n"
    ) in email.body_text
    assert f"- Lumen 1 (application #{second.pk})" in email.body_text
    assert email.send_before == cohort.reviews_close_at


def test_on_a_blind_cohort_applications_are_named_by_number_never_by_startup():
    cohort, (first, second) = cohort_in_review(blind=True)
    reviewer = accepted_reviewer(cohort, UserFactory(language="fr"))
    assign(reviewer, first)
    assign(reviewer, second)

    review_reminders_sweep(cohort.reviews_close_at - DAY + SECOND)

    [email] = reminders().filter(state=EmailState.QUEUED)
    assert (
        f"- Candidature n° {first.pk}\n  http://localhost:8000/fr/review/applications/{first.pk}/"
    ) in email.body_text
    assert f"Candidature n° {second.pk}" in email.body_html
    assert "Lumen" not in email.body_text + email.body_html + email.subject
    assert email.subject == f"2 évaluations à terminer : {cohort}"


def test_the_marks_send_once_each_and_the_nearest_only_when_both_are_due():
    cohort, (application, _other) = cohort_in_review()
    reviewer = accepted_reviewer(cohort)
    assign(reviewer, application)
    closes = cohort.reviews_close_at

    counts = [
        review_reminders_sweep(moment)
        for moment in (closes - 3 * DAY - SECOND, closes - 3 * DAY + SECOND,
                       closes - 3 * DAY + HOUR, closes - DAY + SECOND, closes)
    ]  # fmt: skip

    assert counts == [0, 1, 0, 1, 0]
    reminders().delete()
    assert review_reminders_sweep(closes - DAY + SECOND) == 2
    assert sorted(reminders().values_list("state", flat=True)) == [
        EmailState.QUEUED, EmailState.SKIPPED,
    ]  # fmt: skip


def test_none_when_reviews_have_no_closing_time_or_nothing_is_left_to_do():
    cohort, (first, second) = cohort_in_review()
    finished = accepted_reviewer(cohort)
    complete_review(assign(finished, first))
    handed_back = accepted_reviewer(cohort)
    assignment_end(assignment=assign(handed_back, second), reason=AssignmentEnd.UNASSIGNED)
    undated, (third,) = cohort_in_review(applications=1)
    type(undated).objects.filter(pk=undated.pk).update(reviews_close_at=None)
    assign(accepted_reviewer(undated), third)

    assert review_reminders_sweep(cohort.reviews_close_at - DAY + SECOND) == 0
    assert reminders().count() == 0


def test_at_sending_time_a_reviewer_who_finished_is_not_reminded():
    cohort, (application, _other) = cohort_in_review()
    reviewer = accepted_reviewer(cohort)
    busy = accepted_reviewer(cohort)
    assignment = assign(reviewer, application)
    assign(busy, application)
    review_reminders_sweep(cohort.reviews_close_at - DAY + SECOND)
    complete_review(assignment)

    results = {
        email.recipient_id: email_deliver(email_id=email.pk)
        for email in reminders().filter(state=EmailState.QUEUED)
    }

    assert results == {reviewer.user_id: EmailState.CANCELLED, busy.user_id: EmailState.SENT}
    assert [message.to for message in mail.outbox if "to finish" in message.subject] == [
        [busy.user.email]
    ]


def test_a_reviewer_who_turned_them_off_gets_none():
    cohort, (application, _other) = cohort_in_review()
    reviewer = accepted_reviewer(cohort)
    assign(reviewer, application)
    Unsubscription.objects.create(user=reviewer.user, kind=EmailKind.REVIEW_REMINDER)

    assert review_reminders_sweep(cohort.reviews_close_at - DAY + SECOND) == 0


@pytest.mark.parametrize("reviewers", [2, 8])
def test_the_review_sweep_runs_in_the_same_number_of_queries_at_any_size(
    reviewers, django_assert_num_queries
):
    cohort, applications = cohort_in_review(applications=2)
    for _ in range(reviewers):
        reviewer = accepted_reviewer(cohort)
        for application in applications:
            assign(reviewer, application)

    with django_assert_num_queries(5):
        written = review_reminders_sweep(cohort.reviews_close_at - DAY + SECOND)

    assert written == 2 * reviewers


def test_a_late_reminder_goes_only_before_reviews_close():
    cohort, (application, _other) = cohort_in_review()
    assign(accepted_reviewer(cohort), application)
    review_reminders_sweep(cohort.reviews_close_at - DAY + SECOND)
    [email] = reminders().filter(state=EmailState.QUEUED)

    with time_machine.travel(cohort.reviews_close_at + SECOND, tick=False):
        assert email_deliver(email_id=email.pk) == EmailState.CANCELLED
