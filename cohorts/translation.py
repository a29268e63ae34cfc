"""Every text an admin writes, in English and French; French falls back to English when empty."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Cohort,
    CohortPartner,
    InterviewCriterion,
    Partner,
    Program,
    Question,
    RubricCriterion,
)


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = ("name", "short_description", "description")


@register(Cohort)
class CohortTranslation(TranslationOptions):
    fields = ("name", "eligibility", "benefits")


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CohortPartner)
class CohortPartnerTranslation(TranslationOptions):
    fields = ("contribution",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "help_text", "choices")


@register(RubricCriterion)
class RubricCriterionTranslation(TranslationOptions):
    fields = ("name", "guidance")


@register(InterviewCriterion)
class InterviewCriterionTranslation(TranslationOptions):
    fields = ("name", "guidance")
