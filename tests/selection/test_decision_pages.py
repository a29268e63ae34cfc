"""The decision pages as staff and startups use them: decide, confirm, publish, send, read the
record; and what a startup can tell before and after publication."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import email_deliver, outbox_sweep
from reviews import services as review_services
from selection import decisions
from selection.models import Decision
from tests.clock import clock_pinned
from tests.factories import staff_member

from .world import reviewed_cohort

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

# session, user, scope, cohort, conflicts, applications, state, ranking, …, and two for the
# interview means (the cohort's interview criteria, the score sheets).
QUERIES = 13


@pytest.fixture
def world():
    world = reviewed_cohort(capacity=2)
    world.manager = staff_member(programs=[world.cohort.program])
    return world


def _decide(client, world, application, outcome, **fields):
    url = reverse("staff:decision_save", args=[world.cohort.pk, application.pk])
    return client.post(url, {"outcome": outcome, **fields}, follow=True)


def _decide_all(client, world):
    first, second, third, fourth = world.applications
    _decide(client, world, first, "winner", feedback="Strong team.")
    _decide(client, world, second, "winner")
    _decide(client, world, third, "waitlisted")
    _decide(client, world, fourth, "rejected", feedback="Come back next year.")


def test_staff_decide_confirm_publish_and_send_each_email_once(client, world, smtp):
    client.force_login(world.manager)
    _decide_all(client, world)
    third = _decide(client, world, world.applications[3], "winner")
    assert "This cohort takes 2 winners; it already has 2." in third.content.decode()

    page = client.get(reverse("staff:decisions_publish", args=[world.cohort.pk]))
    html = page.content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', html).group(1)
    published = client.post(reverse("staff:decisions_publish", args=[world.cohort.pk]),
                            {"fingerprint": fingerprint}, follow=True)  # fmt: skip
    emails = OutgoingEmail.objects.filter(kind=EmailKind.DECISION).order_by("pk")
    outbox_sweep()
    for email in emails:
        email_deliver(email_id=email.pk)

    assert "2 winners" in html
    assert "1 rejection." in html
    assert published.redirect_chain[-1][0] == reverse("staff:decision_emails",
                                                      args=[world.cohort.pk])  # fmt: skip
    assert [email.state for email in emails] == [EmailState.DRAFT] * 4
    assert smtp.messages == []

    client.post(reverse("staff:decision_emails", args=[world.cohort.pk]),
                {"action": "send", "email": emails[0].pk})  # fmt: skip
    client.post(reverse("staff:decision_emails", args=[world.cohort.pk]), {"action": "send_all"})
    for _ in range(2):
        for email in emails:
            email_deliver(email_id=email.pk)

    arrived = sorted(message["To"] for message in smtp.messages)
    assert arrived == sorted(email.to_address for email in emails)
    assert len(smtp.messages) == 4
    assert {email.state for email in emails.all()} == {EmailState.SENT}


def test_publication_is_refused_when_a_decision_changed_behind_the_page(client, world):
    client.force_login(world.manager)
    _decide_all(client, world)
    html = client.get(reverse("staff:decisions_publish", args=[world.cohort.pk])).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', html).group(1)
    _decide(client, world, world.applications[3], "waitlisted")

    response = client.post(reverse("staff:decisions_publish", args=[world.cohort.pk]),
                           {"fingerprint": fingerprint}, follow=True)  # fmt: skip

    assert "changed since you opened this page" in response.content.decode()
    assert not Decision.objects.filter(published_at__isnull=False).exists()


def _publish(world):
    fingerprint = decisions.publication_state(world.cohort).fingerprint
    return decisions.decisions_publish(cohort=world.cohort, actor=world.manager,
                                       fingerprint=fingerprint)  # fmt: skip


def test_the_record_page_joins_names_and_a_conflicted_manager_sees_only_the_hash(client, world):
    client.force_login(world.manager)
    _decide_all(client, world)
    record = _publish(world)
    other = staff_member(programs=[world.cohort.program])
    review_services.conflict_declare(user=other, application=world.applications[0],
                                     kind="investor")  # fmt: skip
    url = reverse("staff:decision_record", args=[world.cohort.pk])

    page = client.get(url).content.decode()
    client.force_login(other)
    conflicted = client.get(url).content.decode()
    download = client.get(reverse("staff:decision_record_download", args=[world.cohort.pk]))

    assert world.applications[0].startup.name in page
    assert record.sha256 in conflicted
    assert world.applications[0].startup.name not in conflicted
    assert download.status_code == 404


def _member(application):
    return application.startup.memberships.first().user


def _startup_facing(client, application) -> list[str]:
    """Every page the startup sees, its data export and its emails, in both languages, with
    ids, tokens and times masked."""
    client.force_login(_member(application))
    texts = []
    for language in ["en", "fr"]:
        with translation.override(language):
            for url in [reverse("dashboard"), reverse("application", args=[application.pk]),
                        reverse("startup", args=[application.startup_id]), reverse("my_data"),
                        reverse("my_data_download")]:  # fmt: skip
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                texts.append(f"{url} {response.status_code} {response.content.decode()}")
    emails = OutgoingEmail.objects.filter(recipient=_member(application)).order_by("pk")
    texts += [f"{e.kind} {e.subject} {e.body_text} {e.body_html}" for e in emails]
    masked = [re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "csrf", text) for text in texts]
    return [re.sub(r"\d+", "#", text) for text in masked]


def test_before_publication_a_startup_cannot_tell_its_pending_decision(client, world):
    application = world.applications[0]

    decisions.decision_set(application=application, outcome="winner", actor=world.manager,
                           feedback="Strong team.")  # fmt: skip
    as_winner = _startup_facing(client, application)
    decisions.decision_set(application=application, outcome="rejected", actor=world.manager,
                           feedback="Come back next year.")  # fmt: skip
    as_rejected = _startup_facing(client, application)

    assert as_winner == as_rejected
    assert len(as_winner) == 11  # five pages in two languages, and the submission's email


def test_after_publication_each_startup_sees_only_its_own_decision(client, world):
    client.force_login(world.manager)
    _decide_all(client, world)
    _publish(world)
    winner, rejected = world.applications[0], world.applications[3]

    client.force_login(_member(winner))
    winner_page = client.get(reverse("dashboard")).content.decode()
    client.force_login(_member(rejected))
    with translation.override("fr"):
        rejected_page = client.get(reverse("dashboard")).content.decode()

    assert "Selected" in winner_page
    assert "Winner" in winner_page  # the history shows the published decision
    assert "Strong team." in winner_page
    assert "Come back next year." not in winner_page
    assert "Non sélectionnée" in rejected_page
    assert "Come back next year." in rejected_page
    assert "Strong team." not in rejected_page
    assert Application.objects.get(pk=winner.pk).status == "winner"


@pytest.mark.parametrize("extra", [0, 3])
def test_the_decisions_page_query_count_does_not_grow(client, extra, django_assert_num_queries):
    world = reviewed_cohort(capacity=2, extra_applications=extra)
    manager = staff_member(programs=[world.cohort.program])
    for application in world.applications:
        decisions.decision_set(application=application, outcome="rejected", actor=manager)
    client.force_login(manager)
    url = reverse("staff:decisions", args=[world.cohort.pk])

    with django_assert_num_queries(QUERIES):
        response = client.get(url)

    assert response.status_code == 200


def test_staff_record_a_lottery_group_then_draw_once_from_the_page(client, world):
    client.force_login(world.manager)
    decisions.decision_set(application=world.applications[0], outcome="winner",
                           actor=world.manager)  # fmt: skip
    group = [a.pk for a in world.applications[1:]]

    client.post(reverse("staff:lottery_record", args=[world.cohort.pk]), {"group": group})
    drawn = client.post(reverse("staff:lottery_draw", args=[world.cohort.pk]), follow=True)
    again = client.post(reverse("staff:lottery_draw", args=[world.cohort.pk]), follow=True)

    lottery = world.cohort.lottery
    assert lottery.group == sorted(group)
    assert len(lottery.result) == 1
    assert "The lottery is drawn." in drawn.content.decode()
    assert "a draw is final" in again.content.decode()
    winners = Decision.objects.filter(cohort=world.cohort, outcome="winner")
    assert winners.count() == 2
