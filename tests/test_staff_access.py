"""Who sees which /staff/ page. The table names every pattern of the "staff" namespace: a new
staff page without a row here fails the test, so none goes out unguarded."""

from datetime import timedelta

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from applications import services
from cohorts.enums import QuestionKind
from notifications.models import OutgoingEmail
from reviews import services as review_services
from selection import decisions
from selection.models import InterviewSlot, Offer
from tests.clock import clock_pinned
from tests.factories import UserFactory, staff_member
from tests.factories.applications import open_cohort, submitted_application
from tests.factories.cohorts import ProgramFactory, QuestionFactory
from tests.factories.files import pdf_upload
from tests.factories.reviews import accepted_reviewer, assign
from tests.shared_world import module_world

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

# URL name → (its arguments from the world below, whether it shows one object of a cohort).
# A manager of another program gets the pages of their own scope, and a 404 for this one's.
STAFF_PAGES = {
    "home": (lambda world: [], False),
    "cohort": (lambda world: [world.cohort.pk], True),
    "cohort_applications": (lambda world: [world.cohort.pk], True),
    "cohort_export": (lambda world: [world.cohort.pk, "xlsx"], True),
    "application": (lambda world: [world.application.pk], True),
    "application_deck": (lambda world: [world.application.pk], True),
    "application_file": (lambda world: [world.application.pk, world.file_question.pk], True),
    "cohort_reviewers": (lambda world: [world.cohort.pk], True),
    "cohort_conflicts": (lambda world: [world.cohort.pk], True),
    "reviewer_view": (lambda world: [world.application.pk], True),
    "conflicts_export": (lambda world: [world.cohort.pk, "csv"], True),
    "assignment_auto": (lambda world: [world.cohort.pk], True),
    "ranking": (lambda world: [world.cohort.pk], True),
    "ranking_leniency": (lambda world: [world.cohort.pk], True),
    "ranking_method": (lambda world: [world.cohort.pk], True),
    "ranking_export": (lambda world: [world.cohort.pk, "xlsx"], True),
    "reviews_export": (lambda world: [world.cohort.pk], True),
    "cohort_reminders": (lambda world: [world.cohort.pk], True),
    "cohort_message": (lambda world: [world.cohort.pk], True),
    "decisions": (lambda world: [world.cohort.pk], True),
    "decisions_publish": (lambda world: [world.cohort.pk], True),
    "decision_emails": (lambda world: [world.cohort.pk], True),
    "decision_record": (lambda world: [world.cohort.pk], True),
    "decision_record_download": (lambda world: [published_cohort(world).pk], True),
    "offers": (lambda world: [world.cohort.pk], True),
    "outbox": (lambda world: [], False),
    "email": (lambda world: [world.email.pk], True),
    "interviews": (lambda world: [world.cohort.pk], True),
    "interview_shortlist_preview": (lambda world: [world.cohort.pk], True),
    "interviews_export": (lambda world: [world.cohort.pk, "csv"], True),
}
# Pages that only take a POST: what a permitted user gets is the redirect after the action.
STAFF_ACTIONS = {
    "email_action": (lambda world: [world.email.pk, "resend"], True),
    "reviewer_revoke": (lambda world: [world.reviewer.pk], True),
    "assignment_create": (lambda world: [world.application.pk], True),
    "assignment_end": (lambda world: [world.assignment.pk], True),
    "conflict_remove": (lambda world: [world.conflict.pk], True),
    "conflict_confirm": (lambda world: [world.conflict.pk], True),
    "conflict_dismiss": (lambda world: [world.conflict.pk], True),
    "conflicts_refresh": (lambda world: [world.cohort.pk], True),
    "cohort_screen_out": (lambda world: [world.cohort.pk], True),
    "application_screening": (lambda world: [world.application.pk], True),
    "ranking_recompute": (lambda world: [world.cohort.pk], True),
    "ranking_threshold": (lambda world: [world.cohort.pk], True),
    "ranking_request_reviews": (lambda world: [world.cohort.pk], True),
    "decision_save": (lambda world: [world.cohort.pk, world.application.pk], True),
    "decisions_reject_remaining": (lambda world: [world.cohort.pk], True),
    "lottery_record": (lambda world: [world.cohort.pk], True),
    "lottery_draw": (lambda world: [world.cohort.pk], True),
    "offer_extend": (lambda world: [*published_offer(world)], True),
    "offer_withdraw": (lambda world: [*published_offer(world)], True),
    "interview_shortlist": (lambda world: [world.cohort.pk], True),
    "interview_unshortlist": (lambda world: [world.cohort.pk, world.application.pk], True),
    "interview_slot_create": (lambda world: [world.cohort.pk], True),
    "interview_slots_bulk": (lambda world: [world.cohort.pk], True),
    "interview_slot_action": (lambda world: [world.cohort.pk, world.slot.pk], True),
    "interview_invitations_send": (lambda world: [world.cohort.pk], True),
}


def published_cohort(world, outcome="rejected"):
    """Another cohort of the program, its decisions published (a record to download)."""
    cohort = open_cohort(program=world.cohort.program)
    application = submitted_application(cohort=cohort)
    decisions.decision_set(application=application, outcome=outcome, actor=None)
    fingerprint = decisions.publication_state(cohort).fingerprint
    decisions.decisions_publish(cohort=cohort, actor=None, fingerprint=fingerprint)
    return cohort


def published_offer(world):
    """(cohort id, offer id) of a winner's offer in another cohort of the program."""
    cohort = published_cohort(world, outcome="winner")
    return cohort.pk, Offer.objects.get(cohort=cohort).pk


PERSONAS = ["anonymous", "founder", "staff_without_program", "other_manager", "manager",
            "superuser"]  # fmt: skip


def staff_url_names() -> set[str]:
    _prefix, resolver = get_resolver().namespace_dict["staff"]
    return {pattern.name for pattern in resolver.url_patterns}


def test_every_staff_page_is_in_the_table():
    assert staff_url_names() == set(STAFF_PAGES) | set(STAFF_ACTIONS)


def build_world():
    program = ProgramFactory()
    cohort = open_cohort(program=program)
    file_question = QuestionFactory(cohort=cohort, kind=QuestionKind.FILE, word_limit=None,
                                    required=False)  # fmt: skip
    application = submitted_application(cohort=cohort)
    founder = application.startup.memberships.get().user
    services.answer_file_upload(
        application=application, question=file_question, upload=pdf_upload(), user=founder
    )
    services.application_submit(
        application=application,
        user=founder,
        privacy_notice_version=application.privacy_notice_version,
    )

    class World:
        pass

    world = World()
    world.cohort, world.application, world.file_question = cohort, application, file_question
    world.email = OutgoingEmail.objects.filter(cohort_id=cohort.pk).latest("pk")
    world.reviewer = accepted_reviewer(cohort)
    world.assignment = assign(world.reviewer, application)
    world.conflict = review_services.conflict_declare(
        user=UserFactory(), application=application, kind="investor"
    )
    world.slot = InterviewSlot.objects.create(
        cohort=cohort, starts_at=timezone.now() + timedelta(days=3), place="Room Ada"
    )
    other_program = ProgramFactory()
    open_cohort(program=other_program)
    world.users = {
        "anonymous": None,
        "founder": application.startup.memberships.get().user,
        "staff_without_program": staff_member(),
        "other_manager": staff_member(programs=[other_program]),
        "manager": staff_member(programs=[program]),
        "superuser": staff_member(superuser=True),
    }
    return world


world = module_world(build_world)


def expected_status(persona: str, shows_an_object: bool, allowed: int = 200) -> int:
    if persona == "anonymous":
        return 302
    if persona in ("founder", "staff_without_program"):
        return 403
    if persona == "other_manager" and shows_an_object:
        return 404
    return allowed


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_page_visibility(client, world, name, persona):
    arguments, shows_an_object = STAFF_PAGES[name]
    url = reverse(f"staff:{name}", args=arguments(world))
    user = world.users[persona]
    if user is not None:
        client.force_login(user)

    response = client.get(url)

    assert response.status_code == expected_status(persona, shows_an_object)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(STAFF_ACTIONS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_action_visibility(client, world, name, persona):
    arguments, shows_an_object = STAFF_ACTIONS[name]
    url = reverse(f"staff:{name}", args=arguments(world))
    user = world.users[persona]
    if user is not None:
        client.force_login(user)

    response = client.post(url)

    assert response.status_code == expected_status(persona, shows_an_object, allowed=302)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_a_manager_without_two_factor_authentication_is_sent_to_set_it_up(client, world, name):
    arguments, _shows_an_object = STAFF_PAGES[name]
    url = reverse(f"staff:{name}", args=arguments(world))
    manager = UserFactory(is_staff=True)
    world.cohort.program.managers.add(manager)
    client.force_login(manager)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_without_a_program_are_told_why(client, world):
    client.force_login(world.users["staff_without_program"])

    response = client.get(reverse("staff:home"))

    assert "This page is for program staff." in response.content.decode()


def test_a_founder_is_not_shown_the_staff_link(client, world):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert reverse("staff:home") not in response.content.decode()
