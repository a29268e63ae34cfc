"""What a submitted version holds, and its fingerprint."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

PROFILE_FIELDS = [
    "name", "website", "country", "city", "year_founded", "stage", "team_size", "legal_entity",
    "siren", "funding_raised", "pitch", "foundation_models", "other_model_name",
    "compute_gpu_hours_per_month", "github_url", "hugging_face_url", "demo_url",
]  # fmt: skip


def application_content(application, answers: dict | None = None) -> dict:
    """The answers (with the question as it was asked), the profile and the team, as they are
    now."""
    startup = application.startup
    if answers is None:
        answers = {answer.question_id: answer.value for answer in application.answers.all()}
    profile = {field: getattr(startup, field) for field in PROFILE_FIELDS}
    profile["country"] = str(profile["country"] or "")
    profile["referred_by"] = startup.referred_by.name if startup.referred_by_id else ""
    return {
        "cohort": {"program": application.cohort.program.slug, "cohort": application.cohort.slug},
        "answers": [
            {
                "question": question.pk,
                "label": question.label,
                "kind": question.kind,
                "value": answers.get(question.pk, ""),
            }
            for question in application.cohort.questions.all()
        ],
        "profile": profile,
        "team": [
            {
                "user": m.user_id,
                "name": m.user.get_full_name(),
                "role": m.role,
                "linkedin": m.linkedin_url,
            }
            for m in startup.memberships.select_related("user")
        ],
        "deck": {
            "file": application.pitch_deck.name,
            "sha256": application.pitch_deck_sha256,
            "pages": application.pitch_deck_pages,
        }
        if application.pitch_deck
        else None,
    }


def content_sha256(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def submission_files(content: dict) -> set[str]:
    """The files a submitted version refers to: its deck and its file answers."""
    deck = content.get("deck") or {}
    names = {deck.get("file") or ""}
    for answer in content.get("answers", []):
        value = answer.get("value")
        if isinstance(value, dict):
            names.add(value.get("file") or "")
    return {name for name in names if name}
