"""A cohort's ranking, as the last fit left it: one row per cohort (the fit's figures and its
schedule), one per ranked application and one per reviewer. Written only by
services.ranking_compute; pages read these tables and never fit."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

DEFAULT_DISAGREEMENT = 0.25


class Ranking(models.Model):
    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.CASCADE, primary_key=True, related_name="ranking"
    )
    # The schedule: a fit starts at most once a minute (the task claims `next_allowed_at` in
    # one conditional UPDATE); a request that comes too early is published again for then.
    inputs_changed_at = models.DateTimeField(null=True, blank=True)
    next_allowed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    disagreement_threshold = models.FloatField(
        _("disagreement threshold"),
        default=DEFAULT_DISAGREEMENT,
        help_text=_("Flag an application when its highest and lowest weighted scores (0 to 1) "
                    "are further apart than this."),
    )  # fmt: skip
    # The last fit: what it read, what it estimated.
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    inputs_hash = models.CharField(max_length=64, blank=True)
    seed = models.CharField(max_length=20, blank=True)
    k = models.PositiveSmallIntegerField(default=5)
    draws = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)
    reviewer_count = models.PositiveIntegerField(default=0)
    application_count = models.PositiveIntegerField(default=0)
    mu = models.FloatField(null=True, blank=True)
    tau2 = models.FloatField(null=True, blank=True)
    sigma_b2 = models.FloatField(null=True, blank=True)
    sigma2 = models.FloatField(null=True, blank=True)
    em_iterations = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    # [{"reviewer": id, "reviewer_name", "entered": [[application id, startup name]], "left"}]
    # (names as of the fit, so the page reads them without a query)
    leave_one_out = models.JSONField(default=list, blank=True)
    groups = models.JSONField(default=list, blank=True)  # reviewer ids by connected group
    # Calibrated scores in bins: [{"low", "high", "count"}], for the page's histogram.
    score_histogram = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        constraints = [
            models.CheckConstraint(
                condition=Q(disagreement_threshold__gte=0) & Q(disagreement_threshold__lte=1),
                name="ranking_disagreement_within_scores",
            ),
            models.CheckConstraint(
                condition=(Q(tau2__isnull=True) | Q(tau2__gt=0))
                & (Q(sigma_b2__isnull=True) | Q(sigma_b2__gt=0))
                & (Q(sigma2__isnull=True) | Q(sigma2__gt=0)),
                name="ranking_variances_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} ({self.computed_at})"

    @property
    def changed_since(self) -> bool:
        return bool(
            self.computed_at
            and self.inputs_changed_at
            and self.inputs_changed_at > self.computed_at
        )


class ApplicationEstimate(models.Model):
    """One ranked application: its reviews as counted, and, when it has any, the model's
    estimates (empty otherwise)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, primary_key=True,
        related_name="estimate",
    )  # fmt: skip
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    reviews_submitted = models.PositiveSmallIntegerField(default=0)
    reviews_excluded = models.PositiveSmallIntegerField(default=0)
    raw_mean = models.FloatField(null=True, blank=True)
    spread = models.FloatField(null=True, blank=True)  # highest − lowest weighted score
    calibrated_score = models.FloatField(null=True, blank=True)  # μ + posterior mean quality
    quality_sd = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)  # by calibrated score
    expected_rank = models.FloatField(null=True, blank=True)
    rank_50_low = models.PositiveIntegerField(null=True, blank=True)
    rank_50_high = models.PositiveIntegerField(null=True, blank=True)
    rank_90_low = models.PositiveIntegerField(null=True, blank=True)
    rank_90_high = models.PositiveIntegerField(null=True, blank=True)
    p_top = models.FloatField(null=True, blank=True)
    criterion_means = models.JSONField(default=dict, blank=True)  # {"c<criterion id>": mean score}
    recommendations = models.JSONField(default=dict, blank=True)  # {code: count}

    class Meta:
        verbose_name = _("application estimate")
        verbose_name_plural = _("application estimates")
        indexes = [
            models.Index(fields=["cohort", "rank"], name="estimate_cohort_rank"),
            models.Index(fields=["cohort", "-p_top"], name="estimate_cohort_p_top"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(p_top__isnull=True) | (Q(p_top__gte=0) & Q(p_top__lte=1)),
                name="estimate_probability",
            ),
            models.CheckConstraint(
                condition=Q(rank_90_low__isnull=True)
                | (
                    Q(rank_90_low__lte=F("rank_50_low"))
                    & Q(rank_50_low__lte=F("rank_50_high"))
                    & Q(rank_50_high__lte=F("rank_90_high"))
                ),
                name="estimate_intervals_nested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.rank}"


class ReviewerLeniency(models.Model):
    reviewer = models.OneToOneField(
        "reviews.Reviewer", on_delete=models.CASCADE, primary_key=True, related_name="leniency"
    )
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    leniency = models.FloatField()
    low_90 = models.FloatField()
    high_90 = models.FloatField()
    reviews = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("reviewer leniency")
        verbose_name_plural = _("reviewer leniencies")
        constraints = [
            models.CheckConstraint(
                condition=Q(low_90__lte=F("leniency")) & Q(leniency__lte=F("high_90")),
                name="leniency_within_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id}: {self.leniency:+.3f}"


# --- Decisions (#18)


class DecisionOutcome(models.TextChoices):
    WINNER = "winner", _("Winner")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")


class Decision(models.Model):
    """Staff's decision on one application: pending (staff-only, changeable) until the cohort's
    publication applies it and sets `published_at`; from then on it is what the startup is
    told. The cohort's pending winners never outnumber its capacity: services.decision_set
    checks under a row lock on the cohort."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, primary_key=True,
        related_name="decision",
    )  # fmt: skip
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=DecisionOutcome.choices)
    waitlist_position = models.PositiveSmallIntegerField(_("waitlist position"), null=True,
                                                         blank=True)  # fmt: skip
    note = models.TextField(_("note (staff only)"), blank=True)
    feedback = models.TextField(
        _("feedback for the startup"), blank=True,
        help_text=_("Shown to the startup with the decision, and in its email."),
    )  # fmt: skip
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="waitlisted", waitlist_position__isnull=False)
                | (~Q(outcome="waitlisted") & Q(waitlist_position__isnull=True)),
                name="decision_waitlist_position_iff_waitlisted",
            ),
            models.UniqueConstraint(
                fields=["cohort", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="decision_one_application_per_waitlist_place",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "outcome"], name="decision_cohort_outcome")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"

    @property
    def is_pending(self) -> bool:
        return self.published_at is None


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("A decision record never changes.")

    def delete(self):
        raise PermissionDenied("A decision record is never deleted.")


class DecisionRecord(models.Model):
    """The frozen record of a cohort's publication: canonical JSON (sorted keys, UTF-8) of
    the cohort, the estimates, each application's scores and decision, the lottery, who
    published and when, with no names, notes or feedback (pages join those at display time,
    so anonymisation and deletion leave the record whole), and its SHA-256. It never changes:
    save() of a stored row, update() and delete() raise, and database triggers refuse UPDATE
    and DELETE (migration selection 0002), TRUNCATE on PostgreSQL and INSERT OR REPLACE on
    SQLite (0005). In production the app's own role may only INSERT and SELECT it
    (deploy/app_role.sql). The records are chained: each names the one before it (`previous`,
    one next per record, so the chain never forks) and holds its hash, so rewriting one breaks
    the next; selection/record.py says how to verify one.

    A migration that alters this table on SQLite rebuilds it, which drops its triggers: it
    must create them again, as 0005 does."""

    cohort = models.OneToOneField(
        "cohorts.Cohort", on_delete=models.PROTECT, related_name="decision_record"
    )
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    # The record published before this one (any cohort); NULL for the first. Version 1 records
    # (made before the chain) were linked in their order by migration 0005, their content
    # unchanged.
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="next_record")  # fmt: skip

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")
        constraints = [
            # One record starts the chain (NULL counts as 0), the OneToOne one next per record.
            models.UniqueConstraint(Coalesce("previous", Value(0)),
                                    name="decision_record_one_chain_start"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.cohort_id}: {self.sha256}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("A decision record never changes.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("A decision record is never deleted.")


class Lottery(models.Model):
    """A draw among equals for the cohort's last places, in two steps so the order is on the
    record: first the group and the estimates' hash (`recorded_at`), then the 32 random bytes,
    the seed SHA-256(estimates' hash, group, bytes) and the result. One per cohort: a draw is
    final."""

    cohort = models.OneToOneField("cohorts.Cohort", on_delete=models.CASCADE,
                                  related_name="lottery")  # fmt: skip
    group = models.JSONField()  # application ids, sorted
    places = models.PositiveSmallIntegerField()
    estimates_hash = models.CharField(max_length=64)
    # The estimates it hashed, as their canonical JSON (selection/record.py): a later fit
    # replaces the cohort's estimates, the record still shows what the draw stood on. Empty
    # for a lottery recorded before it was kept.
    estimates = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField()
    random_bytes = models.CharField(max_length=64, blank=True)  # hex
    seed = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=list, blank=True)  # the drawn application ids, in order
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lottery")
        verbose_name_plural = _("lotteries")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="lottery_at_least_one_place"),
            models.CheckConstraint(
                condition=Q(drawn_at__isnull=True, random_bytes="")
                | (Q(drawn_at__isnull=False) & ~Q(random_bytes="")),
                name="lottery_bytes_iff_drawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}: {self.result}"


# --- Offers (#19)


class OfferState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn by staff")


class Offer(models.Model):
    """A place offered to a published winner, to accept or decline by `reply_by` (fixed when
    the first decision email to the startup is sent; until then it cannot expire). A place
    freed by a decline, an expiry or a withdrawal is offered to the first waitlisted: the new
    offer `replaces` the old one, one to one, so a place is promoted once."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="offer"
    )
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=OfferState.choices,
                             default=OfferState.PENDING)  # fmt: skip
    reply_by = models.DateTimeField(_("reply by"), null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by")  # fmt: skip
    created_at = models.DateTimeField(_("created at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")  # fmt: skip
    conditions_version = models.CharField(max_length=64, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    # Staff extended the reply-by date: [{"by": user id, "at": iso, "from": iso, "to": iso}]
    extensions = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending") | Q(answered_at__isnull=False),
                name="offer_answered_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | ~Q(conditions_version=""),
                name="offer_accepted_conditions_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.state}"


# --- Interviews (#17) ------------------------------------------------------------------------


class InterviewSlot(models.Model):
    """A time a panel interviews one startup. Two startups never hold one slot: the booking's
    one-to-one slot column says so in the database."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE,
        related_name="interview_slots",
    )  # fmt: skip
    starts_at = models.DateTimeField(_("starts at"))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    place = models.CharField(
        _("place"), max_length=300, help_text=_("A Station F room, or a video link.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(duration__gt=0), name="slot_duration_positive"),
            models.UniqueConstraint(
                fields=["cohort", "starts_at", "place"], name="slot_once_per_time_and_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} ({self.place})"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration)


class InterviewPanelist(models.Model):
    """One person on a slot's panel (a member of staff or a reviewer of the cohort)."""

    slot = models.ForeignKey(InterviewSlot, on_delete=models.CASCADE, related_name="panelists")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_panels"
    )

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.UniqueConstraint(fields=["slot", "user"], name="panelist_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.slot_id}"


class InterviewInvitation(models.Model):
    """A shortlisted application invited to book an interview. `sequence` numbers the versions
    of its calendar event (one UID per application): every booking, move or cancellation
    raises it."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, primary_key=True,
        related_name="interview_invitation",
    )  # fmt: skip
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("interview invitation")
        verbose_name_plural = _("interview invitations")

    def __str__(self) -> str:
        return f"{self.application_id} ({self.sent_at:%Y-%m-%d})"


class InterviewBooking(models.Model):
    """The slot an invited startup holds. One slot per startup and one startup per slot: both
    are unique columns, so two clicks at once end with one booking."""

    slot = models.OneToOneField(
        InterviewSlot, on_delete=models.CASCADE, related_name="booking", verbose_name=_("slot")
    )
    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="interview_booking"
    )
    booked_at = models.DateTimeField(_("booked at"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("interview booking")
        verbose_name_plural = _("interview bookings")

    def __str__(self) -> str:
        return f"{self.application_id} → {self.slot_id}"


class InterviewScore(models.Model):
    """One panel member's scores and notes on one interview, saved as they type."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="interview_scores"
    )
    # PROTECT: an account's deletion moves its scores to a stand-in first
    # (selection.interviews.panelist_data_delete).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interview_scores"
    )
    scores = models.JSONField(default=dict, blank=True)  # {"c<criterion id>": score}
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("interview score")
        verbose_name_plural = _("interview scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "user"], name="interview_score_once_per_panelist"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} / {self.user_id}"
