"""Offer reminders (#19, through #20's notifications/reminders.py): two days before a pending
offer's reply-by date, each member of the startup is reminded once, in their language. An
offer reminder is part of the offer, not optional, so it carries no unsubscribe link."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Membership
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.reminders import existing_keys, reminder_rows_write, site_url
from notifications.services import email_render

from .models import Offer, OfferState

KIND = EmailKind.OFFER_REMINDER
REMIND_BEFORE = timedelta(days=2)


def offer_reminder_key(*, offer_id: int, user_id: int, reply_by: datetime) -> str:
    """The reply-by date is in it: an extension makes a new reminder due."""
    return f"offer-reminder:{offer_id}:{user_id}:{int(reply_by.timestamp())}"


def offer_reminders_sweep(now: datetime) -> int:
    """Write the reminders of the pending offers whose reply-by date is less than two days
    away. Returns how many rows were written. A fixed handful of queries."""
    offers = list(
        Offer.objects.filter(state=OfferState.PENDING, reply_by__gt=now,
                             reply_by__lte=now + REMIND_BEFORE)
        .select_related("application__startup", "cohort__program")
    )  # fmt: skip
    if not offers:
        return 0
    members: dict[int, list] = {}
    for membership in Membership.objects.filter(
        startup_id__in={offer.application.startup_id for offer in offers}, user__is_active=True
    ).select_related("user"):
        members.setdefault(membership.startup_id, []).append(membership.user)
    wanted = {
        offer_reminder_key(offer_id=offer.pk, user_id=user.pk, reply_by=offer.reply_by): (
            offer, user)
        for offer in offers
        for user in members.get(offer.application.startup_id, [])
    }  # fmt: skip
    created_at = min(now, timezone.now())
    rows = []
    for key in sorted(set(wanted) - existing_keys(KIND, wanted)):
        offer, user = wanted[key]
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            rendered = email_render("offer_reminder", {
                "startup": offer.application.startup.name, "cohort": offer.cohort.name,
                "reply_by": offer.reply_by, "dashboard_url": site_url(reverse("dashboard")),
            })  # fmt: skip
        rows.append(OutgoingEmail(
            kind=KIND, idempotency_key=key, recipient=user, to_address=user.email,
            from_address=settings.DEFAULT_FROM_EMAIL, subject=rendered["subject"][:255],
            body_text=rendered["body_text"], body_html=rendered["body_html"], language=language,
            cohort_id=offer.cohort_id, state=EmailState.QUEUED, next_attempt_at=created_at,
            created_at=created_at, send_before=offer.reply_by,
        ))  # fmt: skip
    return reminder_rows_write(rows)


def offer_reminder_still_due(email: OutgoingEmail, now: datetime) -> bool:
    """At sending time: the offer is still pending, with the same reply-by date, not past."""
    try:
        _kind, offer_id, _user, timestamp = email.idempotency_key.split(":")
        reply_by = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except ValueError:
        return False
    current = (
        Offer.objects.filter(pk=int(offer_id), state=OfferState.PENDING)
        .values_list("reply_by", flat=True)
        .first()
    )
    return current is not None and current == reply_by and now < current
