from django.db import models
from django.utils.translation import gettext_lazy as _


class ConflictKind(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    ADVISER = "adviser", _("Adviser")
    COMPETITOR = "competitor", _("Competitor")
    FORMER_COLLEAGUE = "former_colleague", _("Former colleague")
    PERSONAL = "personal", _("Personal")
    OTHER = "other", _("Other")
    MEMBER = "member", _("Member of the startup")
    SAME_ORGANISATION = "same_organisation", _("Same organisation")


class ConflictSource(models.TextChoices):
    """Who (or what) found it. Declared, automatic and staff conflicts are confirmed from the
    start; a named email is confirmed, a named name a suggestion; domain and partner matches
    are suggestions."""

    DECLARED = "declared", _("Declared by the reviewer")
    NAMED_BY_STARTUP = "named_by_startup", _("Named by the startup")
    AUTOMATIC = "automatic", _("Member of the startup, or invited to it")
    DOMAIN = "domain", _("Same email or website domain")
    PARTNER = "partner", _("On behalf of a partner the startup named")
    STAFF = "staff", _("Set by staff")


class ConflictState(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class AssignmentEnd(models.TextChoices):
    UNASSIGNED = "unassigned", _("Unassigned by staff")
    HANDED_BACK = "handed_back", _("Handed back by the reviewer")
    CONFLICT = "conflict", _("Conflict of interest")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    SCREENED_OUT = "screened_out", _("Application screened out")
    ACCOUNT_DELETED = "account_deleted", _("The reviewer's account was deleted")


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", _("Strong yes")
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# A criterion's score field holds a number from 1 to its scale maximum, or this.
NOT_APPLICABLE = "n/a"
