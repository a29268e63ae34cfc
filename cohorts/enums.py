from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramKind(models.TextChoices):
    ACCELERATOR = "accelerator", _("Accelerator")
    RESEARCH_COMMUNITY = "research_community", _("Research community")


class Region(models.TextChoices):
    FRANCE = "france", _("France")
    # The EU and EEA, the United Kingdom and Switzerland.
    EUROPE = "europe", _("Europe (EU/EEA, United Kingdom, Switzerland)")
    ANYWHERE = "anywhere", _("Anywhere")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    MVP = "mvp", _("MVP")
    PRODUCT = "product", _("Product")
    REVENUE = "revenue", _("Revenue")


class ApplicantKind(models.TextChoices):
    STARTUP = "startup", _("Startup")
    RESEARCH_TEAM = "research_team", _("Research team")


class PartnerRole(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    PLATFORM = "platform", _("Platform")
    COMPUTE = "compute", _("Compute")
    VENUE = "venue", _("Venue")
    CO_ORGANISER = "co_organiser", _("Co-organiser")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    URL = "url", _("URL")
    NUMBER = "number", _("Number")
    YES_NO = "yes_no", _("Yes or no")
    FILE = "file", _("File")


CHOICE_QUESTION_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class Phase(models.TextChoices):
    """Where a cohort stands; derived from its dates by cohorts.phases.cohort_phase."""

    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class FileType(models.TextChoices):
    """What a file question accepts, recognised by the file's bytes."""

    PDF = "pdf", "PDF"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"
    WEBP = "webp", "WebP"
