"""Every write of the interview stage (#17), one function per state change; each docstring
lists its side effects. Shortlisting goes through application_transition(); slots, panels,
invitations, bookings and scores are this app's rows."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.services import account_stand_in
from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import ApplicationError, application_transition
from notifications.models import EmailKind
from notifications.reminders import site_url
from notifications.services import email_queue, email_render
from reviews.enums import ConflictState
from reviews.models import Conflict
from reviews.selectors import open_blind_reviewers

from .ics import ics_attachment, interview_ics
from .interview_selectors import panel_candidate_ids
from .models import (
    InterviewBooking,
    InterviewInvitation,
    InterviewPanelist,
    InterviewScore,
    InterviewSlot,
)
from .selectors import ranked_applications

PARIS = ZoneInfo("Europe/Paris")
# A startup moves its own booking until this long before its slot; then staff do.
REBOOKING_CUTOFF = timedelta(hours=24)
MAX_BULK_SLOTS = 500


class InterviewError(Exception):
    """A change that cannot be made; its message is shown to the person."""


# --- Shortlist -------------------------------------------------------------------------------


@transaction.atomic
def shortlist_add(*, cohort, application_ids, actor, note: str = "") -> list[Application]:
    """Shortlist the cohort's ranked applications among `application_ids` that are still
    submitted (others are left as they are). Side effects: each goes submitted → shortlisted
    through application_transition() (its event records who, when and the note). Refused while
    the call is open: a startup that can still edit would see its status change."""
    if cohort.accepts_submissions():
        raise InterviewError(gettext("The call is still open: shortlist once it has closed."))
    applications = list(
        ranked_applications(cohort)
        .filter(pk__in=list(application_ids), status=ApplicationStatus.SUBMITTED)
        .order_by("pk")
    )
    return [
        application_transition(
            application=application,
            to_status=ApplicationStatus.SHORTLISTED,
            actor=actor,
            note=note,
        )
        for application in applications
    ]


@transaction.atomic
def shortlist_remove(*, application, actor, note: str = "") -> Application:
    """Back to submitted, while the startup has not been invited to interview (once invited,
    it knows). Side effects: the transition's event."""
    if InterviewInvitation.objects.filter(application_id=application.pk).exists():
        raise InterviewError(
            gettext("This startup is already invited to interview: it stays on the shortlist.")
        )
    try:
        return application_transition(
            application=application, to_status=ApplicationStatus.SUBMITTED, actor=actor, note=note
        )
    except ApplicationError as error:
        raise InterviewError(*error.args) from error


# --- Slots and panels ------------------------------------------------------------------------


def _check_panel(cohort, user_ids) -> list[int]:
    user_ids = sorted({int(user_id) for user_id in user_ids})
    allowed = panel_candidate_ids(cohort)
    if any(user_id not in allowed for user_id in user_ids):
        raise InterviewError(gettext("A panel is made of the cohort's staff and reviewers only."))
    return user_ids


def _conflicted_user_ids(application_id: int) -> set[int]:
    return set(
        Conflict.objects.filter(
            application_id=application_id, state=ConflictState.CONFIRMED
        ).values_list("user_id", flat=True)
    )


def _lock_slot(slot_id: int, cohort_id: int) -> InterviewSlot | None:
    """The slot's row with its panel, locked for this transaction: its panel and its booking
    change one at a time, so each is checked against what the other last committed (a
    reviewer seated while a startup books would otherwise meet the startup they review)."""
    return (
        InterviewSlot.objects.select_for_update()
        .filter(pk=slot_id, cohort_id=cohort_id)
        .prefetch_related("panelists")
        .first()
    )


def after_panel_check() -> None:
    """A test hook between the panel's checks and the write (tests make it wait at a gate:
    with the lock, only one request at a time ever gets there)."""


def _blind_reviewers_problem(application, user_ids) -> str:
    """Why these people cannot sit on the application's panel ("" when they can): an
    interview names the startup, so a blind review of it that can still change must be ended
    first (staff unassign the reviewer; a submitted review is kept)."""
    users = open_blind_reviewers(application, user_ids)
    if not users:
        return ""
    message = ngettext(
        "%(people)s has an open blind review of %(application)s, and an interview names the "
        "startup: unassign that review on the cohort's Reviewers page (a submitted review is "
        "kept) before seating them on its panel.",
        "%(people)s have open blind reviews of %(application)s, and an interview names the "
        "startup: unassign those reviews on the cohort's Reviewers page (a submitted review is "
        "kept) before seating them on its panel.",
        len(users),
    )
    return message % {
        "people": ", ".join(user.get_full_name() for user in users),
        "application": application.startup.name,
    }


@transaction.atomic
def slot_create(
    *, cohort, starts_at: datetime, duration: int, place: str, panel=(), by
) -> InterviewSlot:
    """One slot with its panel. Side effects: none beyond the rows."""
    panel = _check_panel(cohort, panel)
    if duration <= 0:
        raise InterviewError(gettext("A slot lasts at least one minute."))
    try:
        with transaction.atomic():
            slot = InterviewSlot.objects.create(
                cohort=cohort, starts_at=starts_at, duration=duration, place=place.strip(),
                created_by=by,
            )  # fmt: skip
    except IntegrityError:
        raise InterviewError(
            gettext("There is already a slot at this time in this place.")
        ) from None
    InterviewPanelist.objects.bulk_create(
        [InterviewPanelist(slot=slot, user_id=user_id) for user_id in panel]
    )
    return slot


def bulk_starts(
    *, days: list[date], first: time, last: time, duration: int, gap: int
) -> list[datetime]:
    """Paris start times "from `first` to `last` on these days, `duration` minutes each,
    `gap` minutes apart": each slot ends by `last`."""
    starts = []
    for day in sorted(set(days)):
        start = datetime.combine(day, first, tzinfo=PARIS)
        end = datetime.combine(day, last, tzinfo=PARIS)
        while start + timedelta(minutes=duration) <= end:
            starts.append(start)
            start += timedelta(minutes=duration + gap)
    return starts


@transaction.atomic
def slots_create_bulk(
    *, cohort, days: list[date], first: time, last: time, duration: int, gap: int, place: str,
    panel=(), by,
) -> list[InterviewSlot]:  # fmt: skip
    """Every slot of the pattern that does not exist yet (same time, same place), each with
    the panel. Returns the slots created."""
    if duration <= 0 or gap < 0:
        raise InterviewError(gettext("A slot lasts at least one minute; the gap is not negative."))
    panel = _check_panel(cohort, panel)
    starts = bulk_starts(days=days, first=first, last=last, duration=duration, gap=gap)
    if not starts:
        raise InterviewError(gettext("No slot fits between these times."))
    if len(starts) > MAX_BULK_SLOTS:
        raise InterviewError(
            gettext("That makes more than %(count)s slots: create fewer at once.")
            % {"count": MAX_BULK_SLOTS}
        )
    existing = set(
        InterviewSlot.objects.filter(cohort=cohort, place=place.strip(), starts_at__in=starts)
        .values_list("starts_at", flat=True)
    )  # fmt: skip
    slots = InterviewSlot.objects.bulk_create(
        [
            InterviewSlot(
                cohort=cohort,
                starts_at=start,
                duration=duration,
                place=place.strip(),
                created_by=by,
            )
            for start in starts
            if start not in existing
        ]
    )
    InterviewPanelist.objects.bulk_create(
        [InterviewPanelist(slot=slot, user_id=user_id) for slot in slots for user_id in panel]
    )
    return slots


@transaction.atomic
def slot_panel_set(*, slot, user_ids, by) -> None:
    """Replace the slot's panel. A person in conflict with the startup that holds the slot is
    refused. Side effects: a booked slot's new panel members get the calendar file."""
    slot = _lock_slot(slot.pk, slot.cohort_id)
    if slot is None:
        raise InterviewError(gettext("This slot no longer exists: pick another one."))
    user_ids = _check_panel(slot.cohort, user_ids)
    booking = (
        InterviewBooking.objects.filter(slot=slot)
        .select_related("application__startup", "application__cohort")
        .first()
    )
    if booking is not None and set(user_ids) & _conflicted_user_ids(booking.application_id):
        raise InterviewError(
            gettext("A person in conflict with this startup cannot sit on its panel.")
        )
    if booking is not None and (problem := _blind_reviewers_problem(booking.application, user_ids)):
        raise InterviewError(problem)
    after_panel_check()
    before = set(slot.panelists.values_list("user_id", flat=True))
    slot.panelists.exclude(user_id__in=user_ids).delete()
    InterviewPanelist.objects.bulk_create(
        [InterviewPanelist(slot=slot, user_id=u) for u in user_ids if u not in before]
    )
    if booking is not None:
        _notify(booking.application, slot, EmailKind.INTERVIEW_BOOKED, startup=False,
                users=[u for u in user_ids if u not in before])  # fmt: skip


@transaction.atomic
def slot_move(*, slot, starts_at: datetime, by) -> InterviewSlot:
    """Move a slot. Side effects: a booked slot's startup and panel get the updated calendar
    file (same UID, higher SEQUENCE)."""
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    slot.starts_at = starts_at
    try:
        with transaction.atomic():
            slot.save(update_fields=["starts_at"])
    except IntegrityError:
        raise InterviewError(
            gettext("There is already a slot at this time in this place.")
        ) from None
    booking = InterviewBooking.objects.filter(slot=slot).select_related("application").first()
    if booking is not None:
        _notify(booking.application, slot, EmailKind.INTERVIEW_CHANGED)
    return slot


@transaction.atomic
def slot_cancel(*, slot, by) -> None:
    """Delete a slot. Side effects: a booked slot's startup and panel get a cancellation
    (METHOD:CANCEL); the startup can book again."""
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    booking = InterviewBooking.objects.filter(slot=slot).select_related("application").first()
    if booking is not None:
        _notify(booking.application, slot, EmailKind.INTERVIEW_CHANGED, cancel=True)
    slot.delete()


@transaction.atomic
def booking_cancel(*, booking, by, left: bool = False) -> None:
    """Free a booked slot (it stays, for the next invited startup to book). Side effects: the
    startup and the panel get a cancellation (METHOD:CANCEL, same UID, higher SEQUENCE); the
    startup can book again, unless it `left` the selection: then its email offers no slot and
    the panel's says the startup withdrew."""
    slot = InterviewSlot.objects.select_for_update().get(pk=booking.slot_id)
    booking = InterviewBooking.objects.filter(pk=booking.pk).select_related("application").first()
    if booking is None:
        return
    _notify(booking.application, slot, EmailKind.INTERVIEW_CHANGED, cancel=True, left=left)
    booking.delete()


# A startup in one of these has left the selection: its interview still to come is freed.
LEFT_THE_SELECTION = frozenset({ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED})


def interview_release(*, application, by, now: datetime | None = None) -> None:
    """The startup left the selection (it withdrew its application; its offer was withdrawn
    by staff, declined or expired), inside that change's transaction: a booked interview
    still to come is cancelled through booking_cancel(left=True), so the slot is free for the
    next invited startup and the panel and the startup are told once. A past interview stays
    (it took place; its scores are kept)."""
    now = now or timezone.now()
    booking = InterviewBooking.objects.filter(
        application_id=application.pk, slot__starts_at__gt=now
    ).first()
    if booking is not None:
        booking_cancel(booking=booking, by=by, left=True)


# --- Invitations and bookings ----------------------------------------------------------------


@transaction.atomic
def invitations_send(*, cohort, by, now: datetime | None = None) -> int:
    """Invite every shortlisted startup of the cohort not invited yet. Side effects: one
    invitation row each, and an email to each member with the link to book; from now on the
    startup's dashboard says "Invited to interview". Returns how many were invited."""
    now = now or timezone.now()
    applications = list(
        ranked_applications(cohort)
        .filter(status=ApplicationStatus.SHORTLISTED, interview_invitation__isnull=True)
        .select_related("startup", "cohort__program")
        .prefetch_related("startup__memberships__user")
        .order_by("pk")
    )
    InterviewInvitation.objects.bulk_create(
        [
            InterviewInvitation(application=a, cohort=cohort, sent_at=now, sent_by=by)
            for a in applications
        ],
        ignore_conflicts=True,
    )
    for application in applications:
        for member in (m.user for m in application.startup.memberships.all()):
            with translation.override(member.language):
                context = {
                    "application": application,
                    "member": member,
                    "url": site_url(reverse("interview_booking", args=[application.pk])),
                }
                email_queue(
                    kind=EmailKind.INTERVIEW_INVITATION, to_address=member.email,
                    recipient=member, language=member.language,
                    idempotency_key=f"interview-invitation:{application.pk}:{member.pk}",
                    cohort_id=application.cohort_id,
                    **email_render("interview_invitation", context),
                )  # fmt: skip
    return len(applications)


@dataclass
class BookingResult:
    booking: InterviewBooking
    moved_from: InterviewSlot | None


@transaction.atomic
def interview_book(
    *, application, slot_id: int, user, by_staff: bool = False, now: datetime | None = None
) -> BookingResult:
    """The invited startup takes a free slot, or moves to one (a startup until 24 hours
    before its slot, staff at any time). The database keeps one startup per slot and one slot
    per startup: of two clicks at once, one wins and the other gets InterviewError with a
    clear message; the application's row lock orders it with a withdrawal. Side effects: the
    calendar event's SEQUENCE rises; the startup's members and the panel get the calendar file
    (a moved-from panel gets the cancellation)."""
    now = now or timezone.now()
    # Locked: a withdrawal (which frees the startup's slot) waits for this booking, or this
    # booking reads the startup as withdrawn.
    status = (
        Application.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=application.pk)
    )
    invitation = InterviewInvitation.objects.filter(application_id=application.pk).first()
    if invitation is None or status != ApplicationStatus.SHORTLISTED:
        raise InterviewError(gettext("This startup is not invited to interview."))
    slot = _lock_slot(slot_id, application.cohort_id)
    if slot is None:
        raise InterviewError(gettext("This slot no longer exists: pick another one."))
    if slot.starts_at <= now:
        raise InterviewError(gettext("This slot has already started: pick another one."))
    panel = {p.user_id for p in slot.panelists.all()}
    if panel & _conflicted_user_ids(application.pk):
        raise InterviewError(gettext("This slot's panel cannot interview this startup."))
    if problem := _blind_reviewers_problem(application, panel):
        # The startup is not told who reviews it.
        raise InterviewError(
            problem if by_staff else gettext("This slot's panel cannot interview this startup.")
        )
    after_panel_check()
    current = (
        InterviewBooking.objects.filter(application_id=application.pk)
        .select_related("slot")
        .first()
    )
    if current is not None and current.slot_id == slot.pk:
        return BookingResult(booking=current, moved_from=None)
    if current is not None and not by_staff and current.slot.starts_at - now < REBOOKING_CUTOFF:
        raise InterviewError(
            gettext(
                "Your interview is less than 24 hours away: to move it, write to the program team."
            )
        )
    try:
        with transaction.atomic():
            if current is None:
                booking = InterviewBooking.objects.create(
                    slot=slot, application_id=application.pk, booked_at=now, booked_by=user
                )
            else:
                moved = InterviewBooking.objects.filter(
                    pk=current.pk, slot_id=current.slot_id
                ).update(slot=slot, booked_at=now, booked_by=user)
                if not moved:
                    raise InterviewError(
                        gettext(
                            "Someone in your startup has just changed the booking: see it below."
                        )
                    )
                booking = InterviewBooking.objects.get(pk=current.pk)
    except IntegrityError:
        if (
            current is None
            and InterviewBooking.objects.filter(application_id=application.pk).exists()
        ):
            raise InterviewError(
                gettext("Someone in your startup has just booked a slot: see it below.")
            ) from None
        raise InterviewError(
            gettext("Another startup has just taken this slot: pick another one.")
        ) from None
    booking.application = application
    if current is not None:
        _notify(application, current.slot, EmailKind.INTERVIEW_CHANGED, cancel=True,
                startup=False)  # fmt: skip
    _notify(application, slot, EmailKind.INTERVIEW_BOOKED)
    return BookingResult(booking=booking, moved_from=current.slot if current else None)


def _next_sequence(application_id: int) -> int:
    InterviewInvitation.objects.filter(application_id=application_id).update(
        sequence=F("sequence") + 1
    )
    return InterviewInvitation.objects.values_list("sequence", flat=True).get(
        application_id=application_id
    )


def _notify(application, slot, kind, *, cancel=False, startup=True, users=None,
            left=False) -> None:  # fmt: skip
    """The calendar file, each recipient in their language: the startup's members (unless
    `startup` is False) and the slot's panel (or only `users`). `left`: a cancellation
    because the startup left the selection."""
    sequence = _next_sequence(application.pk)
    application = Application.objects.select_related("startup", "cohort__program").get(
        pk=application.pk
    )
    recipients = []
    if startup:
        recipients += [
            (m.user, "startup") for m in application.startup.memberships.select_related("user")
        ]
    panel = slot.panelists.select_related("user")
    if users is not None:
        panel = panel.filter(user_id__in=users)
    recipients += [(p.user, "panel") for p in panel]
    for person, role in recipients:
        with translation.override(person.language):
            context = {
                "application": application, "slot": slot, "person": person, "role": role,
                "cancel": cancel, "left": left,
                "url": site_url(
                    reverse("interview_booking", args=[application.pk]) if role == "startup"
                    else reverse("interview_score", args=[application.pk])
                ),
            }  # fmt: skip
            email_queue(
                kind=kind, to_address=person.email, recipient=person, language=person.language,
                idempotency_key=f"interview:{application.pk}:{sequence}:{person.pk}",
                cohort_id=application.cohort_id,
                attachments=[ics_attachment(interview_ics(
                    application=application, slot=slot, sequence=sequence, cancel=cancel))],
                **email_render("interview_booked" if kind == EmailKind.INTERVIEW_BOOKED
                               else "interview_changed", context),
            )  # fmt: skip


# --- Scores ----------------------------------------------------------------------------------


def interview_score_save(*, application, user, scores: dict, notes: str) -> InterviewScore:
    """A panel member's scores and notes as they stand (the page saves as they type). Scores
    are checked against the cohort's interview rubric. Side effects: none."""
    criteria = {f"c{c.pk}": c for c in application.cohort.interview_criteria.all()}
    clean = {}
    for key, value in scores.items():
        criterion = criteria.get(key)
        if criterion is None or value in ("", None):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InterviewError(gettext("A score is a whole number.")) from None
        if not 1 <= number <= criterion.scale_max:
            raise InterviewError(
                gettext("%(criterion)s is scored from 1 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.scale_max}
            )
        clean[key] = number
    score, _created = InterviewScore.objects.update_or_create(
        application=application, user=user, defaults={"scores": clean, "notes": notes}
    )
    return score


def panelist_data_delete(user) -> None:
    """The interviews part of an account's deletion (registered with accounts, run inside its
    transaction before the user row goes): the interview scores and notes they gave move to
    the account's stand-in (accounts.services.account_stand_in), so the decisions page and
    record read the same scores; their seats on panels go with the account. Side effects:
    none."""
    scores = InterviewScore.objects.filter(user=user)
    if scores.exists():
        scores.update(user=account_stand_in(user))
