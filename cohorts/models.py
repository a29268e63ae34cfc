from datetime import datetime, timedelta

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from . import rules as cohort_rules
from .enums import (
    CHOICE_QUESTION_KINDS,
    ApplicantKind,
    FileType,
    PartnerRole,
    Phase,
    ProgramKind,
    QuestionKind,
    Region,
    Stage,
)
from .images import reencoded_logo, validate_logo
from .offsets import default_reminder_offsets
from .phases import cohort_phase


class Program(RulesModel):
    """A program that runs calls for applications, such as the AI Startup Program."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=ProgramKind.choices, default=ProgramKind.ACCELERATOR
    )
    short_description = models.CharField(_("short description"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        related_name="managed_programs",
        blank=True,
        help_text=_("Staff who configure this program's cohorts. Superusers manage every program."),
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]
        rules_permissions = {
            "view": cohort_rules.can_manage_programs,
            "change": cohort_rules.can_manage_programs,
            "add": rules.is_superuser,
            "delete": rules.is_superuser,
        }

    def __str__(self) -> str:
        return self.name


class Partner(RulesModel):
    """An organisation that takes part in cohorts (Meta, Hugging Face, Scaleway, Station F)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="partners/",
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG, JPEG or WebP. It is re-encoded on upload."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        rules_permissions = cohort_rules.MANAGED_PERMISSIONS

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.logo and not self.logo._committed:
            self.logo = reencoded_logo(self.logo.file)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("partner_detail", kwargs={"slug": self.slug})


class CohortQuerySet(models.QuerySet):
    def public(self) -> "CohortQuerySet":
        return self.select_related("program").prefetch_related(
            models.Prefetch(
                "cohort_partners",
                queryset=CohortPartner.objects.select_related("partner").order_by(
                    "display_order", "pk"
                ),
            )
        )


class Cohort(RulesModel):
    """One edition of a program's call: its dates, who may apply, what is asked and scored."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    opens_at = models.DateTimeField(
        _("opens at"), null=True, blank=True, help_text=_("Empty: open from creation.")
    )
    closes_at = models.DateTimeField(_("closes at"))
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace minutes"),
        default=0,
        help_text=_("Submissions are still accepted this long after closing. Never displayed."),
    )
    reviews_close_at = models.DateTimeField(_("reviews close at"), null=True, blank=True)
    decisions_at = models.DateTimeField(
        _("decisions at"), null=True, blank=True,
        help_text=_("The announced date; the decided phase starts when decisions are published."),
    )  # fmt: skip
    offer_reply_days = models.PositiveSmallIntegerField(
        _("days to reply to an offer"), default=7,
        help_text=_("A winner replies by 23:59:59 Paris time this many days after the first "
                    "decision email is sent."),
    )  # fmt: skip
    promotion_stops_days_before = models.PositiveSmallIntegerField(
        _("waitlist stops moving (days before the programme)"), default=14,
        help_text=_("From this many days before the programme starts, a declined place is not "
                    "offered to the waitlist automatically; staff are told instead."),
    )  # fmt: skip
    promotion_email_queued = models.BooleanField(
        _("send a promotion's email at once"), default=False,
        help_text=_("Otherwise it waits as a draft in the outbox for a person to send it."),
    )  # fmt: skip
    # Set once, by the publication of the decisions (selection); never edited by hand.
    decisions_published_at = models.DateTimeField(
        _("decisions published at"), null=True, blank=True, editable=False
    )
    program_starts_on = models.DateField(_("programme starts on"), null=True, blank=True)
    program_ends_on = models.DateField(_("programme ends on"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        default=5,
        validators=[
            MinValueValidator(
                1, _("A cohort takes at least one winner; leave capacity empty for no cap.")
            )
        ],
        help_text=_("How many winners at most. Empty: no cap."),
    )
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, default=Region.ANYWHERE
    )
    required_stages = models.JSONField(
        _("required stages"),
        default=list,
        blank=True,
        help_text=_("Stages a startup must be at to apply. Empty: any stage."),
    )
    applicant_kind = models.CharField(
        _("applicant kind"),
        max_length=20,
        choices=ApplicantKind.choices,
        default=ApplicantKind.STARTUP,
    )
    eligibility = models.TextField(_("eligibility"), blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    blind_review = models.BooleanField(_("blind review"), default=False)
    reminder_offsets = models.JSONField(
        _("deadline reminders"),
        default=default_reminder_offsets,
        blank=True,
        help_text=_(
            "When each draft's members are reminded, before the closing time: e.g. 7d, 2d, 3h "
            "(days, hours, minutes). Empty: no reminders."
        ),
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviews per application"), default=3, validators=[MinValueValidator(1)]
    )
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Made by load_station_f --demo to try the app.")
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Unpublished cohorts are seen only by their program's staff: not listed, and their "
            "pages and applications answer “not found” to everyone else."
        ),
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-closes_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"],
                name="cohort_slug_unique_per_program",
                violation_error_message=_("This program already has a cohort with this slug."),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__gt=F("opens_at")),
                name="cohort_closes_after_opening",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
            models.CheckConstraint(
                condition=Q(reviews_close_at__isnull=True)
                | Q(reviews_close_at__gte=F("closes_at")),
                name="cohort_reviews_close_after_closing",
                violation_error_message=_("Reviews cannot close before applications close."),
            ),
            models.CheckConstraint(
                condition=Q(decisions_at__isnull=True) | Q(decisions_at__gte=F("closes_at")),
                name="cohort_decisions_after_closing",
                violation_error_message=_("Decisions cannot come before applications close."),
            ),
            models.CheckConstraint(
                condition=Q(program_starts_on__isnull=True)
                | Q(program_ends_on__isnull=True)
                | Q(program_ends_on__gte=F("program_starts_on")),
                name="cohort_programme_dates_in_order",
                violation_error_message=_("The programme cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="cohort_capacity_at_least_one",
                violation_error_message=_(
                    "A cohort takes at least one winner; leave capacity empty for no cap."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_application__gte=1),
                name="cohort_at_least_one_review",
                violation_error_message=_("Each application needs at least one review."),
            ),
        ]
        rules_permissions = cohort_rules.MANAGED_PERMISSIONS

    def __str__(self) -> str:
        return f"{self.program} — {self.name}"

    def clean(self) -> None:
        super().clean()
        unknown = set(self.required_stages or []) - set(Stage.values)
        if not isinstance(self.required_stages, list) or unknown:
            raise ValidationError(
                {"required_stages": _("Choose stages among: idea, MVP, product, revenue.")}
            )

    def get_absolute_url(self) -> str:
        return reverse(
            "cohort_detail", kwargs={"program_slug": self.program.slug, "slug": self.slug}
        )

    def phase(self, now: datetime | None = None) -> Phase:
        return cohort_phase(self, now or timezone.now())

    def accepts_submissions(self, now: datetime | None = None) -> bool:
        """Open, or closed for less than the (never displayed) grace minutes."""
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return now < self.closes_at + timedelta(minutes=self.grace_minutes)

    def get_required_stages_display(self) -> list[str]:
        return [Stage(stage).label for stage in self.required_stages]


class CohortPartner(RulesModel):
    """A partner's part in one cohort: its role and what it contributes."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="cohort_partners"
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="cohort_partners",
    )
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    contribution = models.TextField(_("contribution"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("cohort partner")
        verbose_name_plural = _("cohort partners")
        ordering = ["display_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "partner", "role"],
                name="cohort_partner_role_unique",
                violation_error_message=_("This partner already has this role in this cohort."),
            ),
        ]
        rules_permissions = cohort_rules.COHORT_PART_PERMISSIONS

    def __str__(self) -> str:
        return f"{self.partner} ({self.get_role_display()})"


class Question(RulesModel):
    """A question of a cohort's application form."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("label"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    word_limit = models.PositiveIntegerField(
        _("word limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For long texts."),
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For single and multiple choice: one per line.")
    )
    file_types = models.JSONField(
        _("accepted file types"),
        default=list,
        blank=True,
        help_text=_("For file questions: any of pdf, png, jpeg, webp. Empty: PDF only."),
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Seeded as an example; edit it freely.")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(word_limit__isnull=True) | Q(word_limit__gte=1),
                name="question_word_limit_positive",
                violation_error_message=_("A word limit must be at least 1."),
            ),
        ]
        rules_permissions = cohort_rules.COHORT_PART_PERMISSIONS

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        if self.kind in CHOICE_QUESTION_KINDS and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})
        if self.kind not in CHOICE_QUESTION_KINDS and self.choices.strip():
            raise ValidationError(
                {"choices": _("Only single and multiple choice questions have choices.")}
            )
        if self.word_limit and self.kind != QuestionKind.LONG_TEXT:
            raise ValidationError({"word_limit": _("Only long texts have a word limit.")})
        if not isinstance(self.file_types, list) or set(self.file_types) - set(FileType.values):
            raise ValidationError({"file_types": _("Choose among: pdf, png, jpeg, webp.")})

    @property
    def accepted_file_types(self) -> list[str]:
        return self.file_types or [FileType.PDF]

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RubricCriterion(RulesModel):
    """A criterion reviewers score; the weighted sum ranks applications."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    guidance = models.TextField(_("guidance for reviewers"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=1,
        help_text=_("0 shows the criterion apart, not counted in the score."),
    )
    scale_max = models.PositiveSmallIntegerField(
        _("scale maximum"),
        default=5,
        # A score is normalised as (s − 1) / (scale_max − 1): a scale of one point says nothing.
        validators=[MinValueValidator(2, _("The scale must go up to at least 2."))],
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Seeded as an example; edit it freely.")
    )

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="criterion_weight_not_negative",
                violation_error_message=_("A weight cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gte=2),
                name="criterion_scale_at_least_two",
                violation_error_message=_("The scale must go up to at least 2."),
            ),
        ]
        rules_permissions = cohort_rules.COHORT_PART_PERMISSIONS

    def __str__(self) -> str:
        return self.name


class InterviewCriterion(RulesModel):
    """A criterion of the cohort's second, short rubric: the one interview panels score."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE,
        related_name="interview_criteria",
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    guidance = models.TextField(_("guidance for the panel"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    scale_max = models.PositiveSmallIntegerField(
        _("scale maximum"), default=5,
        validators=[MinValueValidator(2, _("The scale must go up to at least 2."))],
    )  # fmt: skip
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("Seeded as an example; edit it freely.")
    )

    class Meta:
        verbose_name = _("interview criterion")
        verbose_name_plural = _("interview criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="interview_criterion_weight_not_negative",
                violation_error_message=_("A weight cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gte=2),
                name="interview_criterion_scale_at_least_two",
                violation_error_message=_("The scale must go up to at least 2."),
            ),
        ]
        rules_permissions = cohort_rules.COHORT_PART_PERMISSIONS

    def __str__(self) -> str:
        return self.name
