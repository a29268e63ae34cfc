"""Decision emails that are still true when they are sent (#26): a decline, an expiry, a
withdrawal, a promotion or a deleted account voids the drafts it makes untrue, and a manager's
"Send every draft" leaves the emails about their conflicted applications to another one."""

import threading
import time
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse

from accounts.services import account_delete
from applications import services as application_services
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import OutboxError, email_deliver
from reviews import services as review_services
from selection import decisions, offers
from selection.models import Offer
from tests.factories import UserFactory, staff_member
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.reviews import reviewing_cohort
from tests.races import backends_waiting_on_a_lock

pytestmark = pytest.mark.django_db

NAMES = ["Alpha AI", "Beta Labs", "Gamma ML", "Delta Data", "Epsilon"]
OUTCOMES = ["winner", "winner", "waitlisted", "waitlisted", "rejected"]


def _published():
    """Five startups (Beta Labs with two members), two winners, two waitlisted, one rejected,
    published by the first manager; the second manager is in conflict with Epsilon."""
    cohort = reviewing_cohort(capacity=2, name="Batch 2027")
    manager = staff_member(programs=[cohort.program], email="manager@stationf.example")
    conflicted = staff_member(programs=[cohort.program], email="conflicted@stationf.example")
    people = {}
    applications = []
    for name in NAMES:
        slug = name.split()[0].lower()
        members = [UserFactory(email=f"{slug}@startup.example")]
        if name == "Beta Labs":
            members.append(UserFactory(email="beta-cto@startup.example"))
        people[name] = members
        startup = StartupFactory(name=name, members=members)
        applications.append(submitted_application(cohort=cohort, startup=startup, deck_pages=None))
    for application, outcome in zip(applications, OUTCOMES, strict=True):
        decisions.decision_set(application=application, outcome=outcome, actor=manager)
    review_services.conflict_declare(user=conflicted, application=applications[4], kind="investor")
    fingerprint = decisions.publication_state(cohort).fingerprint
    decisions.decisions_publish(cohort=cohort, actor=manager, fingerprint=fingerprint)
    return cohort, manager, conflicted, dict(zip(NAMES, applications, strict=True)), people


def _sent(smtp) -> list[tuple[str, str]]:
    queued = OutgoingEmail.objects.filter(kind=EmailKind.DECISION, state=EmailState.QUEUED)
    for email in queued.order_by("pk"):
        email_deliver(email_id=email.pk)
    sent = sorted(
        (message["To"], str(make_header(decode_header(message["Subject"]))))
        for message in smtp.messages
    )
    smtp.messages.clear()
    return sent


def _states() -> dict[str, tuple[str, str]]:
    emails = OutgoingEmail.objects.filter(kind=EmailKind.DECISION).order_by("pk")
    return {email.to_address: (email.state, email.last_error) for email in emails}


def test_send_all_after_a_decline_a_promotion_and_a_deletion_sends_only_what_is_true(client, smtp):
    cohort, manager, conflicted, applications, people = _published()
    alpha, beta_cto = people["Alpha AI"][0], people["Beta Labs"][1]
    beta_cto_id = beta_cto.pk
    url = reverse("staff:decision_emails", args=[cohort.pk])

    promoted = offers.offer_decline(
        offer=Offer.objects.get(application=applications["Alpha AI"]), user=alpha
    )
    account_delete(user=beta_cto)
    client.force_login(conflicted)
    first = client.post(url, {"action": "send_all"}, follow=True).content.decode()
    first_sent = _sent(smtp)
    client.force_login(manager)
    client.post(url, {"action": "send_all"})
    second_sent = _sent(smtp)

    assert promoted == applications["Gamma ML"]
    assert first_sent == [
        ("beta@startup.example", "Congratulations: Beta Labs is selected for Batch 2027"),
        ("delta@startup.example", "Delta Data is on the waiting list for Batch 2027"),
        ("gamma@startup.example", "Congratulations: Gamma ML is selected for Batch 2027"),
    ]
    assert second_sent == [("epsilon@startup.example", "Your application to Batch 2027")]
    assert "3 emails sent to the outbox." in first
    assert _states() == {
        "alpha@startup.example": (
            EmailState.CANCELLED,
            "Voided: the offer was declined, expired or withdrawn before this email was sent.",
        ),
        "beta@startup.example": (EmailState.SENT, ""),
        f"deleted-user-{beta_cto_id}@invalid.invalid": (
            EmailState.CANCELLED,
            "Its recipient deleted their account.",
        ),
        # Gamma ML's waitlist email, then its promotion email (same address: the later wins).
        "gamma@startup.example": (EmailState.SENT, ""),
        "delta@startup.example": (EmailState.SENT, ""),
        "epsilon@startup.example": (EmailState.SENT, ""),
    }
    gamma = decisions.decision_emails(cohort).filter(to_address="gamma@startup.example")
    assert [(e.subject, e.state, e.last_error) for e in gamma.order_by("pk")] == [
        (
            "Gamma ML is on the waiting list for Batch 2027",
            EmailState.CANCELLED,
            "Voided: the startup was promoted from the waitlist; its promotion email replaces "
            "this one.",
        ),
        ("Congratulations: Gamma ML is selected for Batch 2027", EmailState.SENT, ""),
    ]


def test_an_expiry_and_a_withdrawal_void_the_drafts_and_the_page_says_why(client):
    cohort, manager, _, applications, people = _published()
    expiring = Offer.objects.get(application=applications["Beta Labs"])
    # One member's email went out and started the clock; the other's is still a draft.
    beta = decisions.decision_emails(cohort).filter(to_address="beta@startup.example").get()
    decisions.decision_email_send(email=beta)
    email_deliver(email_id=beta.pk)
    expiring.refresh_from_db()
    offers.offers_expire(now=expiring.reply_by + timedelta(seconds=1))
    application_services.application_withdraw(
        application=applications["Delta Data"], user=people["Delta Data"][0]
    )
    client.force_login(manager)
    page = client.get(reverse("staff:decision_emails", args=[cohort.pk])).content.decode()

    states = _states()
    assert states["beta@startup.example"] == (EmailState.SENT, "")
    assert states["beta-cto@startup.example"][0] == EmailState.CANCELLED
    assert states["delta@startup.example"] == (
        EmailState.CANCELLED,
        "Voided: the startup withdrew its application before this email was sent.",
    )
    assert "Voided: the startup withdrew its application before this email was sent." in page


def test_the_offers_page_links_the_promoted_startups_email(client):
    cohort, manager, _, applications, people = _published()
    offers.offer_decline(
        offer=Offer.objects.get(application=applications["Alpha AI"]), user=people["Alpha AI"][0]
    )
    promotion = OutgoingEmail.objects.get(idempotency_key__endswith=":promotion")
    client.force_login(manager)

    page = client.get(reverse("staff:offers", args=[cohort.pk])).content.decode()

    link = reverse("staff:decision_emails", args=[cohort.pk]) + f"#email-{promotion.pk}"
    assert (
        f'Promoted from the waitlist. Its email: <a href="{link}">gamma@startup.example '
        "(Draft: waits for a person to release it)</a>"
    ) in page


def test_nothing_is_ever_pending_to_an_anonymised_address():
    with pytest.raises(IntegrityError, match="outbox_nothing_pending_to_an_anonymised_address"):
        OutgoingEmail.objects.create(
            kind=EmailKind.DECISION, to_address="deleted-user-7@invalid.invalid", subject="S",
            state=EmailState.DRAFT, language="en",
        )  # fmt: skip


def _send_all_while_alpha_declines(cohort, alpha_offer, alpha):
    """Send every draft; between locking the drafts and releasing them, Alpha AI declines in
    another thread, and the send goes on once the decline either waits on a database lock or
    is done."""
    decline_result = []

    def decline():
        try:
            decline_result.append(offers.offer_decline(offer=alpha_offer, user=alpha))
        finally:
            connection.close()

    decliner = threading.Thread(target=decline)

    def hook():
        decliner.start()
        deadline = time.monotonic() + 5  # a last resort, never reached when either happens
        while decliner.is_alive() and not backends_waiting_on_a_lock():
            if time.monotonic() > deadline:
                break
            decliner.join(0.005)

    original = decisions.after_drafts_locked
    decisions.after_drafts_locked = hook
    try:
        sent = decisions.decision_emails_send_all(cohort=cohort)
    except OutboxError as error:
        sent = str(error)
    finally:
        decisions.after_drafts_locked = original
        decliner.join()
    return sent, decline_result


@pytest.mark.django_db(transaction=True)
def test_a_decline_during_send_all_voids_its_queued_email_and_the_others_go(smtp):
    cohort, _, _, applications, people = _published()
    alpha_offer = Offer.objects.get(application=applications["Alpha AI"])

    sent, promoted = _send_all_while_alpha_declines(cohort, alpha_offer, people["Alpha AI"][0])

    assert (sent, promoted) == (6, [applications["Gamma ML"]])
    assert _sent(smtp) == [
        ("beta-cto@startup.example", "Congratulations: Beta Labs is selected for Batch 2027"),
        ("beta@startup.example", "Congratulations: Beta Labs is selected for Batch 2027"),
        ("delta@startup.example", "Delta Data is on the waiting list for Batch 2027"),
        ("epsilon@startup.example", "Your application to Batch 2027"),
    ]
    # Released by the send, then voided by the decline before any worker claimed them.
    assert [(e.to_address, e.state) for e in _decision_emails(cohort)] == [
        ("alpha@startup.example", EmailState.CANCELLED),
        ("beta@startup.example", EmailState.SENT),
        ("beta-cto@startup.example", EmailState.SENT),
        ("gamma@startup.example", EmailState.CANCELLED),  # on the waiting list
        ("delta@startup.example", EmailState.SENT),
        ("epsilon@startup.example", EmailState.SENT),
        ("gamma@startup.example", EmailState.DRAFT),  # promoted: a person sends it
    ]


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_a_decline_during_send_all_makes_the_whole_send_fail(monkeypatch):
    cohort, _, _, applications, people = _published()
    alpha_offer = Offer.objects.get(application=applications["Alpha AI"])
    monkeypatch.setattr(decisions, "_locked", lambda _, drafts: list(drafts.order_by("pk")))

    sent, _ = _send_all_while_alpha_declines(cohort, alpha_offer, people["Alpha AI"][0])

    assert sent == "Only a draft can be released."
    assert not decisions.decision_emails(cohort).filter(state=EmailState.QUEUED).exists()


def _decision_emails(cohort):
    return list(decisions.decision_emails(cohort).order_by("pk"))
