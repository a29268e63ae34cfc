"""Offers: reply-by dates, accept and decline, expiry, and the waitlist promoted exactly once."""

import threading
from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application, ApplicationEvent
from notifications.models import EmailKind, OutgoingEmail
from reviews import services as review_services
from selection import decisions, offer_reminders, offers
from selection.models import Offer, OfferState
from tests.clock import clock_pinned
from tests.factories import staff_member
from tests.factories.applications import submitted_application
from tests.factories.reviews import reviewing_cohort

# The offers of the tests with fixed dates are sent on 1 December 2026 at 10:00 UTC; the
# others take every date from the clock.
pinned_clock = clock_pinned(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))

pytestmark = pytest.mark.django_db

PARIS_DAY_END = "23:59:59"


def _published(capacity=2, waitlisted=2, rejected=1):
    cohort = reviewing_cohort(capacity=capacity)
    manager = staff_member(programs=[cohort.program])
    applications = [submitted_application(cohort=cohort, deck_pages=None)
                    for _ in range(capacity + waitlisted + rejected)]  # fmt: skip
    for i, application in enumerate(applications):
        outcome = "winner" if i < capacity else "waitlisted" if i < capacity + waitlisted else (
            "rejected")  # fmt: skip
        decisions.decision_set(application=application, outcome=outcome, actor=manager)
    fingerprint = decisions.publication_state(cohort).fingerprint
    decisions.decisions_publish(cohort=cohort, actor=manager, fingerprint=fingerprint)
    return cohort, manager, applications


def _member(application):
    return application.startup.memberships.first().user


def _statuses(applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


def test_the_reply_by_date_is_the_end_of_the_paris_day_across_a_daylight_saving_change():
    # Sent on Saturday 25 October 2025 at 23:30 UTC: already Sunday 26 in Paris (CET, +1),
    # the night summer time ended; seven days later is Sunday 2 November.
    sent = datetime(2025, 10, 25, 23, 30, tzinfo=UTC)

    reply_by = offers.reply_by_for(sent, 7)

    assert reply_by.astimezone(UTC) == datetime(2025, 11, 2, 22, 59, 59, tzinfo=UTC)
    assert reply_by.isoformat() == "2025-11-02T23:59:59+01:00"
    summer = offers.reply_by_for(datetime(2025, 3, 25, 12, 0, tzinfo=UTC), 7)
    assert summer.astimezone(UTC) == datetime(2025, 4, 1, 21, 59, 59, tzinfo=UTC)


def test_publication_gives_each_winner_an_offer_whose_clock_starts_with_the_first_email():
    cohort, _, applications = _published()
    offer = Offer.objects.get(application=applications[0])
    assert offer.reply_by is None

    sent = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with time_machine.travel(sent, tick=False):
        decisions.decision_emails_send_all(cohort=cohort)

    offer.refresh_from_db()
    assert offer.reply_by == offers.reply_by_for(sent, 7)
    assert Offer.objects.filter(cohort=cohort).count() == 2


def test_decline_promotes_the_first_waitlisted_with_an_offer_and_one_email():
    _, _, applications = _published()
    declined = Offer.objects.get(application=applications[0])
    before = OutgoingEmail.objects.filter(kind=EmailKind.DECISION).count()

    promoted = offers.offer_decline(offer=declined, user=_member(applications[0]), reason="VC")

    assert promoted.pk == applications[2].pk
    assert _statuses(applications) == ["declined", "winner", "winner", "waitlisted", "rejected"]
    new = Offer.objects.get(application=applications[2])
    assert new.replaces_id == declined.pk
    assert OutgoingEmail.objects.filter(kind=EmailKind.DECISION).count() == before + 1
    note = ApplicationEvent.objects.filter(application=applications[2]).latest("pk").note
    assert note.startswith("Promoted from the waitlist")
    assert Offer.objects.get(pk=declined.pk).decline_reason == "VC"


def test_capacity_stays_within_bounds_through_declines_and_promotions():
    cohort, _, applications = _published(capacity=2, waitlisted=2)
    for application in applications[:4]:
        offer = Offer.objects.filter(application=application, state=OfferState.PENDING).first()
        if offer:
            offers.offer_decline(offer=offer, user=_member(application))
        winners = Application.objects.filter(cohort=cohort, status=ApplicationStatus.WINNER)
        assert winners.count() <= 2
    assert _statuses(applications) == ["declined"] * 4 + ["rejected"]


def test_expiry_at_reply_by_plus_one_second_not_before():
    cohort, _, applications = _published()
    sent = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with time_machine.travel(sent, tick=False):
        decisions.decision_emails_send_all(cohort=cohort)
    reply_by = Offer.objects.get(application=applications[0]).reply_by

    with time_machine.travel(reply_by, tick=False):
        assert offers.offers_expire() == []
    with time_machine.travel(reply_by + timedelta(seconds=1), tick=False):
        expired = offers.offers_expire()

    assert len(expired) == 2
    assert _statuses(applications)[:4] == ["declined", "declined", "winner", "winner"]


def test_another_startup_cannot_answer_and_nobody_after_the_reply_by_date(client):
    _, _, applications = _published()
    offer = Offer.objects.get(application=applications[0])
    client.force_login(_member(applications[1]))
    assert client.post(reverse("offer_decline", args=[offer.pk])).status_code == 404

    Offer.objects.filter(pk=offer.pk).update(reply_by=datetime(2020, 1, 1, tzinfo=UTC))
    client.force_login(_member(applications[0]))
    response = client.post(reverse("offer_accept", args=[offer.pk]), {"conditions": "on"},
                           follow=True)  # fmt: skip

    assert "The reply-by date of this offer has passed." in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).state == OfferState.PENDING


def test_accepting_needs_the_conditions_then_records_who_and_which_version(client):
    _, _, applications = _published()
    offer = Offer.objects.get(application=applications[0])
    founder = _member(applications[0])
    client.force_login(founder)

    refused = client.post(reverse("offer_accept", args=[offer.pk]), follow=True)
    client.post(reverse("offer_accept", args=[offer.pk]), {"conditions": "on"})

    assert "Tick the conditions to accept the offer." in refused.content.decode()
    offer.refresh_from_db()
    assert (offer.state, offer.answered_by, offer.conditions_version) == (
        OfferState.ACCEPTED, founder, offers.CONDITIONS_VERSION)  # fmt: skip


def _at_once(*calls):
    barrier = threading.Barrier(len(calls))
    results = []

    def work(call):
        try:
            barrier.wait()
            results.append(call())
        except offers.OfferError as error:
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_declines_promote_one():
    _, _, applications = _published()
    offer = Offer.objects.get(application=applications[0])
    user = _member(applications[0])

    results = _at_once(lambda: offers.offer_decline(offer=offer, user=user),
                       lambda: offers.offer_decline(offer=offer, user=user))  # fmt: skip

    assert "This offer is already answered." in results
    assert _statuses(applications) == ["declined", "winner", "winner", "waitlisted", "rejected"]
    assert Offer.objects.filter(replaces=offer).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_decline_racing_the_expiry_sweep_promotes_one():
    _, _, applications = _published(capacity=1)
    offer = Offer.objects.get(application=applications[0])
    Offer.objects.filter(pk=offer.pk).update(reply_by=datetime(2026, 1, 1, tzinfo=UTC))
    user = _member(applications[0])
    reply_by = datetime(2026, 1, 1, tzinfo=UTC)
    # The decline comes at the last second; the sweep runs one second later: either may win
    # the offer's row, and the other finds it answered.

    _at_once(lambda: offers.offer_decline(offer=offer, user=user, now=reply_by),
             lambda: offers.offers_expire(now=reply_by + timedelta(seconds=1)))  # fmt: skip

    assert _statuses(applications) == ["declined", "winner", "waitlisted", "rejected"]
    assert Offer.objects.filter(replaces=offer).count() == 1


def test_the_staff_offers_page_lists_each_state_and_extension_and_withdrawal_are_recorded(client):
    cohort, manager, applications = _published(capacity=2, waitlisted=2)
    first = Offer.objects.get(application=applications[0])
    reason = "Joined another accelerator"
    offers.offer_decline(offer=first, user=_member(applications[0]), reason=reason)
    pending = Offer.objects.get(application=applications[1])
    client.force_login(manager)

    client.post(reverse("staff:offer_extend", args=[cohort.pk, pending.pk]),
                {"reply_by": "2099-01-31"})  # fmt: skip
    page = client.get(reverse("staff:offers", args=[cohort.pk])).content.decode()
    withdrawn = client.post(reverse("staff:offer_withdraw", args=[cohort.pk, pending.pk]),
                            {"reason": "No show"}, follow=True)  # fmt: skip

    pending.refresh_from_db()
    assert pending.state == OfferState.WITHDRAWN
    assert pending.extensions[0]["by"] == manager.pk
    assert pending.extensions[0]["to"] == "2099-01-31T23:59:59+01:00"
    assert "Joined another accelerator" in page
    assert "reply by 31 January 2099, 23:59:59" in page
    assert "is promoted from the waitlist" in withdrawn.content.decode()
    assert _statuses(applications) == ["declined", "declined", "winner", "winner", "rejected"]


def test_with_an_empty_waitlist_nobody_is_promoted_and_the_managers_are_told():
    cohort, manager, applications = _published(capacity=2, waitlisted=0)

    promoted = offers.offer_decline(offer=Offer.objects.get(application=applications[0]),
                                    user=_member(applications[0]))  # fmt: skip

    assert promoted is None
    told = OutgoingEmail.objects.get(recipient=manager, kind=EmailKind.GENERIC)
    assert told.subject == f"A place is free in {cohort.name}"
    assert "The waitlist is empty." in told.body_text


def test_a_manager_in_conflict_with_the_freed_startup_is_told_of_the_place_not_its_name():
    cohort, manager, applications = _published(capacity=2, waitlisted=0)
    conflicted = staff_member(programs=[cohort.program])
    freed = applications[0]
    freed.startup.name = "Vigne Vision"
    freed.startup.save(update_fields=["name"])
    review_services.conflict_add(user=conflicted, application=freed, kind="investor",
                                 created_by=manager)  # fmt: skip

    offers.offer_decline(offer=Offer.objects.get(application=freed), user=_member(freed))

    told = {
        email.recipient_id: email.body_text.split(" (offer")[0]
        for email in OutgoingEmail.objects.filter(kind=EmailKind.GENERIC)
    }
    assert told == {
        manager.pk: f"Vigne Vision will not take its place in {cohort.name}",
        conflicted.pk: "A startup you are in conflict with will not take its place in "
        + cohort.name,
    }


def test_after_the_cohorts_date_the_waitlist_stops_moving():
    cohort, _, applications = _published(capacity=1, waitlisted=1)
    cohort.program_starts_on = (datetime.now(tz=UTC) + timedelta(days=10)).date()
    cohort.program_ends_on = cohort.program_starts_on + timedelta(days=90)
    cohort.save()

    promoted = offers.offer_decline(offer=Offer.objects.get(application=applications[0]),
                                    user=_member(applications[0]))  # fmt: skip

    assert promoted is None
    assert _statuses(applications) == ["declined", "waitlisted", "rejected"]


def _offer_reminder_world():
    cohort, _, applications = _published(capacity=1, waitlisted=0, rejected=0)
    member = _member(applications[0])
    member.language = "fr"
    member.save()
    sent = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with time_machine.travel(sent, tick=False):
        decisions.decision_emails_send_all(cohort=cohort)
    return cohort, member, Offer.objects.get(application=applications[0])


def _offer_reminders():
    return list(
        OutgoingEmail.objects.filter(kind=EmailKind.OFFER_REMINDER)
        .order_by("pk")
        .values_list("idempotency_key", "state", "send_before", "headers")
    )


def test_offer_reminders_go_once_two_days_and_one_day_before_the_reply_by_date():
    cohort, member, offer = _offer_reminder_world()
    sweep = offer_reminders.offer_reminders_sweep
    stamp = int(offer.reply_by.timestamp())

    early = sweep(offer.reply_by - timedelta(days=2, seconds=1))
    two_days = sweep(offer.reply_by - timedelta(days=2))
    again = sweep(offer.reply_by - timedelta(days=1, seconds=1))
    one_day = sweep(offer.reply_by - timedelta(days=1))
    later = sweep(offer.reply_by - timedelta(hours=1))
    after = sweep(offer.reply_by)

    assert (early, two_days, again, one_day, later, after) == (0, 1, 0, 1, 0, 0)
    assert _offer_reminders() == [
        (f"offer-reminder:{offer.pk}:{member.pk}:2880:{stamp}", "queued", offer.reply_by, {}),
        (f"offer-reminder:{offer.pk}:{member.pk}:1440:{stamp}", "queued", offer.reply_by, {}),
    ]
    email = OutgoingEmail.objects.filter(kind=EmailKind.OFFER_REMINDER).first()
    assert email.subject == f"Rappel : répondez à votre offre pour {cohort.name}"
    assert offer_reminders.offer_reminder_still_due(email, offer.reply_by - timedelta(days=1))
    assert not offer_reminders.offer_reminder_still_due(email, offer.reply_by)
    # Accepted the day before the reply-by date: the clock the offer was made under, not today's.
    offers.offer_accept(offer=offer, user=member, conditions_accepted=True,
                        now=offer.reply_by - timedelta(days=1))  # fmt: skip
    assert not offer_reminders.offer_reminder_still_due(email, offer.reply_by - timedelta(days=1))


def test_when_both_offer_reminders_are_due_at_once_only_the_nearest_goes_the_other_skipped():
    _cohort, member, offer = _offer_reminder_world()
    stamp = int(offer.reply_by.timestamp())

    written = offer_reminders.offer_reminders_sweep(offer.reply_by - timedelta(hours=20))
    again = offer_reminders.offer_reminders_sweep(offer.reply_by - timedelta(hours=19))

    assert (written, again) == (2, 0)
    assert _offer_reminders() == [
        (f"offer-reminder:{offer.pk}:{member.pk}:1440:{stamp}", "queued", offer.reply_by, {}),
        (f"offer-reminder:{offer.pk}:{member.pk}:2880:{stamp}", "skipped", offer.reply_by, {}),
    ]


def test_the_staff_reminders_page_plans_counts_and_previews_offer_reminders(client):
    cohort, _, offer = _offer_reminder_world()
    manager = staff_member(programs=[cohort.program])
    client.force_login(manager)
    url = reverse("staff:cohort_reminders", args=[cohort.pk])

    with time_machine.travel(datetime(2026, 12, 1, 11, 0, tzinfo=UTC), tick=False):
        page = client.get(url).content.decode()

    assert offer.reply_by == datetime(2026, 12, 8, 22, 59, 59, tzinfo=UTC)
    for day, offset in (("6", "2 days"), ("7", "1 day")):
        assert (
            f"<td>{day} December 2026, 23:59:59</td><td>Offer reply-by reminder</td>"
            f'<td>{offset}</td><td class="number">1</td>'
        ) in page
    assert f"<strong>Reminder: reply to your offer for {cohort.name}</strong>" in page

    offer_reminders.offer_reminders_sweep(offer.reply_by - timedelta(hours=20))
    with time_machine.travel(offer.reply_by - timedelta(hours=20), tick=False):
        page = client.get(url).content.decode()

    assert "Offer reply-by reminder</td>" not in page
    # Queued, sent, skipped, cancelled, failed, unknown.
    assert (
        '<th scope="row">Offer reply-by reminder</th>'
        + "".join(f'<td class="number">{count}</td>' for count in (1, 0, 1, 0, 0, 0))
        in page
    )


def test_a_manager_in_conflict_with_the_promoted_startup_is_not_told_its_name(client):
    cohort, manager, applications = _published(capacity=2, waitlisted=2)
    first_waitlisted = applications[2].startup
    first_waitlisted.name = "Vigne Vision"
    first_waitlisted.save(update_fields=["name"])
    review_services.conflict_add(user=manager, application=applications[2], kind="investor",
                                 created_by=staff_member(programs=[cohort.program]))  # fmt: skip
    client.force_login(manager)
    before = client.get(reverse("staff:offers", args=[cohort.pk])).content.decode()

    withdrawn = client.post(
        reverse("staff:offer_withdraw", args=[cohort.pk, applications[0].offer.pk]),
        {"reason": "No show"}, follow=True,
    )  # fmt: skip

    page = withdrawn.content.decode()
    assert "Vigne Vision" not in before
    assert before.count("Conflict of interest") == 1  # first on the waitlist
    assert _statuses(applications)[:3] == ["declined", "winner", "winner"]
    assert "Vigne Vision" not in page
    assert (
        "The offer is withdrawn; the next startup on the waitlist, one you are in conflict with, "
        "is promoted." in page
    )
    assert page.count("Conflict of interest") == 1  # its new pending offer, without actions
    assert f"offer-{applications[2].offer.pk}" in page
    assert reverse("staff:offer_withdraw", args=[cohort.pk, applications[2].offer.pk]) not in page


def test_the_migration_takes_the_freed_startups_name_out_of_past_promotion_notes():
    _, _, applications = _published()
    forget = import_module("selection.migrations.0006_promotion_notes_name_no_startup")
    notes = [
        "Promoted from the waitlist: a place was freed (Lumière (Santé))",
        "Promue depuis la liste d'attente : une place s'est libérée (Lumière Santé)",
        "Decision published",
    ]
    events = [
        ApplicationEvent.objects.create(application=application, to_status="winner", note=note)
        for note, application in zip(notes, applications[2:], strict=True)
    ]

    forget.forget_the_freed_startup(django_apps, None)

    assert [ApplicationEvent.objects.get(pk=event.pk).note for event in events] == [
        "Promoted from the waitlist: a place was freed",
        "Promue depuis la liste d'attente : une place s'est libérée",
        "Decision published",
    ]
