"""Reads shared by the public and staff pages, and the one staff scope."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from notifications.access import OutboxReach

from .enums import Phase
from .models import Cohort, CohortPartner, Partner, Program
from .registries import outbox_hidden, reviewed_cohorts


@dataclass
class HomeCohorts:
    open: list[Cohort]
    upcoming: list[Cohort]
    past: list[Cohort]


def cohorts_for_home(*, now: datetime | None = None) -> HomeCohorts:
    """Published cohorts only (their staff preview the others on their own pages): open calls
    first (soonest closing first), then upcoming (soonest opening first), then the rest, newest
    first; each with its program and partners, in a fixed number of queries."""
    now = now or timezone.now()
    cohorts = list(Cohort.objects.public().filter(is_published=True))
    for cohort in cohorts:
        cohort.current_phase = cohort.phase(now)
    open_ = sorted((c for c in cohorts if c.current_phase == Phase.OPEN), key=lambda c: c.closes_at)
    upcoming = sorted(
        (c for c in cohorts if c.current_phase == Phase.UPCOMING), key=lambda c: c.opens_at
    )
    past = [c for c in cohorts if c.current_phase not in (Phase.OPEN, Phase.UPCOMING)]
    return HomeCohorts(open=open_, upcoming=upcoming, past=past)


def visible_cohorts(user, path: str = "") -> Q:
    """A filter on rows whose cohort (at `path`, or the row itself) this user may see: a
    published one, or one they manage. An unpublished cohort does not exist for anyone else."""
    scope = staff_scope(user)
    if scope.is_superuser:
        return Q()
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}is_published": True}) | Q(**{f"{prefix}pk__in": scope.cohort_ids})


def cohorts_visible_to(user) -> QuerySet[Cohort]:
    return Cohort.objects.filter(visible_cohorts(user))


def cohort_for_page(*, program_slug: str, slug: str, user) -> Cohort:
    return (
        Cohort.objects.public()
        .prefetch_related("questions")
        .filter(visible_cohorts(user))
        .get(program__slug=program_slug, slug=slug)
    )


def partner_with_cohorts(*, slug: str) -> Partner:
    """A partner with its roles in published cohorts."""
    return Partner.objects.prefetch_related(
        Prefetch(
            "cohort_partners",
            queryset=CohortPartner.objects.filter(cohort__is_published=True)
            .select_related("cohort__program")
            .order_by("-cohort__closes_at", "display_order"),
        )
    ).get(slug=slug)


@dataclass
class StaffScope:
    """Which programs and cohorts a user may manage: superusers all of them, program managers
    (staff named on a program) their programs' cohorts, everyone else none; and which cohorts
    they review (asked of the reviews app, only when a page needs it). Every staff and
    reviewer page asks this one object."""

    is_superuser: bool
    program_ids: frozenset[int]
    cohort_ids: frozenset[int]
    user: object = field(default=None, repr=False, compare=False)
    _reviewed: frozenset[int] | None = field(default=None, repr=False, compare=False)

    @property
    def reviewed_cohort_ids(self) -> frozenset[int]:
        """The cohorts this user reviews as an accepted reviewer (not as a manager)."""
        if self._reviewed is None:
            authenticated = self.user is not None and self.user.is_authenticated
            self._reviewed = (
                frozenset(reviewed_cohorts(self.user)) if authenticated else frozenset()
            )
        return self._reviewed

    def reviews_cohort(self, cohort_id: int | None) -> bool:
        return cohort_id in self.reviewed_cohort_ids

    @property
    def is_empty(self) -> bool:
        return not (self.is_superuser or self.program_ids)

    def manages_program(self, program_id: int | None) -> bool:
        return self.is_superuser or program_id in self.program_ids

    def manages_cohort(self, cohort_id: int | None) -> bool:
        return self.is_superuser or cohort_id in self.cohort_ids

    def programs(self) -> QuerySet[Program]:
        programs = Program.objects.all()
        return programs if self.is_superuser else programs.filter(pk__in=self.program_ids)

    def cohorts(self) -> QuerySet[Cohort]:
        cohorts = Cohort.objects.all()
        return cohorts if self.is_superuser else cohorts.filter(pk__in=self.cohort_ids)

    def filter_by_cohort(self, queryset: QuerySet, path: str = "cohort") -> QuerySet:
        """`queryset` narrowed to rows whose `path` (a cohort) is in scope."""
        if self.is_superuser:
            return queryset
        return queryset.filter(**{f"{path}_id__in": self.cohort_ids})

    def filter_by_program(self, queryset: QuerySet, path: str = "program") -> QuerySet:
        if self.is_superuser:
            return queryset
        return queryset.filter(**{f"{path}_id__in": self.program_ids})


def staff_scope(user) -> StaffScope:
    """The user's staff scope, computed with one query the first time it is asked for and kept
    on the user object, which lives as long as the request (`request.user`)."""
    cached = getattr(user, "_staff_scope", None)
    if cached is not None:
        return cached
    if not (user.is_authenticated and user.is_active and user.is_staff):
        scope = StaffScope(
            is_superuser=False, program_ids=frozenset(), cohort_ids=frozenset(), user=user
        )
    elif user.is_superuser:
        scope = StaffScope(
            is_superuser=True, program_ids=frozenset(), cohort_ids=frozenset(), user=user
        )
    else:
        rows = list(Program.objects.filter(managers=user).values_list("pk", "cohorts__pk"))
        scope = StaffScope(
            is_superuser=False,
            program_ids=frozenset(program_id for program_id, _cohort_id in rows),
            cohort_ids=frozenset(cohort_id for _program_id, cohort_id in rows if cohort_id),
            user=user,
        )
    user._staff_scope = scope
    return scope


def staff_scope_forget(user) -> None:
    """After a change to who manages what, within the same request (tests, admin saves)."""
    user.__dict__.pop("_staff_scope", None)


def outbox_reach_of(user) -> OutboxReach | None:
    """The outbox emails a user may read, from their staff scope (registered with
    notifications): every one for superusers, their cohorts' for managers, none otherwise."""
    scope = staff_scope(user)
    if scope.is_empty:
        return None
    names = dict(scope.cohorts().values_list("pk", "name"))
    return OutboxReach(sees_all=scope.is_superuser, cohort_names=names, hidden=outbox_hidden(user))
