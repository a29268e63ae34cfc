"""What the reviews app holds about a person, for their data export."""

from notifications.personal_data import iso

from .enums import ConflictSource
from .models import Conflict, Review, Reviewer


def reviewer_data_export(user) -> dict:
    """The reviews part of the user's data export (registered with accounts): their reviewer
    roles, the reviews they wrote with every field as saved, and their conflicts of interest.
    An application is named by its id, never its startup (a blind cohort hides the name from
    its reviewers); of a conflict, the note is given where they wrote it (declared), and
    neither where it came from nor what matched (staff read what a startup named, reviewers
    never do)."""
    roles = Reviewer.objects.filter(user=user).select_related("cohort__program", "partner")
    reviews = (
        Review.objects.filter(reviewer__user=user)
        .select_related("reviewer__cohort")
        .prefetch_related("fields", "reviewer__cohort__criteria")
        .order_by("started_at", "pk")
    )
    conflicts = Conflict.objects.filter(user=user).select_related("application__cohort")
    return {
        "reviewer_roles": [
            {
                "program": role.cohort.program.name,
                "cohort": role.cohort.name,
                "invited_address": role.email,
                "on_behalf_of": role.partner.name if role.partner_id else None,
                "invited_at": iso(role.invited_at),
                "accepted_at": iso(role.accepted_at),
                "ended_at": iso(role.revoked_at),
            }
            for role in roles
        ],
        "reviews": [_review(review) for review in reviews],
        "conflicts_of_interest": [
            {
                "application": conflict.application_id,
                "cohort": conflict.application.cohort.name,
                "kind": conflict.kind,
                "state": conflict.state,
                "note": conflict.note if conflict.source == ConflictSource.DECLARED else "",
                "recorded_at": iso(conflict.created_at),
                "decided_at": iso(conflict.decided_at),
            }
            for conflict in conflicts
        ],
    }


def _review(review: Review) -> dict:
    criteria = {f"{c.pk}": (order, c.name) for order, c in
                enumerate(review.reviewer.cohort.criteria.all())}  # fmt: skip
    fields = []
    for field in review.fields.all():
        kind, _colon, criterion_id = field.key.partition(":")
        order, name = criteria.get(criterion_id, (-1, None))
        fields.append((kind, order, {
            "field": kind,
            "criterion": name,
            "value": field.value,
            "saved_at": iso(field.updated_at),
        }))  # fmt: skip
    fields = [entry for _kind, _order, entry in sorted(fields, key=lambda f: f[:2])]
    return {
        "application": review.application_id,
        "cohort": review.reviewer.cohort.name,
        "started_at": iso(review.started_at),
        "submitted_at": iso(review.submitted_at),
        "fields": fields,
    }
