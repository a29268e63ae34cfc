"""Reads shared by the pages. Applicant reads start from the user: what is not theirs does not
exist for them. Staff reads start from a cohort or application the staff scope allows."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django_countries.fields import Country

from accelerator.sql import (
    Columns,
    from_column,
    instances_from_row,
    placeholders,
    prepared_cursor,
)
from cohorts.models import Cohort, Question
from cohorts.selectors import staff_scope, visible_cohorts

from .answers import is_empty
from .enums import INTERNAL_STATUSES, ApplicantStatus, ApplicationStatus
from .models import (
    Answer,
    Application,
    ApplicationEvent,
    Extension,
    Membership,
    NamedConflict,
    Startup,
    Submission,
)
from .registries import applicant_stages, applicant_status_providers, conflicted_with
from .search import search

APPLICANT_VISIBLE = [
    ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN,
]  # fmt: skip
# Shown in the applicant's history once the cohort's decisions are published, never before.
PUBLISHED_DECISIONS = [
    ApplicationStatus.WINNER, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED,
]  # fmt: skip


def startups_of(user) -> QuerySet[Startup]:
    return Startup.objects.filter(memberships__user=user)


def applications_of(user) -> QuerySet[Application]:
    """The user's startups' applications, except to a cohort that is not published: until it
    is, it does not exist for applicants (its own staff still reach it)."""
    return (
        Application.objects.filter(startup__memberships__user=user)
        .filter(visible_cohorts(user, "cohort"))
        .select_related("startup", "cohort__program")
    )


def latest_extension_closes_at(application_id_ref: str = "pk") -> Subquery:
    """The personal closing time of the application whose id is at `application_id_ref` (an
    OuterRef path): its latest extension's, or NULL, as one column rather than a prefetch of
    the extensions. latest_extension_sql() is the same for hand-written queries."""
    return Subquery(
        Extension.objects.filter(application_id=OuterRef(application_id_ref))
        .order_by("-granted_at", "-pk")
        .values("closes_at")[:1]
    )


def latest_extension_sql(application_id_column: str) -> str:
    """latest_extension_closes_at() in SQL, for hand-written queries: the closing time of the
    latest extension of the application whose id is in `application_id_column`, or NULL."""
    return (
        f"(SELECT e.closes_at FROM {Extension._meta.db_table} e"
        f" WHERE e.application_id = {application_id_column}"
        " ORDER BY e.granted_at DESC, e.id DESC LIMIT 1)"
    )


@functools.cache
def _autosave_sql() -> tuple[str, tuple]:
    """The SQL of autosave_target() (without its visibility condition) and its groups of
    columns; the latest extension's closing time comes between the cohort's and the
    question's."""
    application = Columns("a", Application, names={"id", "status", "startup", "cohort"})
    cohort = Columns("c", Cohort, names={"id", "opens_at", "closes_at", "grace_minutes"})
    question = Columns("q", Question)
    sql = (
        f"SELECT {application.sql}, {cohort.sql}, {latest_extension_sql('a.id')}, {question.sql}"
        f" FROM {Application._meta.db_table} a"
        f" INNER JOIN {Cohort._meta.db_table} c ON c.id = a.cohort_id"
        f" INNER JOIN {Question._meta.db_table} q ON q.cohort_id = a.cohort_id"
        " WHERE a.id = %s AND q.id = %s AND EXISTS (SELECT 1 FROM"
        f" {Membership._meta.db_table} m WHERE m.startup_id = a.startup_id AND m.user_id = %s)"
    )
    return sql, (application, cohort, question)


def autosave_target(user, application_id: int, question_id: int) -> tuple[Application, Question]:
    """One of the user's applications, with what deciding "may this answer still change"
    reads (its status, its cohort's times, its personal closing time), and one question of its
    cohort, in one query, under the same rule as applications_of(); Application.DoesNotExist
    when either is not the user's to edit.

    Written in SQL because autosave is the product's hottest path (thousands of founders typing
    on the last day): building and compiling the equivalent querysets took longer than running
    them, about a third of a whole save (bench/autosave_load.py)."""
    sql, (application_columns, cohort_columns, question_columns) = _autosave_sql()
    params = [application_id, question_id, user.pk]
    scope = staff_scope(user)
    if not scope.is_superuser:
        # visible_cohorts(): a published cohort, or one the user manages.
        visible = "c.is_published"
        if scope.cohort_ids:
            visible += f" OR c.id IN ({placeholders(len(scope.cohort_ids))})"
            params += sorted(scope.cohort_ids)
        sql += f" AND ({visible})"
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise Application.DoesNotExist
    extension_at = len(application_columns) + len(cohort_columns)
    application, cohort = instances_from_row(row, application_columns, cohort_columns)
    application.cohort = cohort
    application.latest_extension_closes_at = from_column(
        Extension._meta.get_field("closes_at"), row[extension_at]
    )
    question = question_columns.instance(row[extension_at + 1 :])
    return application, question


def dashboard_memberships(user) -> list[Membership]:
    """The user's startups, each with its applications (cohort, program, events) to cohorts
    they may see, in a fixed number of queries."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("startup")
        .prefetch_related(
            Prefetch(
                "startup__applications",
                queryset=_with_change_times(
                    Application.objects.filter(visible_cohorts(user, "cohort")).select_related(
                        "cohort__program"
                    )
                ).prefetch_related(
                    "extensions",
                    # What needs_attention reads: required questions, and what is answered.
                    Prefetch(
                        "cohort__questions",
                        queryset=Question.objects.filter(required=True),
                        to_attr="required_questions",
                    ),
                    Prefetch(
                        "answers",
                        queryset=Answer.objects.only("application_id", "question_id", "value"),
                        to_attr="answer_values",
                    ),
                    # Decisions in the making stay internal until they are published.
                    Prefetch(
                        "events",
                        queryset=ApplicationEvent.objects.filter(
                            to_status__in=[*APPLICANT_VISIBLE, *PUBLISHED_DECISIONS]
                        ),
                        to_attr="history_events",
                    ),
                ),
            )
        )
    )


def applicant_history(application) -> list:
    """The events an applicant may see (prefetched as `history_events`): a decision appears
    once the cohort's decisions are published."""
    published = application.cohort.decisions_published_at is not None
    return [
        event for event in application.history_events
        if event.to_status in APPLICANT_VISIBLE or published
    ]  # fmt: skip


def applicant_status(
    application: Application, now: datetime | None = None, stages: dict | None = None
) -> ApplicantStatus:
    """What the applicant is told: decisions in the making read "under review"; a published
    decision (applicant_status_providers) reads as itself, and so does a stage an upper app
    makes visible (`stages`, from registries.applicant_stages; asked here when the caller has
    not)."""
    now = now or timezone.now()
    for provider in applicant_status_providers:
        told = provider(application)
        if told is not None:
            return told
    status = application.status
    if status == ApplicationStatus.WITHDRAWN:
        return ApplicantStatus.WITHDRAWN
    if status == ApplicationStatus.DRAFT:
        if application.accepts_submissions(now):
            return ApplicantStatus.DRAFT
        return ApplicantStatus.NOT_SUBMITTED
    if stages is None:
        stages = applicant_stages([application.pk])
    if application.pk in stages:
        return stages[application.pk]
    if status in INTERNAL_STATUSES or not application.accepts_submissions(now):
        return ApplicantStatus.UNDER_REVIEW
    return ApplicantStatus.SUBMITTED


def changed_since_submitted(application: Application) -> bool:
    """Whether an answer was saved after the latest submitted version (lists annotate
    `last_submitted_at` and `last_answer_saved_at` to answer without a query)."""
    if not hasattr(application, "last_submitted_at"):
        application = _with_change_times(Application.objects.filter(pk=application.pk)).get()
    if application.last_submitted_at is None or application.last_answer_saved_at is None:
        return False
    return application.last_answer_saved_at > application.last_submitted_at


def _with_change_times(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.annotate(
        last_submitted_at=Max("submissions__submitted_at"),
        last_answer_saved_at=Max("answers__updated_at"),
    )


def latest_submission(application: Application):
    """What readers (reviewers, exports, emails) see: the last submitted version."""
    return application.submissions.order_by("-number").first()


# --- Staff -------------------------------------------------------------------------------------

STAFF_PAGE_SIZE = 100


@dataclass(frozen=True)
class StaffFilters:
    """What a staff list of applications is narrowed to; empty strings mean "any"."""

    query: str = ""
    status: str = ""
    stage: str = ""
    country: str = ""
    foundation_model: str = ""
    screening: str = ""  # "in": to review; "out": screened out


def conflicted_ids(user):
    """The applications the user has a confirmed conflict of interest with, as a subquery
    (None when there is nobody to ask, or no user)."""
    if user is None or not user.is_authenticated:
        return None
    return conflicted_with(user)


def without_conflicts(queryset: QuerySet, user, path: str = "pk") -> QuerySet:
    """`queryset` without the applications (at `path`) the user is in conflict with: for them
    those do not exist, whatever page or export asks."""
    ids = conflicted_ids(user)
    return queryset if ids is None else queryset.exclude(**{f"{path}__in": ids})


def conflicted_in_cohort(cohort, user) -> list[int]:
    """Ids of the cohort's applications the user is in conflict with: lists show them apart,
    unranked, as "conflict of interest"."""
    ids = conflicted_ids(user)
    if ids is None:
        return []
    return list(
        Application.objects.filter(cohort=cohort, pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def staff_applications(
    *, cohort, filters: StaffFilters = StaffFilters(), viewer=None
) -> QuerySet[Application]:
    """A cohort's applications as staff list them: filtered, searched, newest submission first
    (drafts last), with their startups; without those the viewer is in conflict with."""
    applications = without_conflicts(
        Application.objects.filter(cohort=cohort).select_related("startup"), viewer
    )
    if filters.status:
        applications = applications.filter(status=filters.status)
    if filters.screening == "in":
        applications = applications.filter(screened_out_at__isnull=True)
    elif filters.screening == "out":
        applications = applications.filter(screened_out_at__isnull=False)
    if filters.stage:
        applications = applications.filter(startup__stage=filters.stage)
    if filters.country:
        applications = applications.filter(startup__country=filters.country)
    if filters.foundation_model:
        # A JSON list of codes, none of which contains another: a text match on both engines.
        applications = applications.filter(
            startup__foundation_models__icontains=filters.foundation_model
        )
    applications = search(applications, filters.query)
    return applications.order_by(F("submitted_at").desc(nulls_last=True), "startup__name", "pk")


def with_versions(applications: list[Application]) -> list[Application]:
    """Each application with `latest_version`, `last_submitted_at` and `changed` (an answer
    saved since the latest submitted version), in two queries whatever the number of rows."""
    ids = [application.pk for application in applications]
    versions = {
        row["application_id"]: row
        for row in Submission.objects.filter(application_id__in=ids)
        .order_by()
        .values("application_id")
        .annotate(number=Max("number"), at=Max("submitted_at"))
    }
    saved = dict(
        Answer.objects.filter(application_id__in=ids)
        .order_by()
        .values_list("application_id")
        .annotate(at=Max("updated_at"))
    )
    for application in applications:
        version = versions.get(application.pk)
        application.latest_version = version["number"] if version else None
        application.last_submitted_at = version["at"] if version else None
        last_saved = saved.get(application.pk)
        application.changed = bool(version and last_saved and last_saved > version["at"])
    return applications


COUNTRIES_CACHE_SECONDS = 300


def _countries_cache_key(cohort_id: int) -> str:
    return f"cohort-countries:{cohort_id}"


def cohort_countries(cohort) -> list[tuple[str, str]]:
    """The countries the cohort's applicants are based in, by name: a filter's choices. Kept
    in the cache (it scans the whole cohort, and every list page asks); the services that
    change it forget it, and it expires after five minutes whatever happens."""
    key = _countries_cache_key(cohort.pk)
    codes = cache.get(key)
    if codes is None:
        codes = sorted(
            code
            for code in Application.objects.filter(cohort=cohort)
            .order_by()
            .values_list("startup__country", flat=True)
            .distinct()
            if code
        )
        cache.set(key, codes, COUNTRIES_CACHE_SECONDS)
    return sorted(((code, Country(code).name) for code in codes), key=lambda c: c[1])


def cohort_countries_forget(cohort_ids) -> None:
    cache.delete_many([_countries_cache_key(cohort_id) for cohort_id in cohort_ids])


def status_counts(cohort_ids) -> dict[int, dict[str, int]]:
    """{cohort id: {status: count}} for these cohorts, in one query."""
    counts: dict[int, dict[str, int]] = {cohort_id: {} for cohort_id in cohort_ids}
    rows = (
        Application.objects.filter(cohort_id__in=list(cohort_ids))
        .order_by()
        .values_list("cohort_id", "status")
        .annotate(count=Count("pk"))
    )
    for cohort_id, status, count in rows:
        counts[cohort_id][status] = count
    return counts


def staff_application(*, scope, application_id: int) -> Application:
    """One application in the scope, with what its staff page shows, or DoesNotExist (also
    when the user is in conflict with it)."""
    return (
        without_conflicts(scope.filter_by_cohort(Application.objects.all()), scope.user)
        .select_related("startup__referred_by", "cohort__program", "screened_out_by")
        .prefetch_related(
            Prefetch("startup__memberships", queryset=Membership.objects.select_related("user")),
            Prefetch("submissions", queryset=Submission.objects.order_by("-number")),
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "pk")),
            "answers",
            "extensions",
            "cohort__questions",
            Prefetch("named_conflicts", queryset=NamedConflict.objects.select_related("partner")),
        )
        .get(pk=application_id)
    )


def latest_submissions(applications: QuerySet[Application]) -> dict[int, Submission]:
    """{application id: its latest submitted version} for every application of a queryset,
    in one query (exports read submitted versions, never live drafts)."""
    latest = Submission.objects.filter(application=OuterRef("pk")).order_by("-number")
    ids = applications.order_by().annotate(latest_id=Subquery(latest.values("pk")[:1]))
    return {
        submission.application_id: submission
        for submission in Submission.objects.filter(
            pk__in=ids.filter(latest_id__isnull=False).values("latest_id")
        )
    }


def needs_attention(application: Application, now: datetime | None = None) -> list:
    """The required questions a submitted application, still editable, has no answer to: added
    (or made required) after it was submitted. Empty for a draft (its own checks say what is
    missing) and once the call is closed (nothing can be done). Reads the prefetches of
    dashboard_memberships when present."""
    if application.status != ApplicationStatus.SUBMITTED or not application.is_editable(now):
        return []
    if hasattr(application.cohort, "required_questions"):
        required = application.cohort.required_questions
    else:
        required = list(application.cohort.questions.filter(required=True))
    if hasattr(application, "answer_values"):
        answers = application.answer_values
    else:
        answers = list(application.answers.all())
    answered = {answer.question_id for answer in answers if not is_empty(answer.value)}
    return [question for question in required if question.pk not in answered]
