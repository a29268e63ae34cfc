"""Offer reminders (#19, through #20's notifications/reminders.py): two days and one day before
a pending offer's reply-by date, each member of the startup is reminded, once per offset, in
their language. When both are due at once (the worker was down), only the one nearest the
reply-by date is sent and the other is recorded as skipped, as deadline reminders do. An offer
reminder is part of the offer, not optional, so it carries no unsubscribe link."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Membership
from applications.selectors import without_conflicts
from notifications.models import EmailKind, OutgoingEmail
from notifications.reminders import (
    due_offsets,
    existing_keys,
    reminder_row,
    reminder_rows_write,
    site_url,
)
from notifications.services import email_render

from .models import Offer, OfferState

KIND = EmailKind.OFFER_REMINDER
OFFER_REMINDER_OFFSETS = [2 * 24 * 60, 24 * 60]  # minutes before the reply-by date


def offer_reminder_key(*, offer_id: int, user_id: int, offset: int, reply_by: datetime) -> str:
    """The offset and the reply-by date are in it: each offset goes once, and an extension
    makes new reminders due."""
    return f"offer-reminder:{offer_id}:{user_id}:{offset}:{int(reply_by.timestamp())}"


def offer_reminder_render(*, offer, user) -> dict[str, str]:
    """Subject, text and HTML of one offer reminder, in `user`'s language."""
    with translation.override(user.language):
        return email_render("offer_reminder", {
            "startup": offer.application.startup.name, "cohort": offer.cohort.name,
            "reply_by": offer.reply_by, "dashboard_url": site_url(reverse("dashboard")),
        })  # fmt: skip


def offer_reminders_sweep(now: datetime) -> int:
    """Write the reminders of the pending offers due at `now`: for each member, only the
    offset nearest the reply-by date among those due; an earlier one never written is
    recorded as skipped. Returns how many rows were written. A fixed handful of queries."""
    offers = list(
        Offer.objects.filter(state=OfferState.PENDING, reply_by__gt=now,
                             reply_by__lte=now + timedelta(minutes=max(OFFER_REMINDER_OFFSETS)))
        .select_related("application__startup", "cohort__program")
    )  # fmt: skip
    if not offers:
        return 0
    members: dict[int, list] = {}
    for membership in Membership.objects.filter(
        startup_id__in={offer.application.startup_id for offer in offers}, user__is_active=True
    ).select_related("user"):
        members.setdefault(membership.startup_id, []).append(membership.user)
    wanted = {}  # key → offer, user, skipped
    for offer in offers:
        offsets = due_offsets(OFFER_REMINDER_OFFSETS, offer.reply_by, now)
        for user in members.get(offer.application.startup_id, []):
            for index, offset in enumerate(offsets):
                key = offer_reminder_key(offer_id=offer.pk, user_id=user.pk, offset=offset,
                                         reply_by=offer.reply_by)  # fmt: skip
                wanted[key] = (offer, user, index > 0)
    created_at = min(now, timezone.now())
    rows = []
    for key in sorted(set(wanted) - existing_keys(KIND, wanted)):
        offer, user, skipped = wanted[key]
        rows.append(reminder_row(
            kind=KIND, key=key, user=user, rendered=offer_reminder_render(offer=offer, user=user),
            send_before=offer.reply_by, cohort_id=offer.cohort_id, skipped=skipped,
            now=created_at,
        ))  # fmt: skip
    return reminder_rows_write(rows)


def offer_reminder_still_due(email: OutgoingEmail, now: datetime) -> bool:
    """At sending time: the offer is still pending, with the same reply-by date, not past."""
    try:
        _kind, offer_id, _user, _offset, timestamp = email.idempotency_key.split(":")
        reply_by = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except ValueError:
        return False
    current = (
        Offer.objects.filter(pk=int(offer_id), state=OfferState.PENDING)
        .values_list("reply_by", flat=True)
        .first()
    )
    return current is not None and current == reply_by and now < current


# --- For the staff page: what is planned, and a preview ---------------------------------------


def offer_reminders_planned(cohort, now: datetime) -> list[dict]:
    """The offer reminders still to come for a cohort: for each pending offer's reply-by date
    and each offset ahead, when it goes and to how many people. One query."""
    reply_bys = Counter()
    for reply_by, members in (
        Offer.objects.filter(cohort=cohort, state=OfferState.PENDING, reply_by__gt=now)
        .annotate(members=Count("application__startup__memberships",
                                filter=Q(application__startup__memberships__user__is_active=True)))
        .values_list("reply_by", "members")
    ):  # fmt: skip
        reply_bys[reply_by] += members
    planned = []
    for reply_by, members in reply_bys.items():
        for offset in OFFER_REMINDER_OFFSETS:
            moment = reply_by - timedelta(minutes=offset)
            if moment > now:
                planned.append({"at": moment, "offset": offset, "recipients": members})
    return sorted(planned, key=lambda item: item["at"])


def offer_reminder_preview(cohort, *, user) -> dict[str, str] | None:
    """The reminder of the cohort's first pending offer, as `user` would read it; never one
    of an application `user` is in conflict with."""
    offer = (
        without_conflicts(
            Offer.objects.filter(cohort=cohort, state=OfferState.PENDING), user, "application_id"
        )
        .select_related("application__startup", "cohort__program")
        .order_by("reply_by", "pk")
        .first()
    )
    return None if offer is None else offer_reminder_render(offer=offer, user=user)
