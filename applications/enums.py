from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    WINNER = "winner", _("Winner")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined the offer")


S = ApplicationStatus

# Every status change the product allows, as data: from → the statuses it may become.
# application_transition() is the only code that reads it to write a status.
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    # A decision published straight from the ranking: submitted → winner, waitlisted, rejected.
    S.SUBMITTED: frozenset({S.SHORTLISTED, S.WINNER, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    # Back to submitted: un-shortlisted before the invitations to interview are sent.
    S.SHORTLISTED: frozenset({S.SUBMITTED, S.WINNER, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.WINNER, S.REJECTED, S.WITHDRAWN}),
    # After publication a winner leaves only through its offer (declined or expired); the
    # first waitlisted is promoted.
    S.WINNER: frozenset({S.DECLINED}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.DECLINED: frozenset(),
}

# Answers can change, and be submitted again, until the deadline.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.SUBMITTED})

# Decisions in the making: applicants see "under review" until decisions are published.
INTERNAL_STATUSES = frozenset({S.SHORTLISTED, S.WAITLISTED, S.WINNER, S.REJECTED})


class ApplicantStatus(models.TextChoices):
    """What an applicant is shown, derived from the status and the cohort's phase."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    # A stage meant to be seen, from the moment the invitations are sent (selection says when).
    INVITED_TO_INTERVIEW = "invited_to_interview", _("Invited to interview")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_SUBMITTED = "not_submitted", _("Not submitted")
    # Once the cohort's decisions are published (told by selection, see registries.py).
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("On the waiting list")
    NOT_SELECTED = "not_selected", _("Not selected")
    DECLINED = "declined", _("Offer declined")


class FundingRange(models.TextChoices):
    NONE = "none", _("None yet")
    UNDER_100K = "under_100k", _("Less than €100k")
    FROM_100K_TO_500K = "100k_500k", _("€100k to €500k")
    FROM_500K_TO_2M = "500k_2m", _("€500k to €2M")
    OVER_2M = "over_2m", _("More than €2M")


class FoundationModel(models.TextChoices):
    LLAMA_2 = "llama_2", "Llama 2"
    LLAMA_3 = "llama_3", "Llama 3"
    MISTRAL_7B = "mistral_7b", "Mistral 7B"
    MIXTRAL = "mixtral", "Mixtral"
    GEMMA = "gemma", "Gemma"
    FALCON = "falcon", "Falcon"
    BLOOM = "bloom", "BLOOM"
    OTHER = "other", _("Other")


class NamedConflictKind(models.TextChoices):
    """Why a startup names an organisation or a person: the same codes as the reviews' kinds
    of conflict, so a named conflict becomes one of theirs unchanged."""

    INVESTOR = "investor", _("Investor")
    ADVISER = "adviser", _("Adviser")
    COMPETITOR = "competitor", _("Competitor")
    FORMER_COLLEAGUE = "former_colleague", _("Former colleague")
    PERSONAL = "personal", _("Personal")
    OTHER = "other", _("Other")
