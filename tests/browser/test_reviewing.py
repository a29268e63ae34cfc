"""Reviewing in Chromium: a partner's engineer accepts the invitation, sets up two-factor
authentication, declares a conflict, scores two applications with "Submit and next" (a comment
typed offline is saved once back online) and reads the others' reviews only after submitting.
The queue is then read in French."""

import re

import pytest
from playwright.sync_api import expect

from reviews import services
from reviews.models import Assignment, Review, Reviewer
from tests.accounts.totp import totp_code
from tests.factories import PASSWORD, UserFactory, staff_member
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)

pytestmark = pytest.mark.django_db(transaction=True)

STARTUPS = ("Lumen Legal AI", "Prompt Panda", "Slow Snail Robotics")
COLLEAGUE_COMMENT = "Strong open-weights story, thin go-to-market."
OFFLINE_COMMENT = "Typed on the train: the team ships every week."


@pytest.fixture
def call(start_of_totp_window, live_server):
    """A closed call with three submitted applications, each already reviewed by a colleague,
    and an invitation to review sent to rita@fair.example."""
    cohort = reviewing_cohort()
    applications = [
        submitted_application(cohort=cohort, startup=StartupFactory(name=name), deck_pages=None)
        for name in STARTUPS
    ]
    close_call(cohort)
    colleague = accepted_reviewer(cohort, UserFactory(full_name="Carla Colleague"))
    for application in applications:
        complete_review(assign(colleague, application), comment=COLLEAGUE_COMMENT)
    UserFactory(email="rita@fair.example", full_name="Rita Reviewer")
    invitation = services.reviewer_invite(
        cohort=cohort, email="rita@fair.example", base_url=live_server.url,
        invited_by=staff_member(programs=[cohort.program]),
    )  # fmt: skip
    return invitation, applications


def criterion(page, name: str):
    return page.locator("section.criterion", has=page.get_by_role("heading", name=name))


def score(page, open_models: str, team: str) -> None:
    criterion(page, "Open models").get_by_label(open_models, exact=True).check()
    criterion(page, "Team").get_by_label(team, exact=True).check()
    criterion(page, "Fun").get_by_label("Not applicable").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Medium", exact=True).check()


def all_saved(page) -> None:
    """The five fields `score` sets are saved."""
    expect(page.locator(".save-state.saved")).to_have_count(5)


@pytest.mark.console_errors_expected  # the save tried offline is logged: checked at the end
def test_a_reviewer_accepts_sets_up_totp_declares_a_conflict_and_scores(
    live_server, page, context, call, console_errors
):
    invitation, applications = call

    # The invitation: sign in with the invited address, accept.
    page.goto(live_server.url + f"/review-invitations/{invitation.token}/")
    page.get_by_label("Email").fill("rita@fair.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Accept and start reviewing").click()
    reviewer = Reviewer.objects.get(pk=invitation.pk)
    for application in applications:  # staff assign once the invitation is accepted
        assign(reviewer, application)

    # Two-factor authentication first, then the queue.
    why = "Reviewers read startups' confidential applications: set up two-factor authentication"
    expect(page.get_by_text(why)).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    page.get_by_role("link", name="Continue to the page you asked for").click()
    expect(page).to_have_url(live_server.url + "/review/")
    expect(page.locator(".queue-startup")).to_have_count(3)

    # A conflict: the application leaves the queue.
    page.get_by_role("link", name="Prompt Panda").click()
    page.get_by_text("A conflict of interest, or cannot review it?").click()
    page.get_by_label("Kind of conflict").select_option("investor")
    page.get_by_label("Note for the program (optional)").fill("I invested in their seed round.")
    page.get_by_role("button", name="Declare a conflict").click()
    expect(
        page.get_by_text("the conflict is recorded and this application left your queue")
    ).to_be_visible()
    expect(page.locator(".queue-startup")).to_have_count(2)
    expect(page.get_by_role("link", name="Prompt Panda")).to_have_count(0)

    # The first application: others' reviews hidden; a comment typed offline; submit and next.
    page.locator("a.queue-startup").first.click()
    first = page.locator("h1").inner_text()
    expect(
        page.get_by_text("The other reviews show here once you have submitted yours.")
    ).to_be_visible()
    expect(page.get_by_text(COLLEAGUE_COMMENT)).to_have_count(0)
    score(page, "4", "5")
    all_saved(page)
    context.set_offline(True)
    comment = criterion(page, "Open models").get_by_label("Comment")
    comment.fill(OFFLINE_COMMENT)
    status = criterion(page, "Open models").locator(".save-state").last
    expect(status).to_have_text(re.compile("^Not saved: you are offline."))
    context.set_offline(False)
    expect(status).to_have_text(re.compile("^Saved at "))
    page.get_by_role("button", name="Submit and next").click()
    expect(page.get_by_text("Your review is submitted.", exact=True)).to_be_visible()

    # The second one, then back to the queue: every review done.
    second = page.locator("h1").inner_text()
    assert {first, second} == {"Lumen Legal AI", "Slow Snail Robotics"}
    expect(page.get_by_text(COLLEAGUE_COMMENT)).to_have_count(0)
    score(page, "2", "3")
    all_saved(page)
    page.get_by_role("button", name="Submit and next").click()
    expect(page).to_have_url(live_server.url + "/review/")
    expect(page.locator(".status-badge.status-submitted")).to_have_count(2)

    # Now that mine is in, the colleague's review shows.
    page.get_by_role("link", name=first).click()
    expect(page.get_by_role("heading", name="The other reviews")).to_be_visible()
    expect(page.get_by_text(COLLEAGUE_COMMENT)).to_be_visible()
    expect(page.get_by_text("Carla Colleague")).to_be_visible()

    # The queue in French.
    page.goto(live_server.url + "/fr/review/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Se déconnecter")).to_be_visible()
    expect(page.locator("progress.review-progress")).to_have_attribute("value", "2")
    expect(page.get_by_role("link", name="Lumen Legal AI")).to_be_visible()

    mine = Review.objects.filter(reviewer=reviewer, submitted_at__isnull=False)
    assert mine.count() == 2
    typed = mine.get(application__startup__name=first).fields.get(key__startswith="comment:")
    assert typed.value == OFFLINE_COMMENT
    conflicted = Assignment.objects.get(
        reviewer=reviewer, application__startup__name="Prompt Panda"
    )
    assert conflicted.end_reason == "conflict"
    # The one save tried offline, and nothing else (no CSP violation, no script error).
    assert sorted(console_errors) == [
        "Failed to load resource: net::ERR_INTERNET_DISCONNECTED",
        "htmx:afterRequest, [object HTMLDivElement]",
        "htmx:sendError, [object HTMLDivElement]",
    ]
