"""Everything the app holds about a person, to give it to them or to erase it."""

from datetime import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from .models import Application, ApplicationEvent, OutgoingEmail, Submission
from .selectors import APPLICANT_VISIBLE
from .snapshots import PROFILE_FIELDS


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def personal_data_export(user) -> dict:
    """The user's account, their startups' profiles and teams, their applications with every
    submitted version and the history they can see, and the emails sent to them (codes and
    links excepted: those are cleared once sent)."""
    memberships = user.memberships.select_related("startup").order_by("joined_at")
    startups = [membership.startup for membership in memberships]
    applications = (
        Application.objects.filter(startup__in=startups)
        .select_related("startup", "cohort__program")
        .prefetch_related("answers__question", "submissions", "extensions")
        .order_by("created_at")
    )
    events = ApplicationEvent.objects.filter(
        application__in=applications, to_status__in=APPLICANT_VISIBLE
    ).order_by("at")
    emails = OutgoingEmail.objects.filter(recipient=user) | OutgoingEmail.objects.filter(
        to_address__iexact=user.email
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
        },
        "startups": [
            {
                "id": membership.startup.pk,
                "role": membership.role,
                "linkedin": membership.linkedin_url,
                "joined_at": _iso(membership.joined_at),
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
                "started_at": _iso(application.created_at),
                "submitted_at": _iso(application.submitted_at),
                "pitch_deck": application.pitch_deck.name or None,
                "answers": [
                    {"question": answer.question.label, "value": answer.value}
                    for answer in application.answers.all()
                ],
                "submitted_versions": [
                    {
                        "number": submission.number,
                        "submitted_at": _iso(submission.submitted_at),
                        "sha256": submission.sha256,
                        "content": submission.content,
                    }
                    for submission in application.submissions.all()
                ],
                "extensions": [
                    {"closes_at": _iso(extension.closes_at), "reason": extension.reason}
                    for extension in application.extensions.all()
                ],
                "history": [
                    {"at": _iso(event.at), "status": event.to_status, "note": event.note}
                    for event in events
                    if event.application_id == application.pk
                ],
            }
            for application in applications
        ],
        "emails": [
            {
                "kind": email.kind,
                "to": email.to_address,
                "subject": email.subject,
                "state": email.state,
                "created_at": _iso(email.created_at),
                "sent_at": _iso(email.sent_at),
                # A code or link still waiting to be sent is for the mailbox, not an export.
                "text": "" if email.carries_secret else email.body_text,
            }
            for email in emails.distinct().order_by("created_at")
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
