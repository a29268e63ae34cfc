"""Everything the app holds about a person, to give it to them or to erase it."""

from notifications.personal_data import iso

from .models import Application, ApplicationEvent, Submission
from .selectors import APPLICANT_VISIBLE
from .snapshots import PROFILE_FIELDS


def applicant_data_export(user) -> dict:
    """The applications part of the user's data export (registered with accounts): their
    startups' profiles and their roles in them, their startups' applications with every
    submitted version and the history they can see."""
    memberships = user.memberships.select_related("startup").order_by("joined_at")
    startups = [membership.startup for membership in memberships]
    applications = (
        Application.objects.filter(startup__in=startups)
        .select_related("startup", "cohort__program")
        .prefetch_related(
            "answers__question", "submissions", "extensions", "named_conflicts__partner"
        )
        .order_by("created_at")
    )
    events = ApplicationEvent.objects.filter(
        application__in=applications, to_status__in=APPLICANT_VISIBLE
    ).order_by("at")
    return {
        "startups": [
            {
                "id": membership.startup.pk,
                "role": membership.role,
                "linkedin": membership.linkedin_url,
                "joined_at": iso(membership.joined_at),
                "profile": {
                    field: str(getattr(membership.startup, field) or "")
                    if field == "country"
                    else getattr(membership.startup, field)
                    for field in PROFILE_FIELDS
                },
            }
            for membership in memberships
        ],
        "applications": [
            {
                "id": application.pk,
                "startup": application.startup_id,
                "program": application.cohort.program.name,
                "cohort": application.cohort.name,
                "started_at": iso(application.created_at),
                "submitted_at": iso(application.submitted_at),
                "pitch_deck": application.pitch_deck.name or None,
                "answers": [
                    {"question": answer.question.label, "value": answer.value}
                    for answer in application.answers.all()
                ],
                "submitted_versions": [
                    {
                        "number": submission.number,
                        "submitted_at": iso(submission.submitted_at),
                        "sha256": submission.sha256,
                        "content": submission.content,
                    }
                    for submission in application.submissions.all()
                ],
                "extensions": [
                    # The reason is staff's own note: the startup gets the message it was sent.
                    {"closes_at": iso(extension.closes_at), "message": extension.message}
                    for extension in application.extensions.all()
                ],
                # Kept apart from the submitted versions: staff read it, reviewers never do.
                "conflicts_named": [
                    {
                        "partner": named.partner.name if named.partner_id else None,
                        "organisation": named.organisation,
                        "person_name": named.person_name,
                        "person_email": named.person_email,
                        "kind": named.kind,
                        "named_at": iso(named.created_at),
                    }
                    for named in application.named_conflicts.all()
                ],
                "history": [
                    {"at": iso(event.at), "status": event.to_status, "note": event.note}
                    for event in events
                    if event.application_id == application.pk
                ],
            }
            for application in applications
        ],
    }


def redacted_content(content: dict) -> dict:
    """A submitted version with its personal data gone and the numbers statistics need kept:
    which questions were answered, the country and stage, the deck's page count."""
    profile = content.get("profile", {})
    deck = content.get("deck") or {}
    return {
        "cohort": content.get("cohort"),
        "answers": [
            {
                "question": answer.get("question"),
                "kind": answer.get("kind"),
                "answered": bool(answer.get("value")),
            }
            for answer in content.get("answers", [])
        ],
        "profile": {"country": profile.get("country"), "stage": profile.get("stage")},
        "team": {"size": len(content.get("team", []))},
        "deck": {"pages": deck.get("pages")} if deck else None,
        "redacted": True,
    }


def submissions_redact(applications) -> None:
    from .models.applications import redaction_allowed

    with redaction_allowed():
        for submission in Submission.objects.filter(application__in=applications):
            submission.content = redacted_content(submission.content)
            submission.save(update_fields=["content"])
