"""Screening: staff set submitted applications aside (not to be reviewed), one by one or in
bulk, with a reason, and may take them back until decisions."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.enums import ApplicationStatus
from applications.models import Application, ApplicationEvent
from reviews import services as review_services
from reviews.enums import AssignmentEnd
from reviews.models import Assignment, Review
from tests.clock import clock_pinned
from tests.factories import staff_member
from tests.factories.applications import make_application, submitted_application
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return reviewing_cohort()


@pytest.fixture
def manager(cohort):
    return staff_member(programs=[cohort.program], full_name="Inès Manager")


def test_screening_out_records_why_and_who_and_ends_the_assignments(cohort, manager):
    application = submitted_application(cohort=cohort, deck_pages=None)
    close_call(cohort)
    reviewed, pending = accepted_reviewer(cohort), accepted_reviewer(cohort)
    complete_review(assign(reviewed, application))
    assign(pending, application)

    services.application_screen_out(application=application, by=manager, reason=" Out of scope. ")

    application.refresh_from_db()
    assert application.screened_out_by == manager
    assert application.screened_out_reason == "Out of scope."
    assert application.screened_out_at is not None
    assert application.status == ApplicationStatus.SUBMITTED
    ended = Assignment.objects.filter(application=application).values_list("end_reason", flat=True)
    assert list(ended) == [AssignmentEnd.SCREENED_OUT, AssignmentEnd.SCREENED_OUT]
    assert Review.objects.filter(application=application, submitted_at__isnull=False).count() == 1
    event = ApplicationEvent.objects.filter(application=application).latest("pk")
    assert (event.from_status, event.to_status) == ("submitted", "submitted")
    assert event.note == "Screened out: Out of scope."
    assert event.actor == manager


def test_a_reason_is_required(cohort, manager):
    application = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)

    with pytest.raises(services.ApplicationError) as error:
        services.application_screen_out(application=application, by=manager, reason="  ")

    assert error.value.problems == ["Say why this application is screened out."]
    assert Application.objects.get(pk=application.pk).screened_out_at is None


@pytest.mark.parametrize(
    "status", [ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN, ApplicationStatus.SHORTLISTED]
)
def test_only_submitted_applications_are_screened(cohort, manager, status):
    application = make_application(status=status, cohort=cohort)

    with pytest.raises(services.ApplicationError) as error:
        services.application_screen_out(application=application, by=manager, reason="Ineligible.")

    assert error.value.problems == ["Only submitted applications are screened."]


def test_screening_stops_at_decisions_both_ways(cohort, manager):
    screened, other = (
        make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort) for _ in range(2)
    )
    services.application_screen_out(application=screened, by=manager, reason="Ineligible.")
    type(cohort).objects.filter(pk=cohort.pk).update(decisions_at=cohort.closes_at)

    with time_machine.travel(cohort.closes_at + timedelta(minutes=1)):
        with pytest.raises(services.ApplicationError) as back_in:
            services.application_screen_in(application=screened, by=manager)
        with pytest.raises(services.ApplicationError) as out:
            services.application_screen_out(application=other, by=manager, reason="Late.")

    message = ["Decisions have been made: screening can no longer change."]
    assert (back_in.value.problems, out.value.problems) == (message, message)
    assert Application.objects.get(pk=screened.pk).screened_out_at is not None
    assert Application.objects.get(pk=other.pk).screened_out_at is None


def test_screening_back_in_makes_it_assignable_again(cohort, manager):
    application = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    reviewer = accepted_reviewer(cohort)
    services.application_screen_out(application=application, by=manager, reason="Ineligible.")
    with pytest.raises(review_services.ReviewError) as error:
        assign(reviewer, Application.objects.get(pk=application.pk))
    assert error.value.problems == ["This application is screened out: it is not reviewed."]

    services.application_screen_in(application=application, by=manager)

    application.refresh_from_db()
    assert (application.screened_out_at, application.screened_out_reason) == (None, "")
    assert ApplicationEvent.objects.filter(application=application).latest("pk").note == (
        "Screened back in for review."
    )
    assert assign(reviewer, application).ended_at is None


def test_screening_out_twice_or_in_without_being_out_is_refused(cohort, manager):
    application = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    with pytest.raises(services.ApplicationError):
        services.application_screen_in(application=application, by=manager)
    services.application_screen_out(application=application, by=manager, reason="Ineligible.")

    with pytest.raises(services.ApplicationError) as error:
        services.application_screen_out(application=application, by=manager, reason="Again.")

    assert error.value.problems == ["This application is already screened out."]


def test_staff_screen_out_in_bulk_from_the_list_and_are_told_what_was_refused(
    client, cohort, manager
):
    first, second = (
        make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort) for _ in range(2)
    )
    draft = make_application(cohort=cohort)
    client.force_login(manager)
    page = client.get(reverse("staff:cohort_applications", args=[cohort.pk])).content.decode()
    assert f'name="application" value="{first.pk}"' in page
    assert f'name="application" value="{draft.pk}"' not in page

    response = client.post(
        reverse("staff:cohort_screen_out", args=[cohort.pk]),
        {"application": [first.pk, second.pk, draft.pk], "reason": "Not an AI startup."},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "2 applications screened out.",
        f"{draft.startup.name}: Only submitted applications are screened.",
    ]
    screened = Application.objects.filter(screened_out_at__isnull=False)
    assert set(screened.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert set(screened.values_list("screened_out_reason", flat=True)) == {"Not an AI startup."}


def test_bulk_screening_needs_a_tick_and_a_reason(client, cohort, manager):
    application = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    client.force_login(manager)
    url = reverse("staff:cohort_screen_out", args=[cohort.pk])

    no_tick = client.post(url, {"reason": "Ineligible."}, follow=True)
    no_reason = client.post(url, {"application": [application.pk], "reason": ""}, follow=True)

    assert [str(m) for m in no_tick.context["messages"]] == ["Tick the applications to screen out."]
    assert [str(m) for m in no_reason.context["messages"]] == [
        "Say why these applications are screened out."
    ]
    assert Application.objects.filter(screened_out_at__isnull=False).count() == 0


def test_the_list_filters_screened_out_applications(client, cohort, manager):
    kept = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    screened = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    services.application_screen_out(application=screened, by=manager, reason="Ineligible.")
    client.force_login(manager)
    url = reverse("staff:cohort_applications", args=[cohort.pk])

    out = client.get(url, {"screening": "out"})
    to_review = client.get(url, {"screening": "in"})

    assert [a.pk for a in out.context["page"].object_list] == [screened.pk]
    assert [a.pk for a in to_review.context["page"].object_list] == [kept.pk]
    assert "screened out" in out.content.decode()


def test_one_application_screened_out_and_back_from_its_page(client, cohort, manager):
    application = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    client.force_login(manager)
    url = reverse("staff:application_screening", args=[application.pk])

    refused = client.post(url, {"reason": ""}, follow=True)
    out = client.post(url, {"reason": "Outside the EU."}, follow=True)

    assert [str(m) for m in refused.context["messages"]] == [
        "Say why this application is screened out."
    ]
    page = out.content.decode()
    assert "Screened out: it leaves assignment and ranking." in page
    assert "Reason: Outside the EU." in page
    assert "Inès Manager" in page

    back = client.post(url, {"action": "in"}, follow=True)

    assert [str(m) for m in back.context["messages"]] == ["Screened back in: it will be reviewed."]
    assert Application.objects.get(pk=application.pk).screened_out_at is None


def test_the_reviewers_page_lists_screened_out_applications_apart(client, cohort, manager):
    kept = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    screened = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    services.application_screen_out(application=screened, by=manager, reason="Ineligible.")
    client.force_login(manager)

    response = client.get(reverse("staff:cohort_reviewers", args=[cohort.pk]))

    assert [a.pk for a in response.context["page"].object_list] == [kept.pk]
    assert [a.pk for a in response.context["screened_out"]] == [screened.pk]
    assert f'id="application-{screened.pk}"' not in response.content.decode()
    assert "Ineligible." in response.content.decode()


def test_screened_at_is_now(cohort, manager):
    application = make_application(status=ApplicationStatus.SUBMITTED, cohort=cohort)
    moment = timezone.now().replace(microsecond=0)

    with time_machine.travel(moment, tick=False):
        services.application_screen_out(application=application, by=manager, reason="Ineligible.")

    assert Application.objects.get(pk=application.pk).screened_out_at == moment
