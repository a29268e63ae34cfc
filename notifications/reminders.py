"""Reminders: what the apps above share to send them through the outbox.

Each app owns the sweep of its own deadline (applications: deadline reminders; reviews: review
reminders) and tells this module, in its AppConfig.ready(), two things: its sweep, and how to
tell whether one of its reminders is still due when the worker is about to send it. The outbox
never imports those apps.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from celery import current_app
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from .models import OPTIONAL_EMAIL_KINDS, EmailKind, EmailState, OutgoingEmail, Unsubscription

logger = logging.getLogger(__name__)

SWEEP_REMINDERS_TASK = "notifications.sweep_reminders"
UNSUBSCRIBE_SALT = "notifications.unsubscribe"


@dataclass
class ReminderKind:
    """An app's reminders: `sweep(now)` writes the rows due at `now` and returns how many it
    wrote; `still_due(email, now)` says whether a queued one should still go out."""

    sweep: Callable[[datetime], int]
    still_due: Callable[[OutgoingEmail, datetime], bool]


_kinds: dict[str, ReminderKind] = {}


def reminder_kind_register(kind: EmailKind, *, sweep, still_due) -> None:
    """Called in an app's AppConfig.ready()."""
    _kinds[kind] = ReminderKind(sweep=sweep, still_due=still_due)


def registered_reminder_kinds() -> dict[str, ReminderKind]:
    return dict(_kinds)


def reminder_still_due(email: OutgoingEmail, now: datetime) -> bool:
    """The owning app's answer; an email of a kind no app registered is not a reminder."""
    kind = _kinds.get(email.kind)
    return True if kind is None else kind.still_due(email, now)


def reminders_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Run every app's reminder sweep as if it were `now` (each in its own transaction), then
    publish one outbox sweep, after commit, to drain the new rows. Returns {kind: rows written}.

    Side effects: outbox rows (queued, or skipped when a later reminder of the same series
    replaced them); a broker that is down is logged, never raised: the beat's next outbox sweep
    publishes the rows. A kind whose sweep fails is logged and counted 0."""
    now = now or timezone.now()
    written = {}
    for kind, reminder in _kinds.items():
        try:
            with transaction.atomic():
                written[kind] = reminder.sweep(now)
        except Exception:
            # One kind's failure (a bad row, a bug) must not hold back the others' reminders.
            logger.exception("The %s sweep failed; the next sweep tries again", kind)
            written[kind] = 0
    if any(written.values()):
        outbox_drain_publish()
    return written


def outbox_drain_publish() -> None:
    """One outbox sweep task, by name, once the transaction commits (now if there is none)."""
    from .services import PUBLISH_RETRY_POLICY, SWEEP_OUTBOX_TASK

    def publish_outbox_sweep() -> None:
        current_app.send_task(SWEEP_OUTBOX_TASK, retry_policy=PUBLISH_RETRY_POLICY)

    transaction.on_commit(publish_outbox_sweep, robust=True)


def reminder_rows_write(rows: list[OutgoingEmail]) -> int:
    """Insert reminder rows, ignoring any whose (kind, idempotency key) exists already: a sweep
    run twice, or two at once, writes each reminder once. Returns how many were given (the
    caller left out the keys it saw; a concurrent sweep may still have won a few)."""
    OutgoingEmail.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def reminder_row(
    *,
    kind: EmailKind,
    key: str,
    user,
    rendered: dict[str, str],
    send_before: datetime,
    cohort_id: int | None,
    skipped: bool = False,
    now: datetime,
) -> OutgoingEmail:
    """An unsaved outbox row for one reminder to `user`, rendered in their language, with its
    List-Unsubscribe headers when the kind is one a person may turn off (not an offer's)."""
    return OutgoingEmail(
        kind=kind,
        idempotency_key=key,
        recipient=user,
        to_address=user.email,
        from_address=settings.DEFAULT_FROM_EMAIL,
        subject=rendered["subject"][:255],
        body_text="" if skipped else rendered["body_text"],
        body_html="" if skipped else rendered["body_html"],
        language=user.language,
        cohort_id=cohort_id,
        state=EmailState.SKIPPED if skipped else EmailState.QUEUED,
        next_attempt_at=None if skipped else now,
        created_at=now,
        send_before=send_before,
        headers=(
            unsubscribe_headers(user_id=user.pk, kind=kind)
            if kind in OPTIONAL_EMAIL_KINDS and not skipped
            else {}
        ),
    )


def existing_keys(kind: EmailKind, keys: Iterable[str]) -> set[str]:
    return set(
        OutgoingEmail.objects.filter(kind=kind, idempotency_key__in=list(keys)).values_list(
            "idempotency_key", flat=True
        )
    )


def unsubscribed_user_ids(kind: EmailKind, user_ids: Iterable[int]) -> set[int]:
    return set(
        Unsubscription.objects.filter(kind=kind, user_id__in=list(user_ids)).values_list(
            "user_id", flat=True
        )
    )


# --- Opting out --------------------------------------------------------------------------------


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """Signed with SECRET_KEY: who and what, no expiry (an old email's link still works)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user_id, "k": kind})


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """(user id, kind) of a genuine token; signing.BadSignature for a forged or altered one."""
    data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    try:
        user_id, kind = int(data["u"]), str(data["k"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("unexpected content") from error
    return user_id, kind


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(*, user_id: int, kind: str, one_click: bool = False) -> str:
    name = "notifications:unsubscribe_one_click" if one_click else "notifications:unsubscribe"
    return site_url(reverse(name, args=[unsubscribe_token(user_id=user_id, kind=kind)]))


def unsubscribe_headers(*, user_id: int, kind: str) -> dict[str, str]:
    """RFC 8058: mail readers show an unsubscribe button that POSTs to this address."""
    with translation.override(None):
        url = unsubscribe_url(user_id=user_id, kind=kind, one_click=True)
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- Times, as reminders state them ----------------------------------------------------------


def moment_display(moment: datetime, zone_name: str) -> str:
    """A moment, exactly, in the active language and the given zone: "16 August 2024 at
    23:59:59 (Paris time)", "16 août 2024 à 17:59:59 (heure de America/Montreal)"."""
    zone = ZoneInfo(zone_name)
    local = timezone.localtime(moment, zone)
    date = date_format(local, "j F Y")
    time = local.strftime("%H:%M:%S")
    if zone_name == settings.TIME_ZONE:
        return gettext("%(date)s at %(time)s (Paris time)") % {"date": date, "time": time}
    return gettext("%(date)s at %(time)s (%(zone)s time)") % {
        "date": date,
        "time": time,
        "zone": zone_name,
    }


def offset_display(minutes: int) -> str:
    """A reminder offset for staff: "7 days", "3 hours", "1 day 12 hours"."""
    from django.utils.translation import ngettext

    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not parts:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


def due_offsets(offsets: Iterable[int], deadline: datetime, now: datetime) -> list[int]:
    """The offsets (minutes before `deadline`) whose time has come at `now`, nearest to the
    deadline first; none once the deadline has passed."""
    if now >= deadline:
        return []
    return sorted(offset for offset in offsets if deadline - timedelta(minutes=offset) <= now)
