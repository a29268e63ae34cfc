"""Interview reminders (#17, through #20's registry): the day before a booked interview, to
the startup's members and the slot's panel, with the calendar file; and, two days after the
invitation, to the members of a startup that has not booked yet (once). Both are one kind,
INTERVIEW_REMINDER, told apart by their key; the worker asks `interview_reminder_still_due`
just before sending (a moved, cancelled or booked interview makes them pointless). They are
reminders, so a person may turn them off (OPTIONAL_EMAIL_KINDS): each carries an unsubscribe
link and the List-Unsubscribe headers, and nobody who turned them off gets one."""

from datetime import UTC, datetime, timedelta

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import translation

from applications.enums import ApplicationStatus
from applications.selectors import without_conflicts
from notifications.models import EmailKind, OutgoingEmail
from notifications.reminders import (
    existing_keys,
    site_url,
    unsubscribe_headers,
    unsubscribe_url,
    unsubscribed_user_ids,
)
from notifications.services import email_queue, email_render

from .ics import ics_attachment, interview_ics
from .models import InterviewBooking, InterviewInvitation, InterviewPanelist

KIND = EmailKind.INTERVIEW_REMINDER
DAY_BEFORE = timedelta(hours=24)
UNBOOKED_AFTER = timedelta(days=2)


def _day_before_key(application_id: int, starts_at: datetime, user_id: int) -> str:
    return f"interview-day-before:{application_id}:{int(starts_at.timestamp())}:{user_id}"


def _unbooked_key(application_id: int, user_id: int) -> str:
    return f"interview-unbooked:{application_id}:{user_id}"


def _opt_out(person) -> dict[str, str]:
    """The links at the foot of an interview reminder (in the active language)."""
    return {
        "unsubscribe_url": unsubscribe_url(user_id=person.pk, kind=KIND),
        "settings_url": site_url(reverse("notifications:settings")),
    }


def interview_reminder_render(*, application, slot, person, role) -> dict[str, str]:
    """The day-before reminder, in `person`'s language and zone; `role` "startup" links to the
    booking page, "panel" to the scoring page."""
    with translation.override(person.language):
        url = reverse("interview_booking" if role == "startup" else "interview_score",
                      args=[application.pk])  # fmt: skip
        context = {"application": application, "slot": slot, "person": person, "role": role,
                   "url": site_url(url), **_opt_out(person)}  # fmt: skip
        return email_render("interview_reminder", context)


def interview_unbooked_reminder_render(*, application, person) -> dict[str, str]:
    """The reminder to book, in `person`'s language."""
    with translation.override(person.language):
        url = site_url(reverse("interview_booking", args=[application.pk]))
        context = {"application": application, "person": person, "url": url,
                   **_opt_out(person)}  # fmt: skip
        return email_render("interview_unbooked_reminder", context)


def interview_reminders_sweep(now: datetime) -> int:
    """Write the interview reminders due at `now`; each once (its key). Returns how many."""
    written = 0
    bookings = list(
        InterviewBooking.objects.filter(
            slot__starts_at__gt=now, slot__starts_at__lte=now + DAY_BEFORE,
            application__status=ApplicationStatus.SHORTLISTED,
        )
        .select_related("slot", "application__startup", "application__cohort__program",
                        "application__interview_invitation")
        .prefetch_related(
            "application__startup__memberships__user",
            Prefetch("slot__panelists", InterviewPanelist.objects.select_related("user")),
        )
    )  # fmt: skip
    wanted = {}
    for booking in bookings:
        application, slot = booking.application, booking.slot
        people = [(m.user, "startup") for m in application.startup.memberships.all()]
        people += [(p.user, "panel") for p in slot.panelists.all()]
        for person, role in people:
            wanted[_day_before_key(application.pk, slot.starts_at, person.pk)] = (
                booking, person, role
            )  # fmt: skip
    seen = existing_keys(KIND, wanted)
    off = unsubscribed_user_ids(KIND, {person.pk for _b, person, _r in wanted.values()})
    for key, (booking, person, role) in wanted.items():
        if key in seen or not person.is_active or person.pk in off:
            continue
        application, slot = booking.application, booking.slot
        rendered = interview_reminder_render(application=application, slot=slot, person=person,
                                             role=role)  # fmt: skip
        with translation.override(person.language):
            ics = interview_ics(application=application, slot=slot, now=now,
                                sequence=application.interview_invitation.sequence)  # fmt: skip
            email_queue(
                kind=KIND, to_address=person.email, recipient=person, language=person.language,
                idempotency_key=key, cohort_id=application.cohort_id,
                attachments=[ics_attachment(ics)],
                headers=unsubscribe_headers(user_id=person.pk, kind=KIND), **rendered,
            )  # fmt: skip
        written += 1
    invitations = list(
        InterviewInvitation.objects.filter(
            sent_at__lte=now - UNBOOKED_AFTER,
            application__status=ApplicationStatus.SHORTLISTED,
            application__interview_booking__isnull=True,
        )
        .select_related("application__startup", "application__cohort__program")
        .prefetch_related("application__startup__memberships__user")
    )
    unbooked = {
        _unbooked_key(invitation.application_id, m.user_id): (invitation.application, m.user)
        for invitation in invitations
        for m in invitation.application.startup.memberships.all()
    }
    seen = existing_keys(KIND, unbooked)
    off = unsubscribed_user_ids(KIND, {person.pk for _a, person in unbooked.values()})
    for key, (application, person) in unbooked.items():
        if key in seen or not person.is_active or person.pk in off:
            continue
        email_queue(
            kind=KIND, to_address=person.email, recipient=person, language=person.language,
            idempotency_key=key, cohort_id=application.cohort_id,
            headers=unsubscribe_headers(user_id=person.pk, kind=KIND),
            **interview_unbooked_reminder_render(application=application, person=person),
        )  # fmt: skip
        written += 1
    return written


def interview_reminder_still_due(email: OutgoingEmail, now: datetime) -> bool:
    """The day-before one: the interview still holds that time; the unbooked one: still
    shortlisted and not booked."""
    parts = email.idempotency_key.split(":")
    if parts[0] == "interview-day-before" and len(parts) == 4:
        starts_at = datetime.fromtimestamp(int(parts[2]), tz=UTC)
        return starts_at > now and InterviewBooking.objects.filter(
            application_id=int(parts[1]), slot__starts_at=starts_at,
            application__status=ApplicationStatus.SHORTLISTED,
        ).exists()  # fmt: skip
    if parts[0] == "interview-unbooked" and len(parts) == 3:
        return InterviewInvitation.objects.filter(
            application_id=int(parts[1]), application__status=ApplicationStatus.SHORTLISTED,
            application__interview_booking__isnull=True,
        ).exists()  # fmt: skip
    return False


# --- For the staff page: what is planned, and previews ----------------------------------------


def interview_reminders_planned(cohort, now: datetime) -> list[dict]:
    """The interview reminders still to come for a cohort: the day before each booked
    interview (its startup's members and its panel), and two days after each invitation not
    booked yet (its startup's members). Two queries. `kind` tells the two apart."""
    planned = []
    for starts_at, members, panel in (
        InterviewBooking.objects.filter(
            application__cohort=cohort, application__status=ApplicationStatus.SHORTLISTED,
            slot__starts_at__gt=now + DAY_BEFORE,
        )
        .annotate(members=Count("application__startup__memberships", distinct=True,
                                filter=Q(application__startup__memberships__user__is_active=True)),
                  panel=Count("slot__panelists", distinct=True,
                              filter=Q(slot__panelists__user__is_active=True)))
        .values_list("slot__starts_at", "members", "panel")
    ):  # fmt: skip
        planned.append({"at": starts_at - DAY_BEFORE, "kind": "day_before",
                        "recipients": members + panel})  # fmt: skip
    for sent_at, members in (
        InterviewInvitation.objects.filter(
            application__cohort=cohort, application__status=ApplicationStatus.SHORTLISTED,
            application__interview_booking__isnull=True, sent_at__gt=now - UNBOOKED_AFTER,
        )
        .annotate(members=Count("application__startup__memberships",
                                filter=Q(application__startup__memberships__user__is_active=True)))
        .values_list("sent_at", "members")
    ):  # fmt: skip
        planned.append({"at": sent_at + UNBOOKED_AFTER, "kind": "unbooked",
                        "recipients": members})  # fmt: skip
    return sorted(planned, key=lambda item: item["at"])


def interview_reminder_previews(cohort, *, user) -> tuple[dict | None, dict | None]:
    """The day-before reminder of the cohort's first booked interview, as its startup reads
    it, and the reminder to book of its first invitation not booked, both as `user` would read
    them (their language and zone; None when there is none). Never one of an application
    `user` is in conflict with."""
    booking = (
        without_conflicts(InterviewBooking.objects.filter(
            application__cohort=cohort, application__status=ApplicationStatus.SHORTLISTED,
        ), user, "application_id")
        .select_related("slot", "application__startup", "application__cohort__program")
        .order_by("slot__starts_at", "pk")
        .first()
    )  # fmt: skip
    invitation = (
        without_conflicts(InterviewInvitation.objects.filter(
            application__cohort=cohort, application__status=ApplicationStatus.SHORTLISTED,
            application__interview_booking__isnull=True,
        ), user, "application_id")
        .select_related("application__startup", "application__cohort__program")
        .order_by("sent_at", "pk")
        .first()
    )  # fmt: skip
    day_before = booking and interview_reminder_render(
        application=booking.application, slot=booking.slot, person=user, role="startup"
    )
    unbooked = invitation and interview_unbooked_reminder_render(
        application=invitation.application, person=user
    )
    return day_before, unbooked
