"""Review reminders: each active reviewer with unfinished assigned reviews is reminded 3 days
and 1 day before the cohort's `reviews_close_at`, in one email listing them (by number alone on
blind cohorts). None when reviews have no closing time.

The sweep reads what is due in a fixed number of queries and writes the outbox rows in one
insert; the outbox's worker asks `review_reminder_still_due` again just before sending.
Registered with notifications in AppConfig.ready().
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation

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

from .models import Assignment, Review, Reviewer

KIND = EmailKind.REVIEW_REMINDER
REVIEW_REMINDER_OFFSETS = [3 * 24 * 60, 24 * 60]  # minutes before reviews_close_at


def review_reminder_key(*, reviewer_id: int, offset: int, closes_at) -> str:
    return f"review:{reviewer_id}:{offset}:{int(closes_at.timestamp())}"


def _unfinished_assignments():
    """Active assignments whose review is not submitted."""
    submitted = Review.objects.filter(
        reviewer=OuterRef("reviewer_id"),
        application=OuterRef("application_id"),
        submitted_at__isnull=False,
    )
    return Assignment.objects.filter(ended_at__isnull=True).exclude(Exists(submitted))


def _reviewers_with_unfinished_work():
    return Reviewer.objects.filter(
        accepted_at__isnull=False,
        revoked_at__isnull=True,
        user__is_active=True,
        cohort__reviews_close_at__isnull=False,
    ).filter(Exists(_unfinished_assignments().filter(reviewer=OuterRef("pk"))))


def review_reminders_sweep(now: datetime) -> int:
    """Write the review reminders due at `now`: for each reviewer, only the offset nearest the
    deadline among those due; earlier ones never written are recorded as skipped. Returns the
    number of rows written. Queries: a fixed handful, whatever the number of reviewers."""
    reviewers = list(
        _reviewers_with_unfinished_work()
        .filter(
            cohort__reviews_close_at__gt=now,
            cohort__reviews_close_at__lte=now + timedelta(minutes=max(REVIEW_REMINDER_OFFSETS)),
        )
        .select_related("user", "cohort__program")
    )
    off = unsubscribed_user_ids(KIND, {reviewer.user_id for reviewer in reviewers})
    wanted = {}
    for reviewer in reviewers:
        if reviewer.user_id in off:
            continue
        closes_at = reviewer.cohort.reviews_close_at
        for index, offset in enumerate(due_offsets(REVIEW_REMINDER_OFFSETS, closes_at, now)):
            key = review_reminder_key(reviewer_id=reviewer.pk, offset=offset, closes_at=closes_at)
            wanted[key] = (reviewer, index > 0)
    new_keys = sorted(set(wanted) - existing_keys(KIND, wanted))
    if not new_keys:
        return 0
    involved = {wanted[key][0].pk for key in new_keys}
    unfinished: dict[int, list] = {}
    for assignment in (
        _unfinished_assignments()
        .filter(reviewer_id__in=involved)
        .select_related("application__startup")
        .order_by("application_id")
    ):
        unfinished.setdefault(assignment.reviewer_id, []).append(assignment.application)
    created_at = min(now, timezone.now())
    rows = []
    for key in new_keys:
        reviewer, skipped = wanted[key]
        rows.append(
            reminder_row(
                kind=KIND,
                key=key,
                user=reviewer.user,
                rendered=review_reminder_render(
                    reviewer=reviewer, applications=unfinished.get(reviewer.pk, [])
                ),
                send_before=reviewer.cohort.reviews_close_at,
                cohort_id=reviewer.cohort_id,
                skipped=skipped,
                now=created_at,
            )
        )
    return reminder_rows_write(rows)


def application_name(application, *, blind: bool) -> str:
    """How a reminder names an application: by number on blind cohorts (as every reviewer page
    does, through reviews.redaction), never by startup."""
    from django.utils.translation import gettext

    from .redaction import blind_name

    if blind:
        return blind_name(application)
    return gettext("%(startup)s (application #%(number)d)") % {
        "startup": application.startup.name,
        "number": application.pk,
    }


def review_reminder_render(*, reviewer, applications, user=None) -> dict[str, str]:
    """Subject, text and HTML of one reviewer's reminder, in their language and time zone (or
    `user`'s, for a preview)."""
    user, cohort = user or reviewer.user, reviewer.cohort
    with translation.override(user.language):
        items = [
            {
                "name": application_name(application, blind=cohort.blind_review),
                "url": site_url(reverse("review:review", args=[application.pk])),
            }
            for application in applications
        ]
        context = {
            "cohort": cohort,
            "user": user,
            "applications": items,
            "closes_in_paris": moment_display(cohort.reviews_close_at, settings.TIME_ZONE),
            "closes_for_user": (
                moment_display(cohort.reviews_close_at, user.time_zone)
                if user.time_zone != settings.TIME_ZONE
                else ""
            ),
            "queue_url": site_url(reverse("review:queue")),
            "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=KIND),
            "settings_url": site_url(reverse("notifications:settings")),
        }
        return email_render("review_reminder", context)


def review_reminder_still_due(email: OutgoingEmail, now: datetime) -> bool:
    """At sending time: the reviewer still reviews the cohort, still has an unfinished review,
    and reviews still close at the time the reminder names, still ahead."""
    try:
        _kind, reviewer_id, _offset, timestamp = email.idempotency_key.split(":")
        closes_at = int(timestamp)
    except ValueError:
        return False
    current = (
        _reviewers_with_unfinished_work()
        .filter(pk=int(reviewer_id))
        .values_list("cohort__reviews_close_at", flat=True)
        .first()
    )
    return current is not None and int(current.timestamp()) == closes_at and now < current


# --- For the staff page: what is planned, and a preview ---------------------------------------


def review_reminders_planned(cohort, now: datetime) -> list[dict]:
    """The review reminders still to come: each offset ahead, to how many reviewers (those
    with unfinished reviews today)."""
    if cohort.reviews_close_at is None or cohort.reviews_close_at <= now:
        return []
    reviewers = _reviewers_with_unfinished_work().filter(cohort=cohort).count()
    planned = []
    for offset in REVIEW_REMINDER_OFFSETS:
        moment = cohort.reviews_close_at - timedelta(minutes=offset)
        if moment > now:
            planned.append({"at": moment, "offset": offset, "reviewers": reviewers})
    return sorted(planned, key=lambda item: item["at"])


def review_reminder_preview(cohort, *, user) -> dict[str, str] | None:
    """The reminder of the cohort's first reviewer with unfinished reviews, as `user` would
    read it."""
    reviewer = (
        _reviewers_with_unfinished_work()
        .filter(cohort=cohort)
        .select_related("cohort__program")
        .order_by("pk")
        .first()
    )
    if reviewer is None or cohort.reviews_close_at is None:
        return None
    applications = [
        assignment.application
        for assignment in _unfinished_assignments()
        .filter(reviewer=reviewer)
        .select_related("application__startup")
        .order_by("application_id")
    ]
    return review_reminder_render(reviewer=reviewer, applications=applications, user=user)
