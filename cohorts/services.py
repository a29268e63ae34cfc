"""Every write of the cohorts app."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname

from . import station_f
from .enums import ProgramKind, Region
from .models import (
    Cohort,
    CohortPartner,
    InterviewCriterion,
    Partner,
    Program,
    Question,
    RubricCriterion,
)
from .registries import winners_chosen
from .signals import demo_loaded
from .station_f import closing as station_f_closing
from .station_f import opening as station_f_opening


def after_capacity_floor_check() -> None:
    """A test hook between counting the winners and saving a new capacity (tests make it
    wait at a barrier: with the lock, no winner can be added meanwhile)."""


def _lock_cohort_row(cohort_id: int) -> None:
    list(Cohort.objects.select_for_update().filter(pk=cohort_id).values_list("pk"))


def cohort_capacity_refusal(*, cohort_id: int | None, capacity: int | None) -> str:
    """Why the cohort cannot take `capacity` ("" when it can): fewer places than the winners
    it holds, pending or published. Locks the cohort's row first, as every change to its
    decisions does before counting: call it in the transaction that saves the capacity (the
    admin's change view is one), so no winner is added between this count and the save."""
    if cohort_id is None or capacity is None:
        return ""
    _lock_cohort_row(cohort_id)
    chosen = winners_chosen(cohort_id)
    after_capacity_floor_check()
    if capacity >= chosen:
        return ""
    return ngettext(
        "The capacity cannot be below the %(winners)d winner this cohort already holds "
        "(pending or published).",
        "The capacity cannot be below the %(winners)d winners this cohort already holds "
        "(pending or published).",
        chosen,
    ) % {"winners": chosen}


def _one_year_later(value: date | datetime | None):
    """The same wall-clock time in Paris one year later (29 February becomes 28)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        # A zoneinfo time keeps its wall clock through replace(); the offset follows the date.
        value = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    try:
        return value.replace(year=value.year + 1)
    except ValueError:
        return value.replace(year=value.year + 1, day=28)


def _next_year_text(text: str, year: int) -> str:
    return re.sub(rf"\b{year}\b", str(year + 1), text) if text else text


def _next_year_name(name: str, year: int) -> str:
    """`name` with `year` moved on, or the new year appended when it names none: two editions
    never share a name. An empty (untranslated) name stays empty."""
    if not name or re.search(rf"\b{year}\b", name):
        return _next_year_text(name, year)
    return f"{name} {year + 1}"


@transaction.atomic
def cohort_duplicate(*, cohort: Cohort) -> Cohort:
    """Next year's edition of a cohort, unpublished until its staff have checked it: every date
    one year later, the year in its name moved on in every language (or appended), in its slug
    moved on (or a numbered slug), its questions, rubric and partner roles copied (the partners
    themselves are shared). Side effects: none beyond the new rows."""
    source_pk, year = cohort.pk, cohort.year
    new = Cohort.objects.get(pk=source_pk)
    new.pk = None
    new._state.adding = True
    new.year = year + 1
    new.is_demo = False
    new.is_published = False
    for field in ("opens_at", "closes_at", "reviews_close_at", "decisions_at",
                  "program_starts_on", "program_ends_on"):  # fmt: skip
        setattr(new, field, _one_year_later(getattr(new, field)))
    for language, _name in settings.LANGUAGES:
        field = build_localized_fieldname("name", language)
        setattr(new, field, _next_year_name(getattr(new, field), year))
    slug = _next_year_text(cohort.slug, year)
    siblings = set(Cohort.objects.filter(program=cohort.program).values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in siblings:
        candidate, number = f"{slug}-{number}", number + 1
    new.slug = candidate
    new.save()
    for related in ("questions", "criteria", "interview_criteria", "cohort_partners"):
        for child in getattr(Cohort.objects.get(pk=source_pk), related).all():
            child.pk = None
            child._state.adding = True
            child.cohort = new
            child.save()
    return new


def _create_cohort_parts(cohort: Cohort, *, questions: list[dict], partners=(), rubric=()):
    for order, question in enumerate(questions, start=1):
        Question.objects.create(cohort=cohort, order=order, is_example=True, **question)
    for order, criterion in enumerate(rubric, start=1):
        RubricCriterion.objects.create(cohort=cohort, order=order, is_example=True, **criterion)
    # A cohort that reviews applications also interviews its shortlist.
    for order, criterion in enumerate(station_f.EXAMPLE_INTERVIEW_RUBRIC if rubric else (), 1):
        InterviewCriterion.objects.create(cohort=cohort, order=order, is_example=True, **criterion)
    for order, (slug, role, english, french) in enumerate(partners, start=1):
        CohortPartner.objects.create(
            cohort=cohort,
            partner=Partner.objects.get(slug=slug),
            role=role,
            contribution_en=english,
            contribution_fr=french,
            display_order=order,
        )


@transaction.atomic
def station_f_load(*, demo: bool = False, now: datetime | None = None) -> list[str]:
    """Create what the Station F announcements describe, by natural key, never updating a row
    that exists: an admin's edits survive any rerun. With `demo`, also a demo cohort open for
    30 days (moved forward again once closed) and demo users. Returns what it created or moved.
    """
    now = now or timezone.now()
    done = []
    for fields in station_f.PARTNERS:
        _partner, created = Partner.objects.get_or_create(slug=fields["slug"], defaults=fields)
        if created:
            done.append(f"partner {fields['slug']}")
    for program_data in station_f.PROGRAMS:
        program_fields = {k: v for k, v in program_data.items() if k != "cohorts"}
        program, created = Program.objects.get_or_create(
            slug=program_fields.pop("slug"), defaults=program_fields
        )
        if created:
            done.append(f"program {program.slug}")
        for cohort_data in program_data["cohorts"]:
            cohort_fields = {k: v for k, v in cohort_data.items() if k != "partners"}
            # The announced calls are public: they are created published.
            cohort, created = Cohort.objects.get_or_create(
                program=program,
                slug=cohort_fields.pop("slug"),
                defaults=cohort_fields | {"is_published": True},
            )
            if created:
                is_startup_call = program.kind == ProgramKind.ACCELERATOR
                _create_cohort_parts(
                    cohort,
                    questions=station_f.EXAMPLE_QUESTIONS if is_startup_call else [],
                    rubric=station_f.EXAMPLE_RUBRIC if is_startup_call else [],
                    partners=cohort_data["partners"],
                )
                done.append(f"cohort {program.slug}/{cohort.slug}")
    if demo:
        done += _load_demo(now=now)
    return done


def _demo_dates(now: datetime) -> dict:
    today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return {
        "opens_at": station_f_opening(today),
        "closes_at": station_f_closing(today + timedelta(days=30)),
    }


def _load_demo(*, now: datetime) -> list[str]:
    # Demo users are accounts' rows; cohorts' models import nothing from accounts.
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    done = []
    program = Program.objects.get(slug=station_f.AI_STARTUP_PROGRAM["slug"])
    cohort = Cohort.objects.filter(program=program, slug="demo").first()
    if cohort is None:
        cohort = Cohort.objects.create(
            program=program,
            slug="demo",
            year=now.year,
            is_demo=True,
            is_published=True,
            name_en="Demo cohort",
            name_fr="Promotion de démonstration",
            eligibility_en="A cohort to try the app with: apply, review, select.",
            eligibility_fr="Une promotion pour essayer l’application : candidater, évaluer, "
            "sélectionner.",
            capacity=5,
            region=Region.EUROPE,
            **_demo_dates(now),
        )
        _create_cohort_parts(
            cohort,
            questions=station_f.DEMO_QUESTIONS,
            rubric=station_f.EXAMPLE_RUBRIC,
            partners=station_f.AI_STARTUP_PROGRAM["cohorts"][1]["partners"],
        )
        done.append("demo cohort")
    elif cohort.closes_at <= now:
        # The one update this loader makes: a demo nobody can apply to demonstrates nothing.
        Cohort.objects.filter(pk=cohort.pk).update(**_demo_dates(now))
        done.append("demo cohort moved forward")
    for fields in station_f.DEMO_USERS:
        if User.objects.filter(email__iexact=fields["email"]).exists():
            continue
        user = User.objects.create_user(
            fields["email"],
            fields["password"],
            full_name=fields["full_name"],
            is_staff=True,
            is_superuser=fields.get("superuser", False),
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        if "manages" in fields:
            Program.objects.get(slug=fields["manages"]).managers.add(user)
        done.append(f"user {user.email}")
    review_cohort, review_cohort_new = _demo_review_cohort(program, now)
    if review_cohort_new:
        done.append("demo cohort in review")
    for _receiver, created in demo_loaded.send(
        sender=Cohort, cohort=cohort, review_cohort=review_cohort, now=now
    ):
        done += created or []
    if review_cohort_new:
        # Its applications were submitted while it was open, a moment ago; now it is in review.
        Cohort.objects.filter(pk=review_cohort.pk).update(**_demo_review_dates(now))
    elif review_cohort.reviews_close_at <= now:
        Cohort.objects.filter(pk=review_cohort.pk).update(**_demo_review_dates(now))
        done.append("demo cohort in review moved forward")
    return done


def _demo_review_dates(now: datetime) -> dict:
    """Closed three days ago, reviews closing in fourteen days."""
    return {
        "opens_at": now - timedelta(days=45),
        "closes_at": now - timedelta(days=3),
        "reviews_close_at": now + timedelta(days=14),
    }


def _demo_review_cohort(program: Program, now: datetime) -> tuple[Cohort, bool]:
    """The demo cohort in review: created open for an hour, so that the demo startups submit
    to it through the services, then closed (see _load_demo)."""
    cohort = Cohort.objects.filter(program=program, slug="demo-review").first()
    if cohort is not None:
        return cohort, False
    cohort = Cohort.objects.create(
        program=program,
        slug="demo-review",
        year=now.year,
        is_demo=True,
        is_published=True,
        name_en="Demo cohort in review",
        name_fr="Promotion de démonstration en évaluation",
        eligibility_en="A cohort whose call has closed: its applications are being reviewed.",
        eligibility_fr="Une promotion dont l’appel est clos : ses candidatures sont en "
        "cours d’évaluation.",
        capacity=5,
        region=Region.EUROPE,
        opens_at=now - timedelta(days=45),
        closes_at=now + timedelta(hours=1),
        reviews_close_at=now + timedelta(days=14),
    )
    _create_cohort_parts(
        cohort,
        questions=station_f.DEMO_QUESTIONS,
        rubric=station_f.EXAMPLE_RUBRIC,
        partners=station_f.AI_STARTUP_PROGRAM["cohorts"][1]["partners"],
    )
    return cohort, True
