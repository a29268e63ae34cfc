"""A manager with a confirmed conflict of interest sees that the application exists (apart,
unranked, "conflict of interest") and nothing of it: every staff and reviewer URL is walked as
that manager; each page of the application is a 404, each list and export leaves its name and
answers out."""

from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import get_resolver, reverse
from django.utils import timezone

from applications import services as application_services
from cohorts.enums import QuestionKind
from notifications.models import OutgoingEmail
from reviews import services
from selection.models import Offer, OfferState
from tests.clock import clock_pinned
from tests.factories import UserFactory, staff_member
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.cohorts import QuestionFactory
from tests.factories.files import pdf_upload
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)
from tests.reviews.test_reviewer_access import body, reviewer_url_names
from tests.shared_world import module_world

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

HIDDEN_NAME = "Quokka Quantum Ledger"
HIDDEN_ANSWER = "zebra-kiwi-0413"
SEEN_NAME = "Wombat Weather Works"

# Staff URL name → (method, arguments, what the conflicted manager gets: 404, or the status
# of a page that lists the cohort without the application).
STAFF = {
    "home": ("GET", lambda w: [], 200),
    "cohort": ("GET", lambda w: [w.cohort.pk], 200),
    "cohort_applications": ("GET", lambda w: [w.cohort.pk], 200),
    "cohort_export": ("GET", lambda w: [w.cohort.pk, "csv"], 200),
    "application": ("GET", lambda w: [w.hidden.pk], 404),
    "application_deck": ("GET", lambda w: [w.hidden.pk], 404),
    "application_file": ("GET", lambda w: [w.hidden.pk, w.file_question.pk], 404),
    "cohort_reviewers": ("GET", lambda w: [w.cohort.pk], 200),
    "reviewer_revoke": ("POST", lambda w: [w.idle_reviewer.pk], 302),
    "assignment_create": ("POST", lambda w: [w.hidden.pk], 404),
    "assignment_end": ("POST", lambda w: [w.other_assignment.pk], 404),
    "conflict_remove": ("POST", lambda w: [w.declared.pk], 404),
    "conflict_confirm": ("POST", lambda w: [w.declared.pk], 404),
    "conflict_dismiss": ("POST", lambda w: [w.declared.pk], 404),
    "cohort_conflicts": ("GET", lambda w: [w.cohort.pk], 200),
    "reviewer_view": ("GET", lambda w: [w.hidden.pk], 404),
    "conflicts_refresh": ("POST", lambda w: [w.cohort.pk], 302),
    "conflicts_export": ("GET", lambda w: [w.cohort.pk, "csv"], 200),
    "assignment_auto": ("GET", lambda w: [w.cohort.pk], 200),
    "ranking": ("GET", lambda w: [w.cohort.pk], 200),
    "ranking_leniency": ("GET", lambda w: [w.cohort.pk], 200),
    "ranking_method": ("GET", lambda w: [w.cohort.pk], 200),
    "ranking_export": ("GET", lambda w: [w.cohort.pk, "csv"], 200),
    "reviews_export": ("GET", lambda w: [w.cohort.pk], 200),
    "cohort_reminders": ("GET", lambda w: [w.cohort.pk], 200),
    "cohort_message": ("GET", lambda w: [w.cohort.pk], 200),
    "cohort_screen_out": ("POST", lambda w: [w.cohort.pk], 302),
    "application_screening": ("POST", lambda w: [w.hidden.pk], 404),
    "ranking_recompute": ("POST", lambda w: [w.cohort.pk], 302),
    "ranking_threshold": ("POST", lambda w: [w.cohort.pk], 302),
    "ranking_request_reviews": ("POST", lambda w: [w.cohort.pk], 302),
    "decisions": ("GET", lambda w: [w.cohort.pk], 200),
    "decision_save": ("POST", lambda w: [w.cohort.pk, w.hidden.pk], 404),
    "decisions_reject_remaining": ("POST", lambda w: [w.cohort.pk], 302),
    "decisions_publish": ("GET", lambda w: [w.cohort.pk], 200),
    "decision_emails": ("GET", lambda w: [w.cohort.pk], 200),
    "lottery_record": ("POST", lambda w: [w.cohort.pk], 302),
    "lottery_draw": ("POST", lambda w: [w.cohort.pk], 302),
    "decision_record": ("GET", lambda w: [w.cohort.pk], 200),
    "decision_record_download": ("GET", lambda w: [w.cohort.pk], 404),
    "offers": ("GET", lambda w: [w.cohort.pk], 200),
    "offer_extend": ("POST", lambda w: [w.cohort.pk, w.hidden_offer.pk], 404),
    "offer_withdraw": ("POST", lambda w: [w.cohort.pk, w.hidden_offer.pk], 404),
    "interviews": ("GET", lambda w: [w.cohort.pk], 200),
    "interviews_export": ("GET", lambda w: [w.cohort.pk, "csv"], 200),
    "interview_shortlist": ("POST", lambda w: [w.cohort.pk], 302),
    "interview_shortlist_preview": ("GET", lambda w: [w.cohort.pk], 200),
    "interview_unshortlist": ("POST", lambda w: [w.cohort.pk, w.hidden.pk], 404),
    "interview_slot_create": ("POST", lambda w: [w.cohort.pk], 302),
    "interview_slots_bulk": ("POST", lambda w: [w.cohort.pk], 302),
    "interview_slot_action": ("POST", lambda w: [w.cohort.pk, 0], 404),
    "interview_invitations_send": ("POST", lambda w: [w.cohort.pk], 302),
    "outbox": ("GET", lambda w: [], 200),
    "email": ("GET", lambda w: [w.hidden_email.pk], 404),
    "email_action": ("POST", lambda w: [w.hidden_email.pk, "resend"], 404),
}
# Lists that show the application apart, as a placeholder.
PLACEHOLDER_PAGES = {"cohort_applications", "cohort_export", "cohort_reviewers",
                     "cohort_conflicts", "conflicts_export", "offers"}  # fmt: skip
REVIEWER = {
    "review:queue": ("GET", lambda w: []),
    "review:review": ("GET", lambda w: [w.hidden.pk]),
    "review:field": ("POST", lambda w: [w.hidden.pk, "private_note"]),
    "review:submit": ("POST", lambda w: [w.hidden.pk]),
    "review:conflict": ("POST", lambda w: [w.hidden.pk]),
    "review:hand_back": ("POST", lambda w: [w.hidden.pk]),
    "review:deck": ("GET", lambda w: [w.hidden.pk]),
    "review:answer_file": ("GET", lambda w: [w.hidden.pk, w.file_question.pk]),
}


def staff_url_names() -> set[str]:
    _prefix, resolver = get_resolver().namespace_dict["staff"]
    return {pattern.name for pattern in resolver.url_patterns}


def test_every_staff_and_reviewer_url_is_walked():
    assert set(STAFF) == staff_url_names()
    assert set(REVIEWER) == reviewer_url_names()


@pytest.fixture
def world(client, module_world):
    client.force_login(module_world.manager)
    return module_world


def build_world():
    cohort = reviewing_cohort()
    question = QuestionFactory(cohort=cohort, label="What do you build?", required=False)
    file_question = QuestionFactory(cohort=cohort, kind=QuestionKind.FILE, word_limit=None,
                                    required=False)  # fmt: skip
    hidden = submitted_application(cohort=cohort, startup=StartupFactory(name=HIDDEN_NAME),
                                   answers={question: f"Ledgers, {HIDDEN_ANSWER}"})  # fmt: skip
    founder = hidden.startup.memberships.get().user
    application_services.answer_file_upload(
        application=hidden, question=file_question, upload=pdf_upload(), user=founder
    )
    application_services.application_submit(
        application=hidden, user=founder, privacy_notice_version=hidden.privacy_notice_version
    )
    seen = submitted_application(cohort=cohort, startup=StartupFactory(name=SEEN_NAME))
    close_call(cohort)
    manager = staff_member(programs=[cohort.program], full_name="Marc Manager")
    other_manager = staff_member(programs=[cohort.program])
    mine = assign(accepted_reviewer(cohort, manager), hidden)
    other = accepted_reviewer(cohort)
    other_assignment = assign(other, hidden)
    complete_review(other_assignment, comment=f"About {HIDDEN_NAME}")
    assign(other, seen)
    services.conflict_add(user=manager, application=hidden, kind="investor",
                          created_by=other_manager)  # fmt: skip
    declared = services.conflict_declare(
        user=accepted_reviewer(cohort).user, application=hidden, kind="adviser"
    )
    return SimpleNamespace(
        manager=manager, cohort=cohort, hidden=hidden, seen=seen, file_question=file_question,
        mine=mine, other_assignment=other_assignment, declared=declared,
        idle_reviewer=accepted_reviewer(cohort),
        # Pending, as at publication (the offers page and its actions walk it).
        hidden_offer=Offer.objects.create(application=hidden, cohort=cohort,
                                          created_at=timezone.now()),
        hidden_email=OutgoingEmail.objects.filter(
            idempotency_key__startswith=f"application-submitted:{hidden.pk}:"
        ).latest("pk"),
    )  # fmt: skip


the_module_world = module_world(build_world, name="module_world")


def _request(client, method, url, name=""):
    if method == "GET":
        return client.get(url)
    if name == "review:field":
        return client.post(url, {"value": "x", "version": 0}, HTTP_HX_REQUEST="true")
    return client.post(url)


@pytest.mark.parametrize("name", sorted(STAFF))
def test_a_conflicted_manager_on_every_staff_url(client, world, name):
    method, arguments, expected = STAFF[name]

    response = _request(client, method, reverse(f"staff:{name}", args=arguments(world)))

    assert response.status_code == expected
    text = body(response)
    assert HIDDEN_NAME not in text
    assert HIDDEN_ANSWER not in text
    if name in PLACEHOLDER_PAGES:
        assert "Conflict of interest" in text
    if name in ("cohort_applications", "cohort_export", "cohort_reviewers"):
        assert SEEN_NAME in text  # the check above looks at a page that lists applications


@pytest.mark.parametrize("name", sorted(REVIEWER))
def test_a_conflicted_manager_on_every_reviewer_url(client, world, name):
    TOTP.activate(UserFactory(), generate_totp_secret())  # not the manager: already has one
    method, arguments = REVIEWER[name]

    response = _request(client, method, reverse(name, args=arguments(world)), name)

    assert response.status_code == (200 if name == "review:queue" else 404)
    assert HIDDEN_NAME not in body(response)


def test_a_superuser_or_another_manager_still_reads_it(client, world):
    client.force_login(staff_member(programs=[world.cohort.program]))

    response = client.get(reverse("staff:application", args=[world.hidden.pk]))

    assert response.status_code == 200
    assert HIDDEN_NAME in response.content.decode()


def test_a_conflicted_manager_can_neither_extend_nor_withdraw_the_offer(client, world):
    arguments = [world.cohort.pk, world.hidden_offer.pk]

    extend = client.post(reverse("staff:offer_extend", args=arguments), {"reply_by": "2099-01-31"})
    withdraw = client.post(reverse("staff:offer_withdraw", args=arguments), {"reason": "x"})

    assert (extend.status_code, withdraw.status_code) == (404, 404)
    world.hidden_offer.refresh_from_db()
    assert (world.hidden_offer.state, world.hidden_offer.extensions) == (OfferState.PENDING, [])


def test_another_manager_reads_the_offer_the_conflicted_one_sees_as_a_placeholder(client, world):
    client.force_login(staff_member(programs=[world.cohort.program]))

    page = body(client.get(reverse("staff:offers", args=[world.cohort.pk])))

    assert HIDDEN_NAME in page
    assert "Conflict of interest" not in page


def test_a_conflicted_manager_is_not_emailed_about_a_declared_conflict(world):
    manager = world.mine.reviewer.user
    services.conflict_declare(user=world.idle_reviewer.user, application=world.hidden,
                              kind="personal")  # fmt: skip

    told = OutgoingEmail.objects.filter(kind="conflict_declared").values_list(
        "to_address", flat=True
    )
    managers = world.cohort.program.managers.exclude(pk=manager.pk).values_list("email", flat=True)
    assert manager.email not in told
    assert set(told) == set(managers)


def test_a_conflicted_manager_rejecting_the_remaining_leaves_theirs_to_another(client, world):
    from selection.models import Decision

    response = client.post(reverse("staff:decisions_reject_remaining", args=[world.cohort.pk]))
    publish_page = body(client.get(reverse("staff:decisions_publish", args=[world.cohort.pk])))

    assert response.status_code == 302
    assert list(Decision.objects.values_list("application_id", "outcome")) == [
        (world.seen.pk, "rejected")
    ]
    assert "Conflict of interest" in publish_page  # still undecided, never named
    assert HIDDEN_NAME not in publish_page
