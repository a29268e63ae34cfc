"""What people type comes out as text, and a startup never reads another startup's name
(#26, items 3 and 6).

One world, a cohort that has reached offers (tests/fixtures/offers_world.py), whose founders
and reviewers typed hostile markup into everything they control: every page of it is
rendered for the people who may see it, and every email it made is read. The pages come from
the URL conf: a page without a row in these tables fails the first test, so a new page is
swept or deliberately left out (an action that only answers a POST with a redirect)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from notifications.models import EmailKind
from notifications.reminders import unsubscribe_token
from tests.clock import clock_pinned
from tests.factories.cohorts import CohortPartnerFactory, PartnerFactory
from tests.fixtures.offers_world import (
    STARS,
    WAITLISTED,
    WINNERS,
    build_offers_world,
    missing_email_kinds,
    missing_email_templates,
    unescaped_markup,
)
from tests.shared_world import module_world
from tests.test_staff_access import STAFF_ACTIONS

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db


def _cohort(world):
    return [[world.cohort.pk]]


def _applications(world):
    return [[application.pk] for application in world.applications.values()]


def _submitted(world):
    return [[world.applications[star].pk] for star in STARS[:5]]


# Staff pages (GET), as the program's manager: URL name → the arguments of each page swept.
STAFF_PAGES = {
    "home": lambda world: [[]],
    "cohort": _cohort,
    "cohort_applications": _cohort,
    "cohort_export": lambda world: [[world.cohort.pk, "csv"]],
    "application": _applications,
    "application_deck": lambda world: [[world.applications[STARS[0]].pk]],
    "application_file": lambda world: [[world.applications[STARS[0]].pk, world.file_question.pk]],
    "cohort_reviewers": _cohort,
    "cohort_conflicts": _cohort,
    "reviewer_view": _submitted,
    "conflicts_export": lambda world: [[world.cohort.pk, "csv"]],
    "assignment_auto": _cohort,
    "ranking": _cohort,
    "ranking_leniency": _cohort,
    "ranking_method": _cohort,
    "ranking_export": lambda world: [[world.cohort.pk, "csv"]],
    "reviews_export": _cohort,
    "cohort_reminders": _cohort,
    "cohort_message": _cohort,
    "decisions": _cohort,
    "decisions_publish": _cohort,
    "decision_emails": _cohort,
    "decision_record": _cohort,
    "decision_record_download": _cohort,
    "offers": _cohort,
    "outbox": lambda world: [[]],
    "email": lambda world: [
        [rows[0].pk] for rows in world.emails.values() if rows and rows[0].cohort_id
    ],
    "interviews": _cohort,
    "interview_shortlist_preview": _cohort,
    "interviews_export": lambda world: [[world.cohort.pk, "csv"]],
}
# Pages that take a query: what they are swept with.
QUERIES = {
    "cohort_applications": {"q": STARS[0]},
    "interview_shortlist_preview": {"min_p_top": "0"},
}

# Reviewer and panel pages: URL name → (the reviewer, by index in world.reviewers; arguments).
REVIEWER_PAGES = {
    "review:queue": (0, lambda world: [[]]),
    "review:review": (0, _submitted),
    "review:deck": (0, lambda world: [[world.applications[STARS[0]].pk]]),
    "review:answer_file": (
        0,
        lambda world: [[world.applications[STARS[0]].pk, world.file_question.pk]],
    ),
    "reviewer_invitation": (0, lambda world: [[world.reviewers[0].token]]),
    "interview_panel": (0, lambda world: [[]]),
    # The first winner declined: its interview, still to come, was freed.
    "interview_score": (0, lambda world: [[world.applications[star].pk] for star in STARS[1:3]]),
}
REVIEWER_ACTIONS = {"review:field", "review:submit", "review:conflict", "review:hand_back"}


def _own_application(world, star):
    return [world.applications[star].pk]


def _public_cohort(world, star):
    return [world.program.slug, world.cohort.slug]


def _first_only(arguments_of):
    return lambda world, star: arguments_of(world, star) if star == STARS[0] else None


def _interviewed_only(arguments_of):
    """Asked by the startups invited to interview (the winners and the waitlisted)."""
    return lambda world, star: arguments_of(world, star) if star in WINNERS + WAITLISTED else None


# Startup-facing pages, asked by the founder of each startup: URL name → (the status each
# gets, the arguments for that founder; None: not theirs to ask, e.g. a file only the first
# startup uploaded or an invitation only it sent; the two slowest forms, which show no
# startup's data, are asked once). After the decisions, no startup is
# shortlisted any more: the booking page says the interview stage is over to those invited;
# the call is closed (apply redirects); the partner has no logo.
STARTUP_PAGES = {
    "home": (200, lambda world, star: []),
    "partner_detail": (200, lambda world, star: [world.partner.slug]),
    "partner_logo": (404, lambda world, star: [world.partner.slug]),
    "cohort_detail": (200, _public_cohort),
    "cohort_calendar": (200, _public_cohort),
    "dashboard": (200, lambda world, star: []),
    "startup_create": (200, _first_only(lambda world, star: [])),
    "startup": (200, lambda world, star: [world.startups[star].pk]),
    "invitation_accept": (200, _first_only(lambda world, star: [world.invitation.token])),
    "apply": (302, _public_cohort),
    "application": (200, _own_application),
    "application_submit": (200, _own_application),
    "application_withdraw": (200, _own_application),
    "pitch_deck_download": (200, _first_only(_own_application)),
    "answer_file_download": (200, _first_only(lambda world, star: [world.applications[star].pk,
                                                                   world.file_question.pk])),
    "interview_booking": (200, _interviewed_only(_own_application)),
    "interview_booking_ics": (404, _own_application),
    "notifications:unsubscribe": (200, lambda world, star: [unsubscribe_token(
        user_id=world.founders[star].pk, kind=EmailKind.DEADLINE_REMINDER)]),
    "notifications:settings": (200, lambda world, star: []),
    "profile_settings": (200, _first_only(lambda world, star: [])),
    "my_data": (200, lambda world, star: []),
    "my_data_download": (200, lambda world, star: []),
}  # fmt: skip
STARTUP_ACTIONS = {
    "language_choose", "invitation_create", "invitation_revoke", "membership_leave",
    "answer_autosave", "named_conflict_add", "named_conflict_remove", "pitch_deck_upload",
    "answer_file_upload", "offer_accept", "offer_decline", "notifications:unsubscribe_one_click",
}  # fmt: skip
NOT_PAGES = {"healthz", None}  # the health check; the favicon (no name)


def _our_url_names(resolver=None, namespaces=()) -> set:
    """Every URL name of our apps, with its namespace (allauth's and the admin's left out)."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            names |= _our_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and not pattern.callback.__module__.startswith(
            ("allauth", "django.")
        ):
            names.add(":".join((*namespaces, pattern.name)) if pattern.name else None)
    return names


def test_every_page_is_swept_or_is_an_action():
    staff = {f"staff:{name}" for name in (*STAFF_PAGES, *STAFF_ACTIONS)}

    assert _our_url_names() == (
        staff | set(REVIEWER_PAGES) | REVIEWER_ACTIONS | set(STARTUP_PAGES) | STARTUP_ACTIONS
        | NOT_PAGES
    )  # fmt: skip


def _build():
    world = build_offers_world()
    for reviewer in world.reviewers:  # reviewer pages ask for two-factor authentication
        TOTP.activate(reviewer.user, generate_totp_secret())
    world.partner = PartnerFactory(name="Partner Sirius")
    CohortPartnerFactory(cohort=world.cohort, partner=world.partner)
    return world


world = module_world(_build)


def body(response) -> str:
    """The response as text; latin-1 reads any bytes (a PDF, a spreadsheet), and what is looked
    for is ASCII."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("latin-1")


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def test_the_world_made_every_kind_of_email_from_every_email_template(world):
    assert (missing_email_kinds(world), missing_email_templates(world)) == ([], [])


@pytest.mark.parametrize("kind", EmailKind.values)
def test_no_email_prints_what_people_typed_as_markup(world, kind):
    bodies = [email.body_html for email in world.emails[kind]]

    assert [unescaped_markup(html) for html in bodies] == [[] for _ in bodies]


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_no_staff_page_prints_what_people_typed_as_markup(client, world, name):
    client.force_login(world.manager)

    for arguments in STAFF_PAGES[name](world):
        response = client.get(reverse(f"staff:{name}", args=arguments), QUERIES.get(name, {}))

        assert (arguments, response.status_code) == (arguments, 200)
        if is_html(response):
            assert (arguments, unescaped_markup(body(response))) == (arguments, [])


@pytest.mark.parametrize("name", sorted(REVIEWER_PAGES))
def test_no_reviewer_page_prints_what_people_typed_as_markup(client, world, name):
    reviewer, arguments_of = REVIEWER_PAGES[name]
    client.force_login(world.reviewers[reviewer].user)

    for arguments in arguments_of(world):
        response = client.get(reverse(name, args=arguments))

        assert (arguments, response.status_code) == (arguments, 200)
        if is_html(response):
            assert (arguments, unescaped_markup(body(response))) == (arguments, [])


@pytest.mark.parametrize("name", sorted(STARTUP_PAGES))
def test_a_startup_page_prints_no_markup_and_no_other_startups_name(client, world, name):
    status, arguments_of = STARTUP_PAGES[name]
    for star in STARS:
        arguments = arguments_of(world, star)
        if arguments is None:
            continue
        client.force_login(world.founders[star])

        response = client.get(reverse(name, args=arguments))

        text = body(response)
        others = [other for other in STARS if other != star and other in text]
        assert (star, response.status_code, others) == (star, status, [])
        if is_html(response):
            assert (star, unescaped_markup(text)) == (star, [])


def test_no_email_to_a_startup_names_another_startup(world):
    stars_by_recipient = {founder.pk: star for star, founder in world.founders.items()}
    found = []
    for rows in world.emails.values():
        for email in rows:
            star = stars_by_recipient.get(email.recipient_id)
            if star is None:
                continue
            text = email.subject + email.body_text + email.body_html
            found += [
                (email.kind, star, other) for other in STARS if other != star and other in text
            ]

    assert found == []
