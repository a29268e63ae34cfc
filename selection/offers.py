"""Offers (#19): each published winner gets one; accepting confirms the place, declining or
letting it expire frees it, and the first waitlisted is promoted exactly once. Every write
is one function per state change; each docstring lists its side effects."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.selectors import without_conflicts
from applications.services import application_transition
from cohorts.models import Cohort
from notifications.models import EmailKind
from notifications.services import email_html_from_text, email_queue

from .models import Decision, DecisionOutcome, Offer, OfferState

# The version of the conditions' text a startup accepts; change it when the text changes.
CONDITIONS_VERSION = "2026-11"


class OfferError(Exception):
    """An answer that cannot be given; its message is shown to the person."""


def reply_by_for(sent_at: datetime, days: int) -> datetime:
    """23:59:59 in settings.TIME_ZONE (Paris), `days` calendar days after `sent_at`'s day
    there, whatever the clock's own zone and across a daylight-saving change."""
    zone = ZoneInfo(settings.TIME_ZONE)
    day = sent_at.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


def offers_create(*, cohort: Cohort, applications, now: datetime) -> list[Offer]:
    """At publication: one pending offer per winner, without a reply-by date yet."""
    return Offer.objects.bulk_create(
        [Offer(application=a, cohort=cohort, created_at=now) for a in applications]
    )


def offer_start_clock(*, application_id: int, now: datetime | None = None) -> None:
    """The first decision email to the startup is sent: its offer's reply-by date is fixed
    (once; a later email changes nothing)."""
    now = now or timezone.now()
    pending = Offer.objects.filter(application_id=application_id, reply_by__isnull=True,
                                   state=OfferState.PENDING)  # fmt: skip
    offer = pending.select_related("cohort").first()
    if offer is not None:
        Offer.objects.filter(pk=offer.pk, reply_by__isnull=True).update(
            reply_by=reply_by_for(now, offer.cohort.offer_reply_days)
        )


def _locked_pending(offer_id: int, now: datetime) -> Offer:
    offer = (
        Offer.objects.select_for_update().select_related("application", "cohort").get(pk=offer_id)
    )
    if offer.state != OfferState.PENDING:
        raise OfferError(gettext("This offer is already answered."))
    if offer.reply_by is not None and now > offer.reply_by:
        raise OfferError(gettext("The reply-by date of this offer has passed."))
    return offer


@transaction.atomic
def offer_accept(*, offer: Offer, user, conditions_accepted: bool,
                 now: datetime | None = None) -> Offer:  # fmt: skip
    """A member of the startup accepts, having ticked the conditions. Side effects: who, when
    and the conditions' version are recorded; the place is confirmed."""
    now = now or timezone.now()
    if not conditions_accepted:
        raise OfferError(gettext("Tick the conditions to accept the offer."))
    offer = _locked_pending(offer.pk, now)
    offer.state, offer.answered_at, offer.answered_by = OfferState.ACCEPTED, now, user
    offer.conditions_version = CONDITIONS_VERSION
    offer.save()
    return offer


@transaction.atomic
def offer_decline(*, offer: Offer, user, reason: str = "", now: datetime | None = None
                  ) -> Application | None:  # fmt: skip
    """A member of the startup declines. Side effects: the application becomes declined (an
    event); the first waitlisted is promoted (see _promote). Returns the promoted one."""
    now = now or timezone.now()
    offer = _locked_pending(offer.pk, now)
    return _free_the_place(offer, OfferState.DECLINED, actor=user, reason=reason, now=now)


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor, reason: str = "", now: datetime | None = None
                   ) -> Application | None:  # fmt: skip
    """Staff withdraw a pending offer: like a decline, recorded with their reason. The
    application's transition frees a booked interview still to come (receivers.py)."""
    now = now or timezone.now()
    offer = (
        Offer.objects.select_for_update().select_related("application", "cohort").get(pk=offer.pk)
    )
    if offer.state != OfferState.PENDING:
        raise OfferError(gettext("This offer is already answered."))
    return _free_the_place(offer, OfferState.WITHDRAWN, actor=actor, reason=reason, now=now)


@transaction.atomic
def offer_extend(*, offer: Offer, reply_by: datetime, actor, now: datetime | None = None
                 ) -> Offer:  # fmt: skip
    """Staff move a pending offer's reply-by date later. Side effects: the change is recorded
    on the offer (who, when, from, to)."""
    now = now or timezone.now()
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.state != OfferState.PENDING:
        raise OfferError(gettext("This offer is already answered."))
    if reply_by <= now or (offer.reply_by is not None and reply_by <= offer.reply_by):
        raise OfferError(gettext("Choose a later reply-by date, in the future."))
    offer.extensions = [*offer.extensions, {
        "by": actor.pk, "at": now.isoformat(),
        "from": offer.reply_by.isoformat() if offer.reply_by else None,
        "to": reply_by.isoformat(),
    }]  # fmt: skip
    offer.reply_by = reply_by
    offer.save(update_fields=["reply_by", "extensions"])
    return offer


def offers_expire(*, now: datetime | None = None) -> list[int]:
    """The beat task: every pending offer past its reply-by date expires, each in its own
    transaction (a decline at the same moment wins or loses on the row lock). Returns the
    expired offers' ids."""
    now = now or timezone.now()
    expired = []
    due = Offer.objects.filter(state=OfferState.PENDING, reply_by__lt=now).values_list(
        "pk", flat=True
    )
    for offer_id in list(due):
        with transaction.atomic():
            offer = Offer.objects.select_for_update().select_related(
                "application", "cohort"
            ).get(pk=offer_id)  # fmt: skip
            if offer.state != OfferState.PENDING or not offer.reply_by or offer.reply_by >= now:
                continue  # answered meanwhile
            _free_the_place(offer, OfferState.EXPIRED, actor=None, reason="", now=now)
            expired.append(offer_id)
    return expired


def _free_the_place(offer: Offer, state: str, *, actor, reason: str, now: datetime):
    offer.state, offer.answered_at, offer.answered_by = state, now, actor
    offer.decline_reason = reason
    offer.save()
    notes = {
        OfferState.DECLINED: gettext("Offer declined"),
        OfferState.EXPIRED: gettext("Offer expired"),
        OfferState.WITHDRAWN: gettext("Offer withdrawn by staff"),
    }
    application_transition(application=offer.application, to_status=ApplicationStatus.DECLINED,
                           actor=actor, note=notes[state])  # fmt: skip
    return _promote(offer, now=now)


def promotion_stopped(cohort: Cohort, now: datetime) -> bool:
    if cohort.program_starts_on is None:
        return False
    stop = cohort.program_starts_on - timedelta(days=cohort.promotion_stops_days_before)
    return now.astimezone(ZoneInfo(settings.TIME_ZONE)).date() >= stop


def _promote(freed: Offer, *, now: datetime) -> Application | None:
    """The first waitlisted becomes a winner with an offer replacing the freed one, exactly
    once (the freed offer is locked and answered; `replaces` is one to one). Nothing happens
    when the waitlist is empty or the cohort's date for promotions is past: staff see the
    freed place on the offers page. Side effects: the transition (its note says why), the
    decision row moved to winner, the new offer and its email (draft, or queued as the
    cohort says)."""
    cohort = Cohort.objects.select_for_update().select_related("program").get(pk=freed.cohort_id)
    if promotion_stopped(cohort, now):
        _tell_managers(freed, cohort, stopped=True)
        return None
    first = (
        Decision.objects.select_for_update()
        .filter(cohort=cohort, outcome=DecisionOutcome.WAITLISTED,
                application__status=ApplicationStatus.WAITLISTED)
        .select_related("application__startup")
        .order_by("waitlist_position")
        .first()
    )  # fmt: skip
    if first is None:
        _tell_managers(freed, cohort, stopped=False)
        return None
    application = application_transition(
        application=first.application, to_status=ApplicationStatus.WINNER, actor=None,
        # The startup reads this note on its dashboard: it never names the one that left.
        note=gettext("Promoted from the waitlist: a place was freed"),
    )  # fmt: skip
    Decision.objects.filter(pk=first.pk).update(
        outcome=DecisionOutcome.WINNER, waitlist_position=None
    )
    Offer.objects.create(application=application, cohort=cohort, created_at=now, replaces=freed)
    from .decisions import PROMOTION_KEY_SUFFIX, draft_decision_emails

    first.outcome = DecisionOutcome.WINNER
    with translation.override(settings.LANGUAGE_CODE):
        draft_decision_emails(first, cohort, draft=not cohort.promotion_email_queued,
                              key_suffix=PROMOTION_KEY_SUFFIX)  # fmt: skip
    return application


def _tell_managers(freed: Offer, cohort: Cohort, *, stopped: bool) -> None:
    """A freed place nobody was promoted to: each manager of the program gets an email, in
    their language, once per freed offer; one in conflict with the startup is not told its
    name."""
    path = reverse("staff:offers", args=[cohort.pk])
    freed_application = Application.objects.filter(pk=freed.application_id)
    for manager in cohort.program.managers.order_by("pk"):
        with translation.override(manager.language or settings.LANGUAGE_CODE):
            startup = (
                freed.application.startup.name
                if without_conflicts(freed_application, manager).exists()
                else gettext("A startup you are in conflict with")
            )
            subject = gettext("A place is free in %(cohort)s") % {"cohort": cohort.name}
            reason = (
                gettext("The waitlist no longer moves by itself for this cohort.") if stopped
                else gettext("The waitlist is empty.")
            )  # fmt: skip
            body = gettext(
                "%(startup)s will not take its place in %(cohort)s (offer %(state)s). %(reason)s "
                "Nobody was promoted: the place is yours to fill.\n\n%(url)s"
            ) % {
                "startup": startup, "cohort": cohort.name,
                "state": freed.get_state_display().lower(), "reason": reason,
                "url": settings.SITE_URL.rstrip("/") + path,
            }  # fmt: skip
            email_queue(
                kind=EmailKind.GENERIC, to_address=manager.email, recipient=manager,
                subject=subject, body_text=body, body_html=email_html_from_text(subject, body),
                idempotency_key=f"place-free:{freed.pk}:{manager.pk}", cohort_id=cohort.pk,
            )  # fmt: skip


def pending_offer_for(user, offer_id: int) -> Offer:
    """The offer, if the user is a member of its startup (else Offer.DoesNotExist)."""
    return Offer.objects.select_related("application__startup", "cohort__program").get(
        pk=offer_id, application__startup__memberships__user=user
    )
