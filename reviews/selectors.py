"""Reads shared by the reviewer and staff pages. A reviewer reaches an application only through
an active assignment of theirs, without a confirmed conflict: anything else does not exist
for them (404)."""

import functools
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Greatest, Lower, NullIf
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accelerator.sql import (
    Columns,
    from_column,
    instances_from_row,
    placeholders,
    prepared_cursor,
)
from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application, Extension, Startup, Submission
from applications.selectors import latest_extension_closes_at, latest_extension_sql
from cohorts.models import Cohort, Partner

from .assignment import (
    TOO_FEW_FREE_REVIEWERS,
    ApplicationNeed,
    Plan,
    ReviewerLoad,
    plan_assignments,
    reviewer_groups,
)
from .enums import AssignmentEnd, ConflictState
from .models import Assignment, Conflict, Review, Reviewer, ReviewField, ReviewRequest

REVIEWABLE_STATUSES = (
    ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.WAITLISTED,
    ApplicationStatus.WINNER, ApplicationStatus.REJECTED,
)  # fmt: skip


def cohorts_reviewed_by(user) -> frozenset[int]:
    """Registered with cohorts: the staff scope's reviewer role."""
    return frozenset(
        Reviewer.objects.filter(
            user=user, accepted_at__isnull=False, revoked_at__isnull=True
        ).values_list("cohort_id", flat=True)
    )


def rubric_lock_reason(cohort) -> str:
    """Registered with cohorts: once a review has started, scores mean something only on the
    rubric they were given on."""
    if Review.objects.filter(application__cohort=cohort).exists():
        return gettext(
            "Reviews of this cohort have started: its criteria can no longer be added, "
            "removed, reweighted or rescaled."
        )
    return ""


def review_closing_time(cohort) -> datetime | None:
    """Reviews can change until reviews close, or until decisions when that is not set."""
    return cohort.reviews_close_at or cohort.decisions_at


def review_change_problem(cohort, now: datetime | None = None, *, assignment=None) -> str:
    """Why a review can no longer change ("" while it can). A review staff requested from the
    ranking (`assignment.writable_until`) stays open until then, even after reviews close."""
    closing = review_closing_time(cohort)
    extra = getattr(assignment, "writable_until", None)
    if closing is not None and extra is not None:
        closing = max(closing, extra)
    if closing is not None and (now or timezone.now()) >= closing:
        message = gettext(
            "Reviews closed on %(date)s Paris time: this review can no longer change."
        )
        return message % {"date": date_format(timezone.localtime(closing), "j F Y, H:i")}
    return ""


def open_blind_reviewers(application, user_ids, *, now: datetime | None = None) -> list[User]:
    """The users among `user_ids` who hold a blind review of the application that can still
    change (an active assignment on a blind cohort, before its reviews close): meeting the
    startup, as an interview panel does, would unblind it."""
    if not application.cohort.blind_review or not user_ids:
        return []
    assignments = Assignment.objects.filter(
        application_id=application.pk,
        ended_at__isnull=True,
        reviewer__revoked_at__isnull=True,
        reviewer__user_id__in=list(user_ids),
    ).select_related("reviewer__user")
    return sorted(
        (
            assignment.reviewer.user
            for assignment in assignments
            if not review_change_problem(application.cohort, now, assignment=assignment)
        ),
        key=lambda user: user.pk,
    )


def is_open_for_review(application: Application, now: datetime | None = None) -> bool:
    """Reviewers read an application once its own deadline (the cohort's plus grace, or its
    personal extension) has passed: until then the startup may still change it."""
    return not application.accepts_submissions(now)


def _stable_shuffle_key(reviewer_id: int, application_id: int) -> str:
    """Ties in a random order that stays the same for one reviewer from visit to visit."""
    return hashlib.sha256(f"{reviewer_id}:{application_id}".encode()).hexdigest()


PITCH_LENGTH = 160


@dataclass
class QueueRow:
    """One assignment of the queue, with what the list says of it, read by reviewer_queue in
    the same query as the assignment."""

    assignment: Assignment
    submitted_reviews: int
    opens: bool
    review_started: bool = False
    review_submitted: bool = False
    newer_version: bool = False  # the review is on an older version than the latest
    pitch: str = ""  # its first line, at most PITCH_LENGTH characters

    @property
    def state(self) -> str:
        if not self.review_started:
            return "not_started"
        return "submitted" if self.review_submitted else "in_progress"


def _first_line(text: str | None, length: int = PITCH_LENGTH) -> str:
    """As the truncatechars filter would, without its cost (sixty rows a page)."""
    line = (text or "").split("\n")[0]
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


def reviewer_queue(user, *, now: datetime | None = None) -> list[QueueRow]:
    """The user's active assignments in every cohort they review: unfinished first, then the
    applications with the fewest submitted reviews, ties in a stable random order.

    One query for the rows (the reviewer's review, the submitted reviews' count, the latest
    version's pitch and the personal closing time as subqueries, not a GROUP BY over every
    joined column nor the versions' whole content), and one for the cohorts, each read once
    and shared by its rows (bench/review_pages.py measures it beside a bare view)."""
    now = now or timezone.now()
    latest = Submission.objects.filter(application_id=OuterRef("application_id")).order_by(
        "-number"
    )
    mine = Review.objects.filter(
        reviewer_id=OuterRef("reviewer_id"), application_id=OuterRef("application_id")
    )
    submitted = (
        Review.objects.filter(application_id=OuterRef("application_id"), submitted_at__isnull=False)
        .order_by()
        .values("application_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    assignments = list(
        Assignment.objects.filter(
            reviewer__user=user,
            reviewer__accepted_at__isnull=False,
            reviewer__revoked_at__isnull=True,
            ended_at__isnull=True,
        )
        .select_related("application__startup")
        .annotate(
            latest_extension_closes_at=latest_extension_closes_at("application_id"),
            latest_submission_id=Subquery(latest.values("pk")[:1]),
            latest_pitch=Subquery(
                latest.annotate(pitch=KT("content__profile__pitch")).values("pitch")[:1]
            ),
            review_id=Subquery(mine.values("pk")[:1]),
            review_submission_id=Subquery(mine.values("submission_id")[:1]),
            review_submitted_at=Subquery(mine.values("submitted_at")[:1]),
            submitted_reviews=Coalesce(Subquery(submitted), 0),
        )
    )
    cohorts = Cohort.objects.in_bulk({a.application.cohort_id for a in assignments})
    rows = []
    for assignment in assignments:
        assignment.application.cohort = cohorts[assignment.application.cohort_id]
        assignment.application.latest_extension_closes_at = assignment.latest_extension_closes_at
        started = assignment.review_id is not None
        rows.append(
            QueueRow(
                assignment=assignment,
                submitted_reviews=assignment.submitted_reviews,
                opens=is_open_for_review(assignment.application, now),
                review_started=started,
                review_submitted=assignment.review_submitted_at is not None,
                newer_version=started
                and assignment.latest_submission_id is not None
                and assignment.review_submission_id != assignment.latest_submission_id,
                pitch=_first_line(assignment.latest_pitch),
            )
        )
    rows.sort(
        key=lambda row: (
            row.state == "submitted",
            row.submitted_reviews,
            _stable_shuffle_key(row.assignment.reviewer_id, row.assignment.application_id),
        )
    )
    return rows


@functools.cache
def _assignment_sql(with_latest_submission: bool) -> tuple[str, tuple]:
    """assignment_for_review()'s SQL and its groups of columns."""
    tables = [("s", Assignment), ("r", Reviewer), ("a", Application), ("st", Startup),
              ("c", Cohort)]  # fmt: skip
    if with_latest_submission:
        tables.append(("v", Submission))
    # Not the application's search text (all its answers): no reviewer page reads it.
    groups = tuple(Columns(alias, model, leave_out={"search_text"}) for alias, model in tables)
    table = {model: model._meta.db_table for model in (Conflict, Submission)}
    latest = (
        f" LEFT OUTER JOIN {table[Submission]} v ON v.id = (SELECT w.id FROM {table[Submission]}"
        " w WHERE w.application_id = s.application_id ORDER BY w.number DESC LIMIT 1)"
    )
    sql = (
        f"SELECT {', '.join(columns.sql for columns in groups)},"
        f" {latest_extension_sql('s.application_id')}"
        f" FROM {Assignment._meta.db_table} s"
        f" INNER JOIN {Reviewer._meta.db_table} r ON r.id = s.reviewer_id"
        f" INNER JOIN {Application._meta.db_table} a ON a.id = s.application_id"
        f" INNER JOIN {Startup._meta.db_table} st ON st.id = a.startup_id"
        f" INNER JOIN {Cohort._meta.db_table} c ON c.id = a.cohort_id"
        f"{latest if with_latest_submission else ''}"
        " WHERE r.user_id = %s AND r.accepted_at IS NOT NULL AND r.revoked_at IS NULL"
        " AND s.ended_at IS NULL AND s.application_id = %s"
        # The user's own confirmed conflict on this application, whoever else has one.
        f" AND NOT EXISTS (SELECT 1 FROM {table[Conflict]} k WHERE k.user_id = %s"
        " AND k.application_id = s.application_id AND k.state = %s)"
    )
    return sql, groups


def assignment_for_review(
    user, application_id: int, *, must_be_open: bool = True, with_latest_submission: bool = False
) -> Assignment:
    """The user's active assignment to an application open for review (or not yet, with
    `must_be_open=False`: a conflict can be declared from the queue before reading), with its
    reviewer, application, startup, cohort and the application's personal closing time, and
    no confirmed conflict between them; Assignment.DoesNotExist otherwise. The cohort comes
    without its criteria (`cohort.criteria.all()` is one query where a page needs them). With
    `with_latest_submission`, `assignment.latest_submission` is the application's latest
    submitted version (None if it has none), read in the same query.

    Every reviewer request starts here, autosave included, so it is one query written in SQL:
    the ORM took longer to build and compile it (and PostgreSQL to plan it) than to run it,
    about a quarter of the review page (bench/review_pages.py)."""
    sql, groups = _assignment_sql(with_latest_submission)
    with prepared_cursor() as cursor:
        cursor.execute(sql, [user.pk, application_id, user.pk, ConflictState.CONFIRMED])
        rows = cursor.fetchmany(2)
    if len(rows) != 1:
        if rows:
            raise Assignment.MultipleObjectsReturned
        raise Assignment.DoesNotExist
    [row] = rows
    assignment, reviewer, application, startup, cohort, *latest = instances_from_row(row, *groups)
    assignment.reviewer = reviewer
    application.startup = startup
    application.cohort = cohort
    application.latest_extension_closes_at = from_column(
        Extension._meta.get_field("closes_at"), row[-1]
    )
    assignment.application = application
    if with_latest_submission:
        [assignment.latest_submission] = latest
    if must_be_open and not is_open_for_review(application):
        raise Assignment.DoesNotExist
    return assignment


def scored_reviews(application_ids) -> QuerySet[Review]:
    """Submitted reviews that count: a reviewer with a confirmed conflict on the application
    no longer counts, though the review is kept."""
    conflicted = Conflict.objects.filter(
        application_id=OuterRef("application_id"),
        user_id=OuterRef("reviewer__user_id"),
        state=ConflictState.CONFIRMED,
    )
    return (
        Review.objects.filter(application_id__in=list(application_ids), submitted_at__isnull=False)
        .exclude(Exists(conflicted))
        .select_related("reviewer__user", "reviewer__partner")
        .prefetch_related("fields")
    )


def cohort_reviewers(cohort) -> list[Reviewer]:
    """The cohort's reviewers, invited or accepted, with done / assigned counts."""
    return list(
        Reviewer.objects.filter(cohort=cohort, revoked_at__isnull=True)
        .select_related("user", "partner")
        .annotate(
            assigned=Count(
                "assignments", filter=Q(assignments__ended_at__isnull=True), distinct=True
            ),
            done=Count("reviews", filter=Q(reviews__submitted_at__isnull=False), distinct=True),
        )
        .order_by("invited_at", "pk")
    )


def cohort_assignments(application_ids) -> dict[int, list[Assignment]]:
    """Active assignments by application, each with its review's state (`review_state`:
    "", "in_progress" or "submitted") and `newer_version`: the startup submitted again after
    the review started."""
    review = Review.objects.filter(
        reviewer_id=OuterRef("reviewer_id"), application_id=OuterRef("application_id")
    )
    assignments: dict[int, list[Assignment]] = {}
    for assignment in (
        Assignment.objects.filter(application_id__in=list(application_ids), ended_at__isnull=True)
        .select_related("reviewer__user")
        .annotate(
            latest_submission_id=Subquery(
                Submission.objects.filter(application_id=OuterRef("application_id"))
                .order_by("-number")
                .values("pk")[:1]
            ),
            review_submission_id=Subquery(review.values("submission_id")[:1]),
            review_submitted_at=Subquery(review.values("submitted_at")[:1]),
        )
    ):
        assignment.review_state = (
            "" if assignment.review_submission_id is None
            else "submitted" if assignment.review_submitted_at else "in_progress"
        )  # fmt: skip
        assignment.newer_version = assignment.review_submission_id not in (
            None, assignment.latest_submission_id,
        )  # fmt: skip
        assignments.setdefault(assignment.application_id, []).append(assignment)
    return assignments


def declared_conflicts(cohort) -> QuerySet[Conflict]:
    """The confirmed conflicts of the cohort's reviewers (a founder's own conflict with their
    startup, who does not review, is not one to list here)."""
    reviewers = Reviewer.objects.filter(cohort=cohort, user__isnull=False).values("user_id")
    return (
        Conflict.objects.filter(
            application__cohort=cohort, state=ConflictState.CONFIRMED, user_id__in=reviewers
        )
        .select_related("user", "application__startup")
        .order_by("-created_at")
    )


@functools.cache
def _application_reviews_sql() -> tuple[str, tuple]:
    """application_reviews()'s SQL and its groups of columns."""
    groups = tuple(
        Columns(alias, model)
        for alias, model in (("v", Review), ("r", Reviewer), ("u", User), ("p", Partner))
    )
    sql = (
        f"SELECT {', '.join(columns.sql for columns in groups)} FROM {Review._meta.db_table} v"
        f" INNER JOIN {Reviewer._meta.db_table} r ON r.id = v.reviewer_id"
        f" INNER JOIN {User._meta.db_table} u ON u.id = r.user_id"
        f" LEFT OUTER JOIN {Partner._meta.db_table} p ON p.id = r.partner_id"
        " WHERE v.application_id = %s AND (v.reviewer_id = %s"
        # Others' submitted reviews, unless their reviewer is now in conflict with it.
        " OR (v.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
        f" {Conflict._meta.db_table} k WHERE k.application_id = v.application_id"
        " AND k.user_id = r.user_id AND k.state = %s)))"
        " ORDER BY v.submitted_at ASC, v.id ASC"
    )
    return sql, groups


def application_reviews(application_id: int, reviewer: Reviewer) -> tuple[Review | None, list]:
    """The reviewer's own review and the other submitted reviews that count, each with its
    reviewer (user, partner) and its fields as `field_values` ({key: {"value", "version"}}),
    in two queries written in SQL, as assignment_for_review() and for the same reason (the
    review page). The fields come apart from the reviews: joined, each of some thirty rows
    would repeat the review's, reviewer's, user's and partner's columns, and reading those
    took longer than a second query."""
    sql, groups = _application_reviews_sql()
    reviews = {}
    with prepared_cursor() as cursor:
        cursor.execute(sql, [application_id, reviewer.pk, ConflictState.CONFIRMED])
        for row in cursor.fetchall():
            review, its_reviewer, user, partner = instances_from_row(row, *groups)
            its_reviewer.user = user
            its_reviewer.partner = partner
            review.reviewer = its_reviewer
            review.field_values = {}
            reviews[review.pk] = review
        if reviews:
            cursor.execute(
                f"SELECT review_id, key, value, version FROM {ReviewField._meta.db_table}"
                f" WHERE review_id IN ({placeholders(len(reviews))})",
                list(reviews),
            )
            for review_id, key, value, version in cursor.fetchall():
                reviews[review_id].field_values[key] = {"value": value, "version": version}
    mine = next((review for review in reviews.values() if review.reviewer_id == reviewer.pk), None)
    return mine, [review for review in reviews.values() if review is not mine]


# --- Automatic assignment and progress -------------------------------------------------------

# What a reviewer's assignment ended by that the automatic assignment never makes again: they
# handed it back, staff took them off, a conflict. (Withdrawn and screened-out applications
# leave assignment altogether; screened back in, their former reviewers may return.)
ENDS_NOT_TO_UNDO = (AssignmentEnd.HANDED_BACK, AssignmentEnd.UNASSIGNED, AssignmentEnd.CONFLICT)


def applications_under_review(cohort) -> QuerySet[Application]:
    """The cohort's submitted applications that reviewers read: not withdrawn, not screened
    out."""
    return Application.objects.filter(
        cohort=cohort, status__in=REVIEWABLE_STATUSES, screened_out_at__isnull=True
    )


def _scored_pairs(applications) -> QuerySet:
    """(reviewer id, application id) of the submitted reviews that count."""
    conflicted = Conflict.objects.filter(
        application_id=OuterRef("application_id"),
        user_id=OuterRef("reviewer__user_id"),
        state=ConflictState.CONFIRMED,
    )
    return (
        Review.objects.filter(application__in=applications, submitted_at__isnull=False)
        .exclude(Exists(conflicted))
        .values_list("reviewer_id", "application_id")
    )


def extra_reviews_requested(applications) -> dict[int, int]:
    """{application id: reviews staff requested beyond the cohort's reviews_per_application}."""
    return dict(
        ReviewRequest.objects.filter(application__in=applications)
        .order_by()
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )


def assignment_input(cohort, application_ids=None) -> dict:
    """What reviews.assignment.plan_assignments() needs for the cohort, as plain data, in six
    queries: the active reviewers and their loads; the applications under review (or only
    those of `application_ids`) with the reviewers already on them (an active assignment, or a
    submitted review that counts) and the extra reviews requested for them; the confirmed
    conflicts; the assignments that ended in a way not to undo."""
    reviewers = list(
        Reviewer.objects.filter(cohort=cohort, accepted_at__isnull=False, revoked_at__isnull=True)
        .annotate(
            load=Count("assignments", filter=Q(assignments__ended_at__isnull=True)),
        )
        .order_by("pk")
        .values("pk", "user_id", "partner_id", "max_assignments", "load")
    )
    by_user = {row["user_id"]: row["pk"] for row in reviewers}
    applications = applications_under_review(cohort)
    if application_ids is not None:
        applications = applications.filter(pk__in=list(application_ids))
    on_it: dict[int, set[int]] = {pk: set() for pk in applications.values_list("pk", flat=True)}
    extra = extra_reviews_requested(applications)
    for reviewer_id, application_id in Assignment.objects.filter(
        application__in=applications, ended_at__isnull=True
    ).values_list("reviewer_id", "application_id"):
        on_it[application_id].add(reviewer_id)
    for reviewer_id, application_id in _scored_pairs(applications):
        on_it[application_id].add(reviewer_id)
    conflicts = {
        (by_user[user_id], application_id)
        for user_id, application_id in Conflict.objects.filter(
            application__in=applications, state=ConflictState.CONFIRMED, user_id__in=by_user
        ).values_list("user_id", "application_id")
    }
    excluded = set(
        Assignment.objects.filter(
            application__in=applications, end_reason__in=ENDS_NOT_TO_UNDO
        ).values_list("reviewer_id", "application_id")
    )
    return {
        "reviewers": [
            ReviewerLoad(
                id=row["pk"],
                partner_id=row["partner_id"],
                max_assignments=row["max_assignments"],
                load=row["load"],
            )
            for row in reviewers
        ],
        "applications": [
            ApplicationNeed(
                id=pk,
                needed=cohort.reviews_per_application + extra.get(pk, 0),
                reviewer_ids=tuple(sorted(reviewer_ids)),
            )
            for pk, reviewer_ids in sorted(on_it.items())
        ],
        "conflicts": conflicts,
        "excluded": excluded,
    }


def unfilled_reason_text(reason: str) -> str:
    """What a reason code of reviews.assignment.Unfilled means, for staff."""
    if reason == TOO_FEW_FREE_REVIEWERS:
        return gettext(
            "Too few reviewers are free to read it: the others have a conflict of interest with "
            "it, handed it back or were taken off it."
        )
    return gettext(
        "Every reviewer who could read it is at their maximum: raise a maximum or invite a "
        "reviewer."
    )


def assignment_plan(cohort) -> Plan:
    """What "Assign automatically" would do now."""
    return plan_assignments(**assignment_input(cohort))


def cohort_reviewer_groups(cohort) -> list[list[int]]:
    """The groups of reviewer ids that share applications (active assignments and submitted
    reviews that count): more than one, and the ranking cannot compare their scores."""
    applications = applications_under_review(cohort)
    pairs = set(
        Assignment.objects.filter(application__in=applications, ended_at__isnull=True).values_list(
            "reviewer_id", "application_id"
        )
    )
    pairs |= set(_scored_pairs(applications))
    return reviewer_groups(sorted(pairs))


# last_activity of a reviewer who has done nothing yet (shown as "never").
NEVER = datetime(2000, 1, 1, tzinfo=UTC)

REVIEWER_ORDER_LABELS = [
    ("name", _("name")), ("-done", _("most done")), ("done", _("fewest done")),
    ("-assigned", _("most assigned")), ("-hand_backs", _("hand-backs")),
    ("last_activity", _("least recent activity")), ("-last_activity", _("latest activity")),
]  # fmt: skip
REVIEWER_ORDERS = {
    "name": ("sort_name", "pk"),
    "-done": ("-done", "sort_name", "pk"),
    "done": ("done", "sort_name", "pk"),
    "-assigned": ("-assigned", "sort_name", "pk"),
    "-hand_backs": ("-hand_backs", "sort_name", "pk"),
    "-last_activity": ("-last_activity", "sort_name", "pk"),
    "last_activity": ("last_activity", "sort_name", "pk"),
}


def _count(queryset, field: str):
    return Coalesce(
        Subquery(queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]), 0
    )


def reviewer_progress(cohort, order: str = "name") -> QuerySet[Reviewer]:
    """The cohort's reviewers, invited or accepted, each with `assigned` (active assignments),
    `done` (submitted reviews), `hand_backs` and `last_activity` (their latest saved field,
    submitted review or hand-back), in the order named (REVIEWER_ORDERS), each a subquery so
    that a page of them is one query."""
    assignments = Assignment.objects.filter(reviewer_id=OuterRef("pk"))
    reviews = Review.objects.filter(reviewer_id=OuterRef("pk"))
    last_field = ReviewField.objects.filter(review__reviewer_id=OuterRef("pk")).order_by(
        "-updated_at"
    )
    last_submit = reviews.filter(submitted_at__isnull=False).order_by("-submitted_at")
    last_hand_back = assignments.filter(end_reason=AssignmentEnd.HANDED_BACK).order_by("-ended_at")
    return (
        Reviewer.objects.filter(cohort=cohort, revoked_at__isnull=True)
        .select_related("user", "partner")
        .annotate(
            sort_name=Lower(
                Coalesce(NullIf("user__full_name", Value("")), "email", output_field=CharField())
            ),
            assigned=_count(assignments.filter(ended_at__isnull=True), "reviewer_id"),
            done=_count(reviews.filter(submitted_at__isnull=False), "reviewer_id"),
            hand_backs=_count(
                assignments.filter(end_reason=AssignmentEnd.HANDED_BACK), "reviewer_id"
            ),
            # Coalesced: SQLite's MAX() of a NULL is NULL (PostgreSQL's GREATEST skips it).
            last_activity=Greatest(
                Coalesce(Subquery(last_field.values("updated_at")[:1]), Value(NEVER)),
                Coalesce(Subquery(last_submit.values("submitted_at")[:1]), Value(NEVER)),
                Coalesce(Subquery(last_hand_back.values("ended_at")[:1]), Value(NEVER)),
            ),
        )
        .order_by(*REVIEWER_ORDERS.get(order, REVIEWER_ORDERS["name"]))
    )


APPLICATION_ORDER_LABELS = [
    ("name", _("startup")), ("-missing", _("most slots without a reviewer")),
    ("submitted", _("fewest reviews submitted")), ("-submitted", _("most reviews submitted")),
]  # fmt: skip
APPLICATION_ORDERS = {
    "name": ("startup__name", "pk"),
    "-missing": ("-missing", "startup__name", "pk"),
    "submitted": ("submitted_reviews", "startup__name", "pk"),
    "-submitted": ("-submitted_reviews", "startup__name", "pk"),
}


def application_progress(cohort, order: str = "name") -> QuerySet[Application]:
    """The applications under review with `assigned` (active assignments), `submitted_reviews`
    (submitted reviews that count) and `missing` (slots no reviewer holds), in the order named
    (APPLICATION_ORDERS)."""
    conflicted = Conflict.objects.filter(
        application_id=OuterRef("application_id"),
        user_id=OuterRef("reviewer__user_id"),
        state=ConflictState.CONFIRMED,
    )
    submitted = Review.objects.filter(
        application_id=OuterRef("pk"), submitted_at__isnull=False
    ).exclude(Exists(conflicted))
    assigned = Assignment.objects.filter(application_id=OuterRef("pk"), ended_at__isnull=True)
    assigned_count = _count(assigned, "application_id")
    requests = ReviewRequest.objects.filter(application_id=OuterRef("pk"))
    requested = _count(requests, "application_id")
    return (
        applications_under_review(cohort)
        .select_related("startup")
        .annotate(
            assigned=assigned_count,
            submitted_reviews=_count(submitted, "application_id"),
            needed=Value(cohort.reviews_per_application) + requested,
            missing=Greatest(
                Value(cohort.reviews_per_application) + requested - assigned_count, Value(0)
            ),
        )
        .order_by(*APPLICATION_ORDERS.get(order, APPLICATION_ORDERS["name"]))
    )


def review_totals(cohort) -> dict:
    """For the progress summary, in one query: applications under review, slots no reviewer
    holds, submitted reviews that count."""
    return (
        application_progress(cohort)
        .order_by()
        .aggregate(
            applications=Count("pk"),
            unassigned=Coalesce(Sum("missing"), 0),
            submitted=Coalesce(Sum("submitted_reviews"), 0),
        )
    )


def screened_out(cohort) -> QuerySet[Application]:
    """The cohort's applications screened out, listed apart, latest first."""
    return (
        Application.objects.filter(cohort=cohort, screened_out_at__isnull=False)
        .select_related("startup", "screened_out_by")
        .order_by("-screened_out_at", "pk")
    )


def active_reviewers(cohort) -> list[Reviewer]:
    """The reviewers staff may assign by hand: accepted, not removed."""
    return list(
        Reviewer.objects.filter(cohort=cohort, accepted_at__isnull=False, revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


# --- Conflicts of interest ---------------------------------------------------------------------


def confirmed_conflicts_of(user) -> QuerySet:
    """Ids of the applications the user has a confirmed conflict with, as a subquery: every
    staff page and export reads it (registered with applications as `conflicted_with`)."""
    return Conflict.objects.filter(user_id=user.pk, state=ConflictState.CONFIRMED).values(
        "application_id"
    )


def outbox_hidden_for(user) -> Q | None:
    """Registered with cohorts: the emails a member of staff never reads in the outbox, those
    about applications they are in conflict with (to the startup's members, or a conflict
    declared on it)."""
    application_ids = list(confirmed_conflicts_of(user).values_list("application_id", flat=True))
    if not application_ids:
        return None
    hidden = Q(pk__in=[])
    for application_id in application_ids:
        hidden |= Q(idempotency_key__startswith=f"application-submitted:{application_id}:")
        hidden |= Q(idempotency_key__startswith=f"extension-granted:{application_id}:")
    for conflict_id in Conflict.objects.filter(application_id__in=application_ids).values_list(
        "pk", flat=True
    ):
        hidden |= Q(idempotency_key__startswith=f"conflict-declared:{conflict_id}:")
    members = Application.objects.filter(pk__in=application_ids).values(
        "startup__memberships__user_id"
    )
    return hidden | Q(recipient_id__in=members)


def cohort_people_ids(cohort) -> dict[int, str]:
    """{user id: role} of whom conflicts concern in a cohort: its accepted reviewers and its
    program's managers."""
    roles = {
        user_id: "reviewer"
        for user_id in Reviewer.objects.filter(
            cohort=cohort, accepted_at__isnull=False, revoked_at__isnull=True
        ).values_list("user_id", flat=True)
    }
    for user_id in cohort.program.managers.filter(is_active=True).values_list("pk", flat=True):
        roles[user_id] = "manager" if user_id not in roles else "both"
    return roles


def cohort_conflicts(cohort, roles: dict[int, str] | None = None) -> list[Conflict]:
    """The cohort's conflicts of its reviewers and managers (a founder's own conflict with
    their startup, who neither reviews nor manages, is not listed): suggestions first, then
    confirmed, then dismissed, newest first within each; each with `role`."""
    roles = cohort_people_ids(cohort) if roles is None else roles
    order = {ConflictState.SUGGESTED: 0, ConflictState.CONFIRMED: 1, ConflictState.DISMISSED: 2}
    conflicts = list(
        Conflict.objects.filter(application__cohort=cohort, user_id__in=list(roles))
        .select_related("user", "application__startup", "decided_by")
        .order_by("-created_at", "-pk")
    )
    for conflict in conflicts:
        conflict.role = roles[conflict.user_id]
    conflicts.sort(key=lambda conflict: order[conflict.state])
    return conflicts


def short_of_reviewers(cohort, applications) -> list[tuple[Application, int]]:
    """The applications that confirmed conflicts leave with fewer eligible reviewers (accepted
    reviewers of the cohort without a confirmed conflict) than the cohort's reviews per
    application, each with how many are eligible."""
    reviewer_ids = set(
        Reviewer.objects.filter(
            cohort=cohort, accepted_at__isnull=False, revoked_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    conflicted: dict[int, set[int]] = {}
    for user_id, application_id in Conflict.objects.filter(
        application__cohort=cohort, state=ConflictState.CONFIRMED, user_id__in=reviewer_ids
    ).values_list("user_id", "application_id"):
        conflicted.setdefault(application_id, set()).add(user_id)
    short = []
    for application in applications:
        eligible = len(reviewer_ids - conflicted.get(application.pk, set()))
        if conflicted.get(application.pk) and eligible < cohort.reviews_per_application:
            short.append((application, eligible))
    return short
