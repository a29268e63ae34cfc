"""Reviewers of a cohort, their assignments, the conflicts that bind them, and their reviews.

A review's fields are saved one by one as the reviewer types (like an application's answers:
raw, versioned, never validated on save); submitting checks them all."""

import re

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import AssignmentEnd, ConflictKind, ConflictSource, ConflictState

DEFAULT_MAX_ASSIGNMENTS = 15


class Reviewer(models.Model):
    """Someone invited to review one cohort's applications, optionally on behalf of one of its
    partners. The invitation is accepted by a signed-in user whose verified address is the
    invited one; until then `user` is empty."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE,
        related_name="reviewers",
    )  # fmt: skip
    email = models.EmailField(_("invited address"))
    # PROTECT: an account's deletion moves its roles (and reviews) to a stand-in first
    # (reviews.services.reviewer_data_delete); a user deleted any other way would take them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="reviewer_roles",
    )  # fmt: skip
    partner = models.ForeignKey(
        "cohorts.Partner", verbose_name=_("on behalf of"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="reviewers",
    )  # fmt: skip
    max_assignments = models.PositiveSmallIntegerField(
        _("maximum number of applications"), default=DEFAULT_MAX_ASSIGNMENTS,
        validators=[MinValueValidator(1)],
    )  # fmt: skip
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("invitation expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    invitation_email_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=Q(user__isnull=False, revoked_at__isnull=True),
                name="reviewer_once_per_cohort",
                violation_error_message=_("This person already reviews this cohort."),
            ),
            models.UniqueConstraint(
                "cohort",
                Lower("email"),
                condition=Q(revoked_at__isnull=True),
                name="reviewer_invited_once_per_cohort",
                violation_error_message=_("This address is already invited to this cohort."),
            ),
            models.CheckConstraint(
                condition=Q(max_assignments__gte=1), name="reviewer_takes_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.email} → {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.accepted_at is not None and self.revoked_at is None

    def is_pending(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class Assignment(models.Model):
    """A reviewer asked to review one application. Ending it (staff unassign, the reviewer
    hands it back, a conflict, a withdrawal) keeps the row, with why."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="assignments"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=AssignmentEnd.choices, blank=True)
    hand_back_reason = models.TextField(_("reason for handing back"), blank=True)
    # Set on an assignment made for a review staff requested from the ranking: it can be
    # written until then, whatever reviews_close_at says.
    writable_until = models.DateTimeField(_("can be written until"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application"],
                condition=Q(ended_at__isnull=True),
                name="assignment_active_once",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                name="assignment_ended_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application_id}"


class ReviewRequest(models.Model):
    """Staff asked for one more review of an application (from the ranking's uncertain band):
    it then needs one more reviewer than the cohort's reviews_per_application, and the review
    can be written until `writable_until`."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="review_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    writable_until = models.DateTimeField(_("can be written until"))

    class Meta:
        verbose_name = _("request for one more review")
        verbose_name_plural = _("requests for one more review")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(writable_until__gt=models.F("requested_at")),
                name="review_request_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"+1 · {self.application_id}"


class Conflict(models.Model):
    """A conflict of interest between a person (a reviewer or a manager) and an application:
    one row per pair, with where it came from and its state. Only confirmed conflicts bind. A
    dismissed row stays, so that the suggestion it was never comes back. A deleted account's
    conflicts stay with its stand-in, with `email_digest` in place of the address, so that the
    person is in conflict again if they come back with it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts"
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConflictKind.choices)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ConflictSource.choices)
    state = models.CharField(_("state"), max_length=10, choices=ConflictState.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What matched: the shared domain, the name or email the startup gave, the partner.
    detail = models.CharField(_("what matched"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    # accounts.personal_data.address_digest() of a deleted account's address; never the address.
    email_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "application"], name="conflict_once"),
        ]
        indexes = [
            models.Index(
                fields=["email_digest"],
                condition=~Q(email_digest=""),
                name="conflict_email_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ✕ {self.application_id} ({self.get_state_display()})"


class Review(models.Model):
    """One reviewer's review of one application, on the submitted version it read."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="reviews")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="reviews"
    )
    submission = models.ForeignKey(
        "applications.Submission", verbose_name=_("version read"), on_delete=models.PROTECT,
        related_name="reviews",
    )  # fmt: skip
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="review_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.application_id}"


# ASCII: \d alone also matches "３", which int() reads as 3.
FIELD_KEY = re.compile(
    r"^(score:\d+|comment:\d+|recommendation|confidence|private_note)\Z", re.ASCII
)


class ReviewField(models.Model):
    """One field of a review as typed: a criterion's score or comment, the recommendation, the
    confidence, the private note. `version` grows with each save (a stale tab cannot overwrite
    a newer text)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="fields")
    key = models.CharField(max_length=40)
    value = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="review_field_once"),
        ]

    def __str__(self) -> str:
        return f"{self.review} / {self.key}"
