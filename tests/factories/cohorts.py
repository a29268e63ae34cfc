from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory

from cohorts.enums import PartnerRole, QuestionKind
from cohorts.models import Cohort, CohortPartner, Partner, Program, Question, RubricCriterion

PARIS = ZoneInfo("Europe/Paris")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    short_description = "An accelerator for startups building on open models."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    website = "https://partner.example/"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    year = 2024
    opens_at = datetime(2024, 6, 25, 0, 0, tzinfo=PARIS)
    closes_at = datetime(2024, 8, 16, 23, 59, 59, tzinfo=PARIS)
    program_starts_on = date(2024, 9, 1)
    program_ends_on = date(2025, 2, 28)
    # Published, as most cohorts are; tests of unpublished cohorts say so.
    is_published = True


class CohortPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortPartner

    cohort = factory.SubFactory(CohortFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = PartnerRole.MENTORING
    contribution = factory.Sequence(lambda n: f"Contribution {n}")
    display_order = factory.Sequence(int)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    cohort = factory.SubFactory(CohortFactory)
    order = factory.Sequence(int)
    kind = QuestionKind.LONG_TEXT
    label = factory.Sequence(lambda n: f"Question {n}?")
    word_limit = 300


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    cohort = factory.SubFactory(CohortFactory)
    order = factory.Sequence(int)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
