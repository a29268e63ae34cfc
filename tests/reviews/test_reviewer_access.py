"""Who reaches which page of reviews. One table gives, for every URL of the reviewer pages
(the "review" namespace), every staff page of reviews and the invitation page, the exact status
each kind of user gets. The resolver is read: a new page of reviews without a row here fails
the test, so none goes out unguarded."""

from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from applications import services as application_services
from cohorts.enums import QuestionKind
from reviews import services
from tests.clock import clock_pinned
from tests.factories import UserFactory, staff_member
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.cohorts import ProgramFactory, QuestionFactory
from tests.factories.files import pdf_upload
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)
from tests.shared_world import module_world

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

STARTUP_NAME = "Quokka Quantum Ledger"
UNIQUE_ANSWER = "Ledgers for tide-mill cooperatives, zebra-kiwi-0413"

PERSONAS = (
    "anonymous",
    "applicant",  # a founder of the startup
    "invited",  # invited to review this cohort, not accepted yet
    "other_cohort_reviewer",  # reviews another cohort of the same program
    "unassigned_reviewer",  # reviews this cohort, not this application
    "conflicted_reviewer",  # was assigned, then declared a conflict
    "assigned_reviewer",  # assigned, review not submitted
    "submitted_reviewer",  # assigned, review submitted
    "other_manager",  # manages another program
    "manager",  # manages this program
)
# Who may read the application: everyone else never finds its name or answers in a response.
MAY_READ_IT = frozenset({"assigned_reviewer", "submitted_reviewer", "manager"})

# URL name → (method, its arguments from the world below). The autosave is an htmx request.
URLS = {
    "review:queue": ("GET", lambda world: []),
    "review:review": ("GET", lambda world: [world.application.pk]),
    "review:field": ("POST", lambda world: [world.application.pk, "private_note"]),
    "review:submit": ("POST", lambda world: [world.application.pk]),
    "review:conflict": ("POST", lambda world: [world.application.pk]),
    "review:hand_back": ("POST", lambda world: [world.application.pk]),
    "review:deck": ("GET", lambda world: [world.application.pk]),
    "review:answer_file": ("GET", lambda world: [world.application.pk, world.file_question.pk]),
    "staff:cohort_reviewers": ("GET", lambda world: [world.cohort.pk]),
    "staff:assignment_auto": ("GET", lambda world: [world.cohort.pk]),
    "staff:reviewer_revoke": ("POST", lambda world: [world.reviewers["unassigned_reviewer"].pk]),
    "staff:assignment_create": ("POST", lambda world: [world.application.pk]),
    "staff:assignment_end": ("POST", lambda world: [world.assignments["assigned_reviewer"].pk]),
    "staff:conflict_remove": ("POST", lambda world: [world.conflict.pk]),
    "staff:conflict_confirm": ("POST", lambda world: [world.conflict.pk]),
    "staff:conflict_dismiss": ("POST", lambda world: [world.conflict.pk]),
    "staff:cohort_conflicts": ("GET", lambda world: [world.cohort.pk]),
    "staff:reviewer_view": ("GET", lambda world: [world.application.pk]),
    "staff:conflicts_refresh": ("POST", lambda world: [world.cohort.pk]),
    "staff:conflicts_export": ("GET", lambda world: [world.cohort.pk, "csv"]),
    "reviewer_invitation": ("GET", lambda world: [world.reviewers["invited"].token]),
}

# The queue is every signed-in user's own list (empty when nothing is assigned to them). A
# reviewer page of the application exists only for an active assignment without a confirmed
# conflict (404 otherwise, whoever asks); a POST-only page answers its permitted user with the
# redirect after the action (here a refused or empty form, which redirects all the same).
# Staff pages: 403 without a staff scope, 404 for another program's manager. The invitation
# page shows its state to whoever holds the link (only the invited address can accept).
# fmt: off
STATUSES = {  # anon  appl. invit. other  unass. confl. assig. subm.  o.mgr  mgr
    "review:queue":            (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "review:review":           (302, 404, 404, 404, 404, 404, 200, 200, 404, 404),
    "review:field":            (401, 404, 404, 404, 404, 404, 200, 200, 404, 404),
    "review:submit":           (302, 404, 404, 404, 404, 404, 302, 302, 404, 404),
    "review:conflict":         (302, 404, 404, 404, 404, 404, 302, 302, 404, 404),
    "review:hand_back":        (302, 404, 404, 404, 404, 404, 302, 302, 404, 404),
    "review:deck":             (302, 404, 404, 404, 404, 404, 200, 200, 404, 404),
    "review:answer_file":      (302, 404, 404, 404, 404, 404, 200, 200, 404, 404),
    "staff:cohort_reviewers":  (302, 403, 403, 403, 403, 403, 403, 403, 404, 200),
    "staff:assignment_auto":   (302, 403, 403, 403, 403, 403, 403, 403, 404, 200),
    "staff:reviewer_revoke":   (302, 403, 403, 403, 403, 403, 403, 403, 404, 302),
    "staff:assignment_create": (302, 403, 403, 403, 403, 403, 403, 403, 404, 302),
    "staff:assignment_end":    (302, 403, 403, 403, 403, 403, 403, 403, 404, 302),
    "staff:conflict_remove":   (302, 403, 403, 403, 403, 403, 403, 403, 404, 302),
    "staff:conflict_confirm":  (302, 403, 403, 403, 403, 403, 403, 403, 404, 302),
    "staff:conflict_dismiss":  (302, 403, 403, 403, 403, 403, 403, 403, 404, 302),
    "staff:cohort_conflicts":  (302, 403, 403, 403, 403, 403, 403, 403, 404, 200),
    "staff:reviewer_view":     (302, 403, 403, 403, 403, 403, 403, 403, 404, 200),
    "staff:conflicts_refresh": (302, 403, 403, 403, 403, 403, 403, 403, 404, 302),
    "staff:conflicts_export":  (302, 403, 403, 403, 403, 403, 403, 403, 404, 200),
    "reviewer_invitation":     (302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on


def _views_of_reviews(resolver=None, namespaces=()) -> set[str]:
    """Every URL name, with its namespace, served by a view of the reviews app."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            names |= _views_of_reviews(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.callback.__module__.startswith(
            "reviews.views"
        ):
            names.add(":".join((*namespaces, pattern.name)))
    return names


def reviewer_url_names() -> set[str]:
    _prefix, resolver = get_resolver().namespace_dict["review"]
    return {f"review:{pattern.name}" for pattern in resolver.url_patterns}


def staff_url_names_of_reviews() -> set[str]:
    _prefix, resolver = get_resolver().namespace_dict["staff"]
    return {
        f"staff:{pattern.name}"
        for pattern in resolver.url_patterns
        if pattern.callback.__module__ == "reviews.views.staff"
    }


def test_every_page_of_reviews_is_in_the_table():
    expected = reviewer_url_names() | staff_url_names_of_reviews() | {"reviewer_invitation"}

    assert set(URLS) == expected
    assert set(STATUSES) == expected
    assert _views_of_reviews() == expected


def with_totp(user):
    TOTP.activate(user, generate_totp_secret())
    return user


def build_world():
    cohort = reviewing_cohort()
    question = QuestionFactory(cohort=cohort, label="What do you build?", required=False)
    file_question = QuestionFactory(cohort=cohort, kind=QuestionKind.FILE, word_limit=None,
                                    label="Your cap table", required=False)  # fmt: skip
    application = submitted_application(
        cohort=cohort, startup=StartupFactory(name=STARTUP_NAME), answers={question: UNIQUE_ANSWER}
    )
    founder = application.startup.memberships.get().user
    application_services.answer_file_upload(
        application=application, question=file_question, upload=pdf_upload(), user=founder
    )
    application_services.application_submit(
        application=application, user=founder,
        privacy_notice_version=application.privacy_notice_version,
    )  # fmt: skip
    close_call(cohort)
    other_cohort = reviewing_cohort(program=cohort.program)
    other_program = ProgramFactory()
    manager = staff_member(programs=[cohort.program])

    class World:
        pass

    world = World()
    world.cohort, world.application, world.file_question = cohort, application, file_question
    invited = with_totp(UserFactory())
    world.reviewers = {
        "invited": services.reviewer_invite(cohort=cohort, email=invited.email,
                                            invited_by=manager, base_url="http://testserver"),
        "other_cohort_reviewer": accepted_reviewer(other_cohort),
        "unassigned_reviewer": accepted_reviewer(cohort),
        "conflicted_reviewer": accepted_reviewer(cohort),
        "assigned_reviewer": accepted_reviewer(cohort),
        "submitted_reviewer": accepted_reviewer(cohort),
    }  # fmt: skip
    world.assignments = {
        name: assign(world.reviewers[name], application)
        for name in ("conflicted_reviewer", "assigned_reviewer", "submitted_reviewer")
    }
    complete_review(world.assignments["submitted_reviewer"], comment=UNIQUE_ANSWER + " (review)")
    world.conflict = services.conflict_declare(
        user=world.reviewers["conflicted_reviewer"].user, application=application, kind="investor"
    )
    world.users = {
        "anonymous": None,
        "applicant": with_totp(founder),
        "invited": invited,
        **{name: with_totp(reviewer.user) for name, reviewer in world.reviewers.items()
           if name != "invited"},
        "other_manager": staff_member(programs=[other_program]),
        "manager": manager,
    }  # fmt: skip
    return world


world = module_world(build_world)


def url_of(world, name: str) -> str:
    _method, arguments = URLS[name]
    return reverse(name, args=arguments(world))


def request(client, world, name: str):
    method, _arguments = URLS[name]
    url = url_of(world, name)
    if method == "GET":
        return client.get(url)
    if name == "review:field":
        return client.post(url, {"value": "A note", "version": 0}, HTTP_HX_REQUEST="true")
    return client.post(url)


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


@pytest.mark.parametrize("name", sorted(URLS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reaches_which_page_of_reviews(client, world, name, persona):
    user = world.users[persona]
    if user is not None:
        client.force_login(user)

    response = request(client, world, name)

    assert response.status_code == STATUSES[name][PERSONAS.index(persona)]
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if name == "review:review" and response.status_code == 200:
        assert UNIQUE_ANSWER in body(response)  # what the check below looks for is really there
    if persona not in MAY_READ_IT:
        assert STARTUP_NAME not in body(response)
        assert "zebra-kiwi-0413" not in body(response)


@pytest.mark.parametrize("name", sorted(reviewer_url_names()))
def test_a_reviewer_without_two_factor_authentication_is_sent_to_set_it_up(client, name):
    cohort = reviewing_cohort()
    application = submitted_application(cohort=cohort)
    close_call(cohort)
    reviewer = accepted_reviewer(cohort)
    assign(reviewer, application)
    world = SimpleNamespace(application=application, file_question=SimpleNamespace(pk=1))
    client.force_login(reviewer.user)

    response = request(client, world, name)

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("mfa_activate_totp") + "?" + urlencode({"next": url_of(world, name)})
    )
