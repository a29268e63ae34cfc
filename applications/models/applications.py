from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import connection, models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from ..decks import deck_file_name
from ..enums import EDITABLE_STATUSES, ApplicationStatus


def paris_date(moment):
    """The day a moment falls on in the program's time zone (Europe/Paris)."""
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)).date()


class _PrivateStorage(LazyObject):
    """storages["private"], looked up again when the STORAGES setting changes (as Django does
    for default_storage), so that a test can point it at a folder of its own."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _private_storage_reset(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def storages_private():
    """Files only their owners may read: never under MEDIA_URL, served by a view that checks."""
    return _private_storage


# Set only by services.application_transition(): any other write of Application.status, through
# save(), update() or bulk_update(), is refused.
_status_writes_allowed: ContextVar[bool] = ContextVar("status_writes_allowed", default=False)


class StatusChangeRefused(Exception):
    """A status was written outside application_transition()."""


@contextmanager
def status_writes_allowed():
    token = _status_writes_allowed.set(True)
    try:
        yield
    finally:
        _status_writes_allowed.reset(token)


def _refuse_status_write() -> None:
    if not _status_writes_allowed.get():
        raise StatusChangeRefused(
            "Application.status changes only through services.application_transition()."
        )


class ApplicationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "status" in kwargs:
            _refuse_status_write()
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        if "status" in fields:
            _refuse_status_write()
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        if any(obj.status != ApplicationStatus.DRAFT for obj in objs):
            _refuse_status_write()
        for obj in objs:
            if obj.started_on is None:
                obj.started_on = paris_date(obj.created_at)
        return super().bulk_create(objs, *args, **kwargs)


class Application(models.Model):
    """One startup's application to one cohort."""

    startup = models.ForeignKey(
        "applications.Startup",
        verbose_name=_("startup"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("cohort"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    privacy_notice_version = models.CharField(
        _("privacy notice accepted"), max_length=20, blank=True
    )
    privacy_accepted_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    pitch_deck = models.FileField(
        _("pitch deck"),
        storage=storages_private,
        upload_to=deck_file_name,
        blank=True,
        max_length=200,
    )
    pitch_deck_sha256 = models.CharField(_("pitch deck SHA-256"), max_length=64, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    pitch_deck_pages = models.PositiveSmallIntegerField(
        _("pitch deck pages"), null=True, blank=True
    )
    # Paris days, stored so that per-day counts are a GROUP BY on a column (TruncDate calls
    # back into Python for every row on SQLite).
    started_on = models.DateField(_("started on"), editable=False)
    submitted_on = models.DateField(_("first submitted on"), null=True, blank=True, editable=False)
    # Casefolded, accent-free words of the startup's name, its members' names and emails and
    # the answers of its latest submitted version: what staff search matches, the same way on
    # PostgreSQL and SQLite. Kept up to date by services.application_search_refresh().
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    # Screened out: submitted, but not to be reviewed (out of scope, ineligible). It leaves
    # assignment and the ranking until staff screen it back in, before decisions.
    screened_out_at = models.DateTimeField(_("screened out at"), null=True, blank=True)
    screened_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened out by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    screened_out_reason = models.TextField(_("reason for screening out"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["startup", "cohort"],
                name="application_one_per_startup_and_cohort",
                violation_error_message=_("Your startup already has an application to this call."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_known"
            ),
            models.CheckConstraint(
                condition=Q(screened_out_at__isnull=True) | ~Q(screened_out_reason=""),
                name="application_screened_out_says_why",
            ),
        ]
        # Staff lists order a cohort's applications by submission, newest first, drafts last:
        # an index on (cohort, submitted_at DESC NULLS LAST), which Django cannot declare on
        # both engines, is created by migration 0010.

    def __str__(self) -> str:
        return f"{self.startup} → {self.cohort}"

    def save(self, *args, **kwargs) -> None:
        if self.started_on is None:
            self.started_on = paris_date(self.created_at)
        expected = getattr(self, "_status_in_db", ApplicationStatus.DRAFT)
        if expected is None and self.pk:  # loaded with status deferred
            expected = type(self).objects.filter(pk=self.pk).values_list("status", flat=True)[0]
        if self.status != expected:
            _refuse_status_write()
        if self.pk and not self._state.adding and not _status_writes_allowed.get():
            # A copy loaded before a transition must not write its old status back.
            fields = kwargs.get("update_fields") or [
                field.attname for field in self._meta.concrete_fields if not field.primary_key
            ]
            kwargs["update_fields"] = [name for name in fields if name != "status"]
        super().save(*args, **kwargs)
        self._status_in_db = self.status

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._status_in_db = self.__dict__.get("status")

    @property
    def extension(self):
        """The latest extension granted, if any (prefetch `extensions` for lists)."""
        grants = sorted(self.extensions.all(), key=lambda grant: (grant.granted_at, grant.pk))
        return grants[-1] if grants else None

    def personal_closes_at(self):
        """The latest extension's closing time, or None. Autosave annotates it
        (`latest_extension_closes_at`) rather than loading the extensions."""
        if hasattr(self, "latest_extension_closes_at"):
            return self.latest_extension_closes_at
        extension = self.extension
        return extension.closes_at if extension else None

    @property
    def closes_at(self):
        """The cohort's closing time, or this startup's personal one."""
        return self.personal_closes_at() or self.cohort.closes_at

    def accepts_submissions(self, now=None) -> bool:
        now = now or timezone.now()
        personal = self.personal_closes_at()
        if personal is None:
            return self.cohort.accepts_submissions(now)
        opens_at = self.cohort.opens_at
        # An extension only ever adds time: never less than the cohort's own grace.
        cohort_deadline = self.cohort.closes_at + timedelta(minutes=self.cohort.grace_minutes)
        return (opens_at is None or opens_at <= now) and now < max(personal, cohort_deadline)

    def is_editable(self, now=None) -> bool:
        """Whether its answers, deck and files may still change: draft or submitted, before
        its closing time."""
        return self.status in EDITABLE_STATUSES and self.accepts_submissions(now)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._status_in_db = instance.__dict__.get("status")
        return instance


class Answer(models.Model):
    """What an applicant typed for one question, as typed: validated at submission, not on
    save. `version` grows with each save, so a stale tab cannot overwrite a newer text."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "cohorts.Question", on_delete=models.CASCADE, related_name="answers"
    )
    value = models.JSONField(_("value"), default=str, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.question}"


class ApplicationEvent(models.Model):
    """The history of an application's status: who moved it, when, from what to what, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The name at the time, kept when the account is deleted ("deleted user" then).
    actor_name = models.CharField(_("actor"), max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status or '—'} → {self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if self.actor_id and not self.actor_name:
            self.actor_name = self.actor.get_full_name()
        super().save(*args, **kwargs)


# Set only by the personal-data services (account deletion, retention): the one reason a
# submitted version may change is to erase personal data from it.
_redaction_allowed: ContextVar[bool] = ContextVar("redaction_allowed", default=False)


@contextmanager
def redaction_allowed():
    """Inside a transaction: lets the personal-data services rewrite submitted versions, in
    Python and past the database triggers that otherwise refuse it: on PostgreSQL a
    transaction-local setting, on SQLite a row that is deleted before the transaction ends
    (migrations 0007 and 0011)."""
    vendor = connection.vendor
    if vendor == "sqlite" and not connection.in_atomic_block:
        # Outside a transaction the row would be committed, and other connections would see it.
        raise RuntimeError("redaction_allowed() needs a transaction.")
    token = _redaction_allowed.set(True)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SET LOCAL accelerator.allow_submission_redaction = 'on'")
        elif vendor == "sqlite":
            cursor.execute("INSERT INTO applications_submission_redaction DEFAULT VALUES")
    try:
        yield
    finally:
        _redaction_allowed.reset(token)
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SET LOCAL accelerator.allow_submission_redaction = 'off'")
            elif vendor == "sqlite":
                cursor.execute("DELETE FROM applications_submission_redaction")


class SubmissionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if not _redaction_allowed.get():
            raise SubmissionImmutable("A submitted version never changes.")
        return super().update(**kwargs)


class SubmissionImmutable(Exception):
    """A submitted version was about to be changed."""


class Submission(models.Model):
    """What the startup sent, frozen at each submit: the answers, the profile, the team and the
    pitch deck's reference, with the SHA-256 of that content. Reviewers, exports and emails
    read the latest one, never the live draft."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    content = models.JSONField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="submission_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not _redaction_allowed.get():
            raise SubmissionImmutable("A submitted version never changes.")
        super().save(*args, **kwargs)


class Extension(models.Model):
    """A personal closing time granted to one startup's application; the latest grant applies.
    Its submit, countdown and reminders use it. The reason is for staff only; the startup sees
    the message, if any."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="extensions"
    )
    closes_at = models.DateTimeField(_("personal closing time"))
    reason = models.TextField(
        _("reason"), help_text=_("For staff only: never shown to the startup.")
    )
    message = models.TextField(
        _("message to the startup"),
        blank=True,
        help_text=_("Shown to the startup and sent to its members by email, if given."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["granted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.closes_at:%Y-%m-%d %H:%M}"
