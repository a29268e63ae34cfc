"""An interview names the startup: a reviewer whose blind review of an application can still
change is not seated on its panel (#26, item 5); staff unassign that review first."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort
from reviews.models import Assignment
from selection import interviews
from selection.interviews import InterviewError
from tests.factories import staff_member
from tests.shared_world import module_world

from .test_interviews import NOW, _member, _stage

pytestmark = pytest.mark.django_db

REFUSAL = (
    "Rémi Relecteur has an open blind review of {startup}, and an interview names the startup: "
    "unassign that review on the cohort's Reviewers page (a submitted review is kept) before "
    "seating them on its panel."
)


def _blind_stage():
    """One shortlisted application with a slot whose panel is its manager; each of the three
    reviewers holds a submitted review of it, still open (reviews close in two weeks)."""
    world = _stage(shortlisted=1, slots=1)
    Cohort.objects.filter(pk=world.cohort.pk).update(blind_review=True)
    world.cohort.refresh_from_db()
    world.application, world.slot = world.shortlisted[0], world.slots[0]
    world.application.cohort = world.cohort
    world.reviewer = world.reviewers[0]
    world.reviewer.user.full_name = "Rémi Relecteur"
    world.reviewer.user.save(update_fields=["full_name"])
    return world


world = module_world(_blind_stage)


def _book(world):
    interviews.interview_book(application=world.application, slot_id=world.slot.pk,
                              user=_member(world.application), now=NOW)  # fmt: skip


def _panel(world) -> list[int]:
    return sorted(world.slot.panelists.values_list("user_id", flat=True))


def test_a_blind_reviewer_is_refused_on_the_panel_until_staff_unassign_the_review(client, world):
    _book(world)
    client.force_login(world.manager)
    url = reverse("staff:interview_slot_action", args=[world.cohort.pk, world.slot.pk])
    seat = {"action": "panel", "panel": [world.manager.pk, world.reviewer.user_id]}

    client.post(url, seat)
    refused_panel = _panel(world)
    assignment = Assignment.objects.get(reviewer=world.reviewer, application=world.application)
    client.post(reverse("staff:assignment_end", args=[assignment.pk]))
    response = client.post(url, seat)

    assert refused_panel == [world.manager.pk]
    # No page was shown in between: the messages of the three posts, in order.
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        REFUSAL.format(startup=world.application.startup.name),
        "Unassigned. A review already submitted is kept.",
        "The panel is saved.",
    ]
    assert _panel(world) == sorted([world.manager.pk, world.reviewer.user_id])


def test_a_slot_whose_panel_holds_a_blind_reviewer_cannot_be_booked_for_that_startup(world):
    world.slot.panelists.create(user=world.reviewer.user)  # seated before the booking

    with pytest.raises(InterviewError) as by_startup:
        _book(world)
    with pytest.raises(InterviewError) as by_staff:
        interviews.interview_book(application=world.application, slot_id=world.slot.pk,
                                  user=world.manager, by_staff=True, now=NOW)  # fmt: skip

    # The startup is not told who reviews it; staff are.
    assert str(by_startup.value) == "This slot's panel cannot interview this startup."
    assert str(by_staff.value) == REFUSAL.format(startup=world.application.startup.name)


def test_once_reviews_are_closed_a_reviewer_may_sit_on_the_panel(world):
    _book(world)
    Cohort.objects.filter(pk=world.cohort.pk).update(reviews_close_at=timezone.now())

    interviews.slot_panel_set(slot=world.slot, user_ids=[world.reviewer.user_id],
                              by=world.manager)  # fmt: skip

    assert _panel(world) == [world.reviewer.user_id]


def test_french_staff_read_the_refusal_in_french(client, world):
    _book(world)
    client.force_login(staff_member(programs=[world.cohort.program], language="fr"))
    url = reverse("staff:interview_slot_action", args=[world.cohort.pk, world.slot.pk])

    response = client.post(url, {"action": "panel", "panel": [world.reviewer.user_id]})

    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Rémi Relecteur a une évaluation à l’aveugle ouverte de "
        f"{world.application.startup.name}, et un entretien nomme la startup : retirez-lui "
        "cette évaluation sur la page Évaluateurs de la promotion (une évaluation déjà envoyée "
        "est conservée) avant de le faire siéger dans son jury."
    ]
