from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import NamedConflictKind


class NamedConflict(models.Model):
    """An organisation (one of the cohort's partners, or named in free text) or a person (a
    name and, optionally, an email) the startup says it has a conflict of interest with. The
    startup's own data, kept apart from the submitted versions that reviewers read: staff see
    it, reviewers never do."""

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="named_conflicts",
    )  # fmt: skip
    partner = models.ForeignKey(
        "cohorts.Partner", verbose_name=_("partner"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    person_name = models.CharField(_("person's name"), max_length=200, blank=True)
    person_email = models.EmailField(_("person's email"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NamedConflictKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conflict named by the startup")
        verbose_name_plural = _("conflicts named by the startup")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(organisation="") | ~Q(person_name=""),
                name="named_conflict_names_someone",
                violation_error_message=_("Name an organisation or a person."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.person_name:
            return (
                f"{self.person_name} <{self.person_email}>"
                if self.person_email
                else (self.person_name)
            )
        return self.partner.name if self.partner_id else self.organisation
