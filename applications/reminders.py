"""Deadline reminders: each member of a startup whose application is still a draft, or was
changed since it was last submitted, is reminded at each of the cohort's offsets before its
closing time (the startup's personal one when it has an extension).

The sweep reads what is due in a fixed number of queries, whatever the number of drafts, and
writes the outbox rows in one insert; the outbox's worker asks `deadline_reminder_still_due`
again just before sending. Registered with notifications in AppConfig.ready().
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import Question
from cohorts.offsets import MAX_REMINDER_OFFSET_MINUTES
from notifications.models import EmailKind, OutgoingEmail
from notifications.reminders import (
    due_offsets,
    existing_keys,
    moment_display,
    reminder_row,
    reminder_rows_write,
    site_url,
    unsubscribe_url,
    unsubscribed_user_ids,
)
from notifications.services import email_render

from .answers import is_empty
from .enums import ApplicationStatus
from .models import Answer, Application, Membership, Submission
from .selectors import latest_extension_closes_at

KIND = EmailKind.DEADLINE_REMINDER


def deadline_reminder_key(*, application_id: int, user_id: int, offset: int, closes_at) -> str:
    """Unique per kind in the outbox: the closing time is in it, so an extension (a new
    closing time) gets reminders of its own."""
    return f"deadline:{application_id}:{user_id}:{offset}:{int(closes_at.timestamp())}"


def _pending_applications(now: datetime | None = None):
    """Applications that still have something to submit, each annotated with its closing time
    (`reminder_closes_at`: the latest extension's, else the cohort's) and whether it is a
    submitted one changed since (`changed_since_submitted`)."""
    # Inside the answers' subquery: the latest version of the answer's own application.
    last_submitted = Submission.objects.filter(application=OuterRef("application_id")).order_by(
        "-number"
    )
    changed = Answer.objects.filter(
        application=OuterRef("pk"),
        updated_at__gt=Subquery(last_submitted.values("submitted_at")[:1]),
    )
    applications = Application.objects.annotate(
        reminder_closes_at=Coalesce(latest_extension_closes_at(), "cohort__closes_at"),
        changed_since_submitted=Exists(changed),
    ).filter(
        Q(status=ApplicationStatus.DRAFT)
        | Q(status=ApplicationStatus.SUBMITTED, changed_since_submitted=True)
    )
    if now is not None:
        applications = applications.filter(
            reminder_closes_at__gt=now,
            reminder_closes_at__lte=now + timedelta(minutes=MAX_REMINDER_OFFSET_MINUTES),
        )
    return applications


def deadline_reminders_sweep(now: datetime) -> int:
    """Write the deadline reminders due at `now` to the outbox. For each pending application
    and each member, only the offset nearest the deadline among those due is sent; the earlier
    ones, if never written (the sweep did not run in time), are recorded as skipped. Nothing is
    written for a reminder whose key exists, or for a member who turned these reminders off.
    Returns the number of rows written.

    Queries: a fixed handful, whatever the number. Until it knows which keys are new it reads
    ids and times only, so the sweep that finds nothing new (most of them) stays cheap; then
    it loads the applications and people of the new reminders, to render them."""
    pending = (
        _pending_applications(now)
        .exclude(cohort__reminder_offsets=[])
        .values_list("pk", "startup_id", "reminder_closes_at", "cohort__reminder_offsets")
    )
    due: dict[int, tuple[int, datetime, list[int]]] = {}
    for application_id, startup_id, closes_at, offsets in pending:
        offsets = due_offsets(offsets or [], closes_at, now)
        if offsets:
            due[application_id] = (startup_id, closes_at, offsets)
    if not due:
        return 0
    members: dict[int, list[int]] = {}
    for startup_id, user_id in Membership.objects.filter(
        startup_id__in={startup_id for startup_id, _closes, _offsets in due.values()},
        user__is_active=True,
    ).values_list("startup_id", "user_id"):
        members.setdefault(startup_id, []).append(user_id)
    off = unsubscribed_user_ids(KIND, {user for users in members.values() for user in users})
    wanted: dict[str, tuple[int, int, bool]] = {}  # key → application, user, skipped
    for application_id, (startup_id, closes_at, offsets) in due.items():
        for user_id in members.get(startup_id, []):
            if user_id in off:
                continue
            for index, offset in enumerate(offsets):
                key = deadline_reminder_key(application_id=application_id, user_id=user_id,
                                            offset=offset, closes_at=closes_at)  # fmt: skip
                wanted[key] = (application_id, user_id, index > 0)
    new_keys = sorted(set(wanted) - existing_keys(KIND, wanted))
    if not new_keys:
        return 0
    applications = {
        application.pk: application
        for application in _pending_applications()
        .filter(pk__in={wanted[key][0] for key in new_keys})
        .select_related("cohort__program", "startup")
    }
    users = {
        user.pk: user
        for user in get_user_model().objects.filter(pk__in={wanted[key][1] for key in new_keys})
    }
    missing = _missing_questions(applications.values())
    # Due now, or at the sweep's moment when it runs "as of" an earlier time (tests).
    created_at = min(now, timezone.now())
    rows = []
    for key in new_keys:
        application_id, user_id, skipped = wanted[key]
        application, user = applications.get(application_id), users.get(user_id)
        if (
            application is None
            or user is None
            or not key.endswith(f":{int(application.reminder_closes_at.timestamp())}")
        ):
            continue  # submitted, extended or deleted since the first read: the next sweep
        rendered = deadline_reminder_render(
            application=application,
            user=user,
            closes_at=application.reminder_closes_at,
            missing=missing.get(application.pk, []),
            changed=application.status == ApplicationStatus.SUBMITTED,
        )
        rows.append(
            reminder_row(
                kind=KIND,
                key=key,
                user=user,
                rendered=rendered,
                send_before=application.reminder_closes_at,
                cohort_id=application.cohort_id,
                skipped=skipped,
                now=created_at,
            )
        )
    return reminder_rows_write(rows)


def _missing_questions(applications) -> dict[int, list[Question]]:
    """{application id: its cohort's required questions with no answer}, in two queries."""
    cohort_ids = {application.cohort_id for application in applications}
    required = list(Question.objects.filter(cohort_id__in=cohort_ids, required=True))
    answered = {
        (application_id, question_id)
        for application_id, question_id, value in Answer.objects.filter(
            application__in=[application.pk for application in applications],
            question__required=True,
        ).values_list("application_id", "question_id", "value")
        if not is_empty(value)
    }
    return {
        application.pk: [
            question
            for question in required
            if question.cohort_id == application.cohort_id
            and (application.pk, question.pk) not in answered
        ]
        for application in applications
    }


def deadline_reminder_render(*, application, user, closes_at, missing, changed) -> dict[str, str]:
    """Subject, text and HTML of one reminder, in `user`'s language and time zone."""
    with translation.override(user.language):
        context = {
            "application": application,
            "cohort": application.cohort,
            "user": user,
            "closes_in_paris": moment_display(closes_at, settings.TIME_ZONE),
            "closes_for_user": (
                moment_display(closes_at, user.time_zone)
                if user.time_zone != settings.TIME_ZONE
                else ""
            ),
            "missing": [question.label for question in missing],
            "changed": changed,
            "application_url": site_url(reverse("application", args=[application.pk])),
            "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=KIND),
            "settings_url": site_url(reverse("notifications:settings")),
        }
        return email_render("deadline_reminder", context)


def deadline_reminder_still_due(email: OutgoingEmail, now: datetime) -> bool:
    """At sending time: the application still has something to submit, and its closing time
    is still the one the reminder was written for, and still ahead."""
    try:
        _kind, application_id, _user, _offset, timestamp = email.idempotency_key.split(":")
        closes_at = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except ValueError:
        return False
    current = (
        _pending_applications()
        .filter(pk=int(application_id))
        .values_list("reminder_closes_at", flat=True)
        .first()
    )
    return (
        current is not None
        and int(current.timestamp()) == int(closes_at.timestamp())
        and now < current
    )


# --- For the staff page: what is planned, and a preview ---------------------------------------


def deadline_reminders_planned(cohort, now: datetime) -> list[dict]:
    """The deadline reminders still to come for a cohort: for each closing time (the cohort's
    and its extensions') and each offset ahead, when it goes and to how many applications."""
    closing_times = Counter(
        _pending_applications(now=None)
        .filter(cohort=cohort, reminder_closes_at__gt=now)
        .values_list("reminder_closes_at", flat=True)
    )
    planned = []
    for closes_at, count in closing_times.items():
        for offset in cohort.reminder_offsets or []:
            moment = closes_at - timedelta(minutes=offset)
            if moment > now:
                planned.append(
                    {"at": moment, "offset": offset, "closes_at": closes_at, "applications": count}
                )
    return sorted(planned, key=lambda item: item["at"])


def deadline_reminder_preview(cohort, *, user) -> dict[str, str] | None:
    """The reminder of the cohort's first pending application, as `user` would read it (real
    data; the recipient is the person previewing, so the links in it are theirs)."""
    application = (
        _pending_applications()
        .filter(cohort=cohort)
        .select_related("cohort__program", "startup")
        .order_by("pk")
        .first()
    )
    if application is None:
        return None
    missing = _missing_questions([application])[application.pk]
    return deadline_reminder_render(
        application=application,
        user=user,
        closes_at=application.reminder_closes_at,
        missing=missing,
        changed=application.status == ApplicationStatus.SUBMITTED,
    )
