import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cohorts.enums import Stage
from notifications.models import CONTROL_CHARACTERS

from ..enums import FoundationModel, FundingRange


def validate_hugging_face_url(value: str) -> None:
    if not re.match(r"^https://(www\.)?huggingface\.co/[^/\s]+", value):
        raise ValidationError(
            _("Give a Hugging Face address, such as https://huggingface.co/your-organisation."),
            code="hugging_face_url",
        )


def validate_github_url(value: str) -> None:
    if not re.match(r"^https://(www\.)?github\.com/[^/\s]+", value):
        raise ValidationError(
            _("Give a GitHub address, such as https://github.com/your-organisation."),
            code="github_url",
        )


def validate_linkedin_url(value: str) -> None:
    if not re.match(r"^https://([a-z]{2,3}\.)?linkedin\.com/", value):
        raise ValidationError(
            _("Give a LinkedIn address, such as https://www.linkedin.com/in/your-name."),
            code="linkedin_url",
        )


NAME_WITH_CONTROL_CHARACTERS = _(
    "A name cannot hold line breaks, tabs or other control characters: write it on one line."
)


def validate_one_line(value: str) -> None:
    """A name goes into email subjects: a line break there would make every email fail."""
    if re.search(CONTROL_CHARACTERS, value) or "\x00" in value:
        raise ValidationError(NAME_WITH_CONTROL_CHARACTERS, code="control_characters")


class Startup(models.Model):
    """A company (or, for research calls, a research team) that applies; its members edit it."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    website = models.URLField(_("website"), blank=True)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    team_size = models.PositiveSmallIntegerField(
        _("team size"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    legal_entity = models.CharField(
        _("legal entity"), max_length=200, blank=True, help_text=_("For example: Acme AI SAS.")
    )
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("A SIREN number has nine digits."))],
    )
    funding_raised = models.CharField(
        _("funding raised so far"), max_length=20, choices=FundingRange.choices, blank=True
    )
    pitch = models.TextField(_("pitch"), blank=True, help_text=_("One paragraph."))
    foundation_models = models.JSONField(
        _("open foundation models"),
        default=list,
        blank=True,
        help_text=_("The open foundation models your product builds on."),
    )
    other_model_name = models.CharField(_("other model"), max_length=120, blank=True)
    compute_gpu_hours_per_month = models.PositiveIntegerField(
        _("compute needed (GPU-hours per month)"), null=True, blank=True
    )
    referred_by = models.ForeignKey(
        "cohorts.Partner",
        verbose_name=_("referred by partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_startups",
    )
    github_url = models.URLField(_("GitHub"), blank=True, validators=[validate_github_url])
    hugging_face_url = models.URLField(
        _("Hugging Face organisation or model"),
        blank=True,
        validators=[validate_hugging_face_url],
    )
    demo_url = models.URLField(_("demo"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="startups"
    )

    class Meta:
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        ordering = ["name"]
        constraints = [
            # A regex lookup: PostgreSQL runs it natively, SQLite through Django's REGEXP.
            models.CheckConstraint(
                condition=~Q(name__regex=CONTROL_CHARACTERS),
                name="startup_name_one_line",
                violation_error_message=NAME_WITH_CONTROL_CHARACTERS,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def foundation_model_labels(self) -> list[str]:
        return [
            FoundationModel(code).label
            for code in self.foundation_models or []
            if code in FoundationModel.values
        ]

    @property
    def profile_links(self) -> list[str]:
        return [url for url in (self.github_url, self.hugging_face_url, self.demo_url) if url]

    def clean(self) -> None:
        super().clean()
        unknown = set(self.foundation_models or []) - set(FoundationModel.values)
        if not isinstance(self.foundation_models, list) or unknown:
            raise ValidationError({"foundation_models": _("Choose among the models listed.")})
        if FoundationModel.OTHER in self.foundation_models and not self.other_model_name.strip():
            raise ValidationError({"other_model_name": _("Name the other model you use.")})


class StartupPastName(models.Model):
    """A name or legal entity the startup gave up after its first submission: blind review
    still redacts it (founders may write "formerly …" in a later version)."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="past_names")
    name = models.CharField(_("name"), max_length=200)
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        verbose_name = _("past name")
        verbose_name_plural = _("past names")
        ordering = ["replaced_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "name"], name="startup_past_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=120, blank=True, help_text=_("For example: CTO."))
    linkedin_url = models.URLField(_("LinkedIn"), blank=True, validators=[validate_linkedin_url])
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["startup", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.startup}"


class Invitation(models.Model):
    """A co-founder invited by email; accepted only by a logged-in user whose verified address
    is the invited one, within 14 days, unless revoked."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The email that carries the link: the inviter is told when it could not be sent.
    outgoing_email = models.ForeignKey(
        "notifications.OutgoingEmail",
        verbose_name=_("email"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.startup}"

    def is_pending(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at
