"""Every write of the reviews app, one function per state change; each docstring lists its
side effects."""

import secrets
from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accelerator.text import UNSTORABLE_MESSAGE, has_unstorable_characters
from accounts.personal_data import address_digest, address_digests
from accounts.services import account_stand_in
from applications.models import Application, Membership
from applications.selectors import latest_submission
from notifications.models import EmailKind
from notifications.services import addressed_emails_erase, email_queue, email_render

from .assignment import Plan, plan_assignments
from .conflicts import cohort_people, findings_for
from .enums import (
    NOT_APPLICABLE,
    AssignmentEnd,
    Confidence,
    ConflictSource,
    ConflictState,
    Recommendation,
)
from .models import (
    DEFAULT_MAX_ASSIGNMENTS,
    FIELD_KEY,
    Assignment,
    Conflict,
    Review,
    Reviewer,
    ReviewField,
    ReviewRequest,
)
from .scoring import parse_score
from .selectors import (
    REVIEWABLE_STATUSES,
    applications_under_review,
    assignment_input,
    review_change_problem,
)
from .signals import scores_changed

INVITATION_LIFETIME = timedelta(days=14)
FIELD_MAX_CHARACTERS = 10_000


class ReviewError(Exception):
    """A change that cannot be made; `problems` are shown to the person, one per line."""

    def __init__(self, *problems: str):
        super().__init__(" ".join(problems))
        self.problems = list(problems)


class ReviewFieldConflict(Exception):
    """The field was saved elsewhere (another tab) since this one was loaded."""

    def __init__(self, field: ReviewField):
        super().__init__("newer version saved elsewhere")
        self.field = field


@transaction.atomic
def reviewer_invite(
    *,
    cohort,
    email: str,
    invited_by,
    base_url: str,
    partner=None,
    max_assignments: int = DEFAULT_MAX_ASSIGNMENTS,
) -> Reviewer:
    """Invite someone to review the cohort, optionally on behalf of one of its partners.
    Side effects: an email with the acceptance link (a secret kind: hidden from staff, cleared
    once sent), in the inviter's language, filed under the cohort."""
    email = email.strip()
    now = timezone.now()
    reviewer = Reviewer(
        cohort=cohort, email=email, partner=partner, max_assignments=max_assignments,
        token=secrets.token_urlsafe(32), invited_by=invited_by, invited_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )  # fmt: skip
    try:
        with transaction.atomic():
            reviewer.save()
    except IntegrityError as error:
        raise ReviewError(
            gettext("%(email)s is already invited to review this cohort.") % {"email": email}
        ) from error
    with translation.override(invited_by.language):
        context = {
            "reviewer": reviewer,
            "cohort": cohort,
            "inviter": invited_by,
            "accept_url": base_url + reverse("reviewer_invitation", args=[reviewer.token]),
            "site_name": settings.SITE_NAME,
        }
        sent = email_queue(
            kind=EmailKind.REVIEWER_INVITATION,
            to_address=email,
            **email_render("reviewer_invitation", context),
            language=invited_by.language,
            cohort_id=cohort.pk,
        )
    Reviewer.objects.filter(pk=reviewer.pk).update(invitation_email_id=sent.pk)
    return reviewer


@transaction.atomic
def reviewer_invitation_accept(*, token: str, user) -> Reviewer:
    """Accept an invitation to review: only a signed-in user whose verified address is the
    invited one, within 14 days, unless revoked. Side effects: none beyond the role."""
    reviewer = Reviewer.objects.select_for_update().filter(token=token).first()
    if reviewer is None or not reviewer.is_pending():
        raise ReviewError(gettext("This invitation is no longer valid: ask for a new one."))
    if not EmailAddress.objects.filter(
        user=user, email__iexact=reviewer.email, verified=True
    ).exists():
        raise ReviewError(
            gettext(
                "This invitation is for %(email)s. Log in with that address, verified, to "
                "accept it."
            )
            % {"email": reviewer.email}
        )
    if Reviewer.objects.filter(
        cohort_id=reviewer.cohort_id, user=user, revoked_at__isnull=True
    ).exists():
        raise ReviewError(gettext("You already review this cohort."))
    reviewer.user = user
    reviewer.accepted_at = timezone.now()
    reviewer.save(update_fields=["user", "accepted_at"])
    conflicts_refresh_soon(cohort=reviewer.cohort, user_ids=[user.pk])
    return reviewer


@transaction.atomic
def reviewer_revoke(*, reviewer: Reviewer) -> None:
    """Withdraw an invitation or a reviewer role. Side effects: their assignments end (a
    submitted review is kept)."""
    now = timezone.now()
    Reviewer.objects.filter(pk=reviewer.pk).update(revoked_at=now)
    Assignment.objects.filter(reviewer=reviewer, ended_at__isnull=True).update(
        ended_at=now, end_reason=AssignmentEnd.UNASSIGNED
    )


def _scores_changed(cohort_id: int) -> None:
    scores_changed.send(sender=Review, cohort_id=cohort_id)


def _has_confirmed_conflict(user_id, application_id) -> bool:
    return Conflict.objects.filter(
        user_id=user_id, application_id=application_id, state=ConflictState.CONFIRMED
    ).exists()


@transaction.atomic
def assignment_create(*, reviewer: Reviewer, application, created_by) -> Assignment:
    """Ask a reviewer of the application's cohort to review it, by hand. Refused for an
    application that was never submitted or is withdrawn, a reviewer who has not accepted,
    one with a confirmed conflict, or one at their maximum."""
    reviewer = Reviewer.objects.select_for_update().get(pk=reviewer.pk)
    if reviewer.cohort_id != application.cohort_id or not reviewer.is_active:
        raise ReviewError(gettext("Only a reviewer who accepted to review this cohort can be "
                                  "assigned."))  # fmt: skip
    if application.status not in REVIEWABLE_STATUSES:
        raise ReviewError(gettext("Only submitted applications are reviewed."))
    if application.screened_out_at is not None:
        raise ReviewError(gettext("This application is screened out: it is not reviewed."))
    if (
        _has_confirmed_conflict(reviewer.user_id, application.pk)
        or Membership.objects.filter(
            startup_id=application.startup_id, user_id=reviewer.user_id
        ).exists()
    ):
        raise ReviewError(gettext("This reviewer has a conflict of interest with this startup."))
    active = Assignment.objects.filter(reviewer=reviewer, ended_at__isnull=True)
    if active.filter(application=application).exists():
        raise ReviewError(gettext("This reviewer is already assigned to this application."))
    if active.count() >= reviewer.max_assignments:
        raise ReviewError(
            gettext("This reviewer already has %(count)d applications, their maximum.")
            % {"count": reviewer.max_assignments}
        )
    return Assignment.objects.create(
        reviewer=reviewer, application=application, created_by=created_by
    )


def assignment_end(*, assignment: Assignment, reason: AssignmentEnd, hand_back_reason=""):
    """End an assignment, keeping the row and why (a submitted review is kept)."""
    Assignment.objects.filter(pk=assignment.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason, hand_back_reason=hand_back_reason
    )


def assignment_hand_back(*, assignment: Assignment, reason: str) -> None:
    """A reviewer gives back an assignment they have not started, saying why (staff read it).
    Refused once a field of the review is saved."""
    if not reason.strip():
        raise ReviewError(gettext("Say why you hand it back."))
    if Review.objects.filter(reviewer=assignment.reviewer,
                             application=assignment.application_id).exists():  # fmt: skip
        raise ReviewError(gettext("You have started this review: finish it, or ask the program "
                                  "to unassign you."))  # fmt: skip
    assignment_end(assignment=assignment, reason=AssignmentEnd.HANDED_BACK,
                   hand_back_reason=reason.strip())  # fmt: skip


@transaction.atomic
def assignments_apply_plan(*, cohort, by) -> Plan:
    """Assign automatically: fill every empty slot of the cohort's applications under review
    that the rules allow (reviews/assignment.py), keeping every existing assignment. The plan
    is computed again here, with the cohort's reviewers locked (hand assignments, conflict
    declarations and another run wait), so a preview gone stale cannot break a rule. Side
    effects: the new assignments (reviewers find them in their queue; no email). Returns the
    plan applied."""
    list(Reviewer.objects.select_for_update().filter(cohort=cohort).order_by("pk").values("pk"))
    plan = plan_assignments(**assignment_input(cohort))
    now = timezone.now()
    Assignment.objects.bulk_create(
        [
            Assignment(
                reviewer_id=reviewer_id,
                application_id=application_id,
                created_at=now,
                created_by=by,
            )
            for reviewer_id, application_id in plan.pairs
        ],
        batch_size=2_000,
    )
    return plan


# How long a review requested from the ranking can be written, whatever reviews_close_at says.
REQUESTED_REVIEW_DAYS = 7


@transaction.atomic
def review_requests_create(*, cohort, application_ids, by, now=None) -> Plan:
    """Ask for one more review of each application (the ranking's uncertain band): each then
    needs one more reviewer, assigned at once under the automatic assignment's rules (only
    these applications; the cohort's reviewers locked as for "Assign automatically"). Side
    effects: one ReviewRequest per application; the new assignments, each writable for
    REQUESTED_REVIEW_DAYS days even after reviews close (they appear in the reviewers' queues;
    no email). Returns the plan applied: its `unfilled` says which got no reviewer, and why."""
    now = now or timezone.now()
    list(Reviewer.objects.select_for_update().filter(cohort=cohort).order_by("pk").values("pk"))
    ids = list(
        applications_under_review(cohort)
        .filter(pk__in=list(application_ids))
        .values_list("pk", flat=True)
    )
    writable_until = now + timedelta(days=REQUESTED_REVIEW_DAYS)
    ReviewRequest.objects.bulk_create(
        ReviewRequest(application_id=pk, requested_by=by, requested_at=now,
                      writable_until=writable_until)
        for pk in ids
    )  # fmt: skip
    plan = plan_assignments(**assignment_input(cohort, application_ids=ids))
    Assignment.objects.bulk_create(
        Assignment(reviewer_id=reviewer_id, application_id=application_id, created_at=now,
                   created_by=by, writable_until=writable_until)
        for reviewer_id, application_id in plan.pairs
    )  # fmt: skip
    return plan


@transaction.atomic
def conflict_declare(*, user, application, kind: str, note: str = "") -> Conflict:
    """A reviewer declares a conflict of interest: confirmed at once, removable only by staff.
    Side effects: the user's assignments to the application end; a review they submitted is
    kept but no longer counts (scores_changed); the program's managers (but one in conflict
    with it) are told by email."""
    # Waits for an automatic assignment under way, whose new pairs then end here too.
    list(Reviewer.objects.select_for_update().filter(user=user, cohort_id=application.cohort_id)
         .values("pk"))  # fmt: skip
    conflict, _created = Conflict.objects.update_or_create(
        user=user,
        application=application,
        defaults={"kind": kind, "note": note.strip(), "state": ConflictState.CONFIRMED},
        create_defaults={
            "kind": kind, "note": note.strip(), "state": ConflictState.CONFIRMED,
            "source": ConflictSource.DECLARED, "created_by": user,
        },
    )  # fmt: skip
    now = timezone.now()
    Assignment.objects.filter(
        reviewer__user=user, application=application, ended_at__isnull=True
    ).update(ended_at=now, end_reason=AssignmentEnd.CONFLICT)
    cohort = application.cohort
    _scores_changed(cohort.pk)
    # A manager in conflict with the application is not told of it: another one decides.
    managers = cohort.program.managers.filter(is_active=True).exclude(
        conflicts__application=application, conflicts__state=ConflictState.CONFIRMED
    )
    for manager in managers:
        with translation.override(manager.language):
            context = {"conflict": conflict, "cohort": cohort, "application": application,
                       "reviewer": user, "site_name": settings.SITE_NAME}  # fmt: skip
            email_queue(
                kind=EmailKind.CONFLICT_DECLARED,
                to_address=manager.email,
                recipient=manager,
                **email_render("conflict_declared", context),
                language=manager.language,
                cohort_id=cohort.pk,
                idempotency_key=f"conflict-declared:{conflict.pk}:{manager.pk}:{now.isoformat()}",
            )
    return conflict


def _conflict_binds(conflict: Conflict) -> None:
    """What a confirmed conflict does at once: the person's assignments to the application
    end (a submitted review is kept, and no longer counts)."""
    Assignment.objects.filter(
        reviewer__user_id=conflict.user_id, application_id=conflict.application_id,
        ended_at__isnull=True,
    ).update(ended_at=timezone.now(), end_reason=AssignmentEnd.CONFLICT)  # fmt: skip


def _conflict_applications(cohort, application_ids=None):
    applications = Application.objects.filter(cohort=cohort, status__in=REVIEWABLE_STATUSES)
    if application_ids is not None:
        applications = applications.filter(pk__in=list(application_ids))
    return applications.select_related("startup").prefetch_related(
        Prefetch("startup__memberships", queryset=Membership.objects.select_related("user")),
        "startup__invitations",
        "named_conflicts__partner",
    )


def _keeps(row: Conflict, finding) -> bool:
    """Whether a recorded conflict stays as it is: confirmed already; a finding that only
    suggests; dismissed by staff, unless the person is a member of the startup."""
    if row.state == ConflictState.CONFIRMED or not finding.binds:
        return True
    return row.state == ConflictState.DISMISSED and finding.source != ConflictSource.AUTOMATIC


@transaction.atomic
def conflicts_refresh(*, cohort, application_ids=None, user_ids=None) -> list[Conflict]:
    """Find the conflicts between the cohort's submitted applications (or these) and its
    reviewers and managers (or these users), and record what is new: a member or invitee of
    the startup, or an address it named, is a confirmed conflict (source automatic, or named
    by the startup); a name it named, a partner it named that the person reviews for, or a
    shared registrable domain is a suggestion for staff to confirm or dismiss. A dismissed
    row never changes (the suggestion never comes back); a suggestion becomes confirmed when
    a binding finding comes; a member's conflict binds even where staff dismissed another
    finding. Returns the rows created or changed. Side effects: a newly confirmed conflict
    ends the person's assignments to the application, and the reviews that count change
    (scores_changed)."""
    people = cohort_people(cohort, user_ids=user_ids)
    if not people:
        return []
    applications = list(_conflict_applications(cohort, application_ids))
    existing = {
        (conflict.user_id, conflict.application_id): conflict
        for conflict in Conflict.objects.select_for_update().filter(
            application__in=[application.pk for application in applications],
            user_id__in=[person.user_id for person in people],
        )
    }
    now = timezone.now()
    changed = []
    for application in applications:
        for finding in findings_for(application, people):
            row = existing.get((finding.user_id, application.pk))
            fields = {"source": finding.source, "state": finding.state, "kind": finding.kind,
                      "detail": finding.detail[:300]}  # fmt: skip
            if row is None:
                try:
                    # A refresh running at the same moment (a reviewer accepting while the
                    # startup submits) may have recorded the same pair: it is found, not lost.
                    with transaction.atomic():
                        row = Conflict.objects.create(
                            user_id=finding.user_id, application=application, created_at=now,
                            **fields,
                        )  # fmt: skip
                except IntegrityError:
                    continue
            elif _keeps(row, finding):
                continue
            else:
                for name, value in fields.items():
                    setattr(row, name, value)
                row.save(update_fields=list(fields))
            if row.state == ConflictState.CONFIRMED:
                _conflict_binds(row)
            changed.append(row)
    if any(row.state == ConflictState.CONFIRMED for row in changed):
        _scores_changed(cohort.pk)
    return changed


def conflicts_anonymise(*, application) -> int:
    """Drop what a conflict of an anonymised application copied of the startup's data (the
    names, emails and domains that matched, and notes); the conflicts themselves stay."""
    return Conflict.objects.filter(application=application).update(detail="", note="")


def conflicts_refresh_soon(*, cohort, application_ids=None, user_ids=None) -> None:
    """Refresh now, and once more after commit: a reviewer who accepts while their startup
    submits is in two transactions that cannot see each other's rows; whichever commits last
    sees both after its commit."""
    conflicts_refresh(cohort=cohort, application_ids=application_ids, user_ids=user_ids)
    transaction.on_commit(
        partial(conflicts_refresh, cohort=cohort, application_ids=application_ids,
                user_ids=user_ids),
        robust=True,
    )  # fmt: skip


def conflicts_refresh_application(*, application) -> None:
    """After a submission, a change of the startup's team or of the conflicts it named."""
    if application.status in REVIEWABLE_STATUSES:
        conflicts_refresh_soon(cohort=application.cohort, application_ids=[application.pk])


@transaction.atomic
def conflict_confirm(*, conflict: Conflict, decided_by) -> Conflict:
    """Staff confirm a suggestion (or a dismissed one, changing their mind). Side effects: the
    person's assignments to the application end; a review they submitted no longer counts
    (scores_changed)."""
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    conflict.state = ConflictState.CONFIRMED
    conflict.decided_at, conflict.decided_by = timezone.now(), decided_by
    conflict.save(update_fields=["state", "decided_at", "decided_by"])
    _conflict_binds(conflict)
    _scores_changed(conflict.application.cohort_id)
    return conflict


@transaction.atomic
def conflict_dismiss(*, conflict: Conflict, decided_by) -> Conflict:
    """Staff dismiss a suggestion, or lift a confirmed conflict: the row stays, dismissed, so
    that recomputing never brings it back. A member's own conflict with their startup cannot
    be lifted. The person is not assigned again by itself. Side effects: lifting a confirmed
    conflict changes the reviews that count (scores_changed)."""
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    was_binding = conflict.state == ConflictState.CONFIRMED
    if conflict.source == ConflictSource.AUTOMATIC:
        raise ReviewError(gettext("A member of the startup, or someone invited to it, is always "
                                  "in conflict with its application."))  # fmt: skip
    conflict.state = ConflictState.DISMISSED
    conflict.decided_at, conflict.decided_by = timezone.now(), decided_by
    conflict.save(update_fields=["state", "decided_at", "decided_by"])
    if was_binding:
        _scores_changed(conflict.application.cohort_id)
    return conflict


def conflict_remove(*, conflict: Conflict, decided_by=None) -> None:
    """Staff lift a conflict (it stays, dismissed). The reviewer is not assigned again by
    itself."""
    conflict_dismiss(conflict=conflict, decided_by=decided_by)


@transaction.atomic
def conflict_add(*, user, application, kind: str, note: str = "", created_by) -> Conflict:
    """Staff record a conflict by hand: confirmed at once (a suggestion or a dismissed row for
    the same pair becomes it). Side effects: the person's assignments to the application end;
    a review they submitted no longer counts (scores_changed)."""
    now = timezone.now()
    conflict, _created = Conflict.objects.update_or_create(
        user=user,
        application=application,
        defaults={"kind": kind, "note": note.strip(), "state": ConflictState.CONFIRMED,
                  "source": ConflictSource.STAFF, "decided_at": now, "decided_by": created_by},
        create_defaults={
            "kind": kind, "note": note.strip(), "state": ConflictState.CONFIRMED,
            "source": ConflictSource.STAFF, "created_by": created_by, "created_at": now,
            "decided_at": now, "decided_by": created_by,
        },
    )  # fmt: skip
    _conflict_binds(conflict)
    _scores_changed(application.cohort_id)
    return conflict


def _field_problem(key: str, value: str, criteria: dict) -> str:
    if has_unstorable_characters(value):
        return str(UNSTORABLE_MESSAGE)
    if len(value) > FIELD_MAX_CHARACTERS:
        return gettext("Keep this under %(limit)d characters.") % {"limit": FIELD_MAX_CHARACTERS}
    if key.startswith("score:"):
        criterion = criteria.get(int(key.split(":")[1]))
        if criterion is None:
            return gettext("This criterion is not in the rubric.")
        if value not in ("", NOT_APPLICABLE) and parse_score(value, criterion.scale_max) is None:
            return gettext("Choose a score from 1 to %(max)d, or not applicable.") % {
                "max": criterion.scale_max
            }
    if key.startswith("comment:") and int(key.split(":")[1]) not in criteria:
        return gettext("This criterion is not in the rubric.")
    # Only what the form offers: anything else would reach the exports and the ranking.
    if key == "recommendation" and value not in ("", *Recommendation.values):
        return gettext("Choose one of the recommendations offered.")
    if key == "confidence" and value not in ("", *Confidence.values):
        return gettext("Choose one of the confidence levels offered.")
    return ""


def review_field_save(*, assignment: Assignment, key: str, value: str, base_version: int):
    """Save one field of the reviewer's review as they type (the review is started by its
    first save, on the application's latest submitted version). Refused with
    ReviewFieldConflict when the field changed since `base_version`; with ReviewError once
    reviews have closed, for a value a field cannot hold, or for a change that would leave a
    submitted review incomplete."""
    if not FIELD_KEY.match(key):
        raise ReviewError(gettext("This field is not part of the review."))
    application = assignment.application
    cohort = application.cohort
    closed = review_change_problem(cohort, assignment=assignment)
    if closed:
        raise ReviewError(closed)
    criteria = {criterion.pk: criterion for criterion in cohort.criteria.all()}
    problem = _field_problem(key, value, criteria)
    if problem:
        raise ReviewError(problem)
    review = Review.objects.filter(reviewer=assignment.reviewer, application=application).first()
    if review is None:
        submission = latest_submission(application)
        review, _created = Review.objects.get_or_create(
            reviewer=assignment.reviewer, application=application,
            defaults={"submission": submission},
        )  # fmt: skip
    if review.submitted_at and not value.strip() and _required_key(key):
        raise ReviewError(gettext("A submitted review keeps this answer: change it, do not "
                                  "empty it."))  # fmt: skip
    now = timezone.now()
    saved = ReviewField(review=review, key=key, value=value, version=base_version + 1,
                        updated_at=now)  # fmt: skip
    if ReviewField.objects.filter(review=review, key=key, version=base_version).update(
        value=value, version=base_version + 1, updated_at=now
    ):
        if review.submitted_at and key.startswith(("score:", "recommendation")):
            _scores_changed(cohort.pk)
        return saved
    if base_version == 0:
        try:
            with transaction.atomic():
                saved.save(force_insert=True)
            return saved
        except IntegrityError:
            pass
    current = ReviewField.objects.filter(review=review, key=key).first()
    raise ReviewFieldConflict(current or ReviewField(review=review, key=key, version=0))


def _required_key(key: str) -> bool:
    return key.startswith("score:") or key in ("recommendation", "confidence")


def review_missing(criteria, values: dict[str, str]) -> list[str]:
    """What a review still needs before it can be submitted, one line each."""
    missing = [
        gettext("A score (or “not applicable”) for %(criterion)s.") % {"criterion": c.name}
        for c in criteria
        if values.get(f"score:{c.pk}", "") != NOT_APPLICABLE
        and parse_score(values.get(f"score:{c.pk}", ""), c.scale_max) is None
    ]
    if values.get("recommendation") not in Recommendation.values:
        missing.append(gettext("Your recommendation."))
    if values.get("confidence") not in Confidence.values:
        missing.append(gettext("Your confidence."))
    return missing


@transaction.atomic
def review_submit(*, assignment: Assignment) -> Review:
    """Submit the reviewer's review once complete (every criterion scored or not applicable,
    a recommendation, a confidence), before reviews close. Side effects: the other reviews of
    the application become visible to this reviewer; scores_changed (the ranking follows)."""
    closed = review_change_problem(assignment.application.cohort, assignment=assignment)
    if closed:
        raise ReviewError(closed)
    review = (
        Review.objects.select_for_update()
        .filter(reviewer=assignment.reviewer, application=assignment.application)
        .first()
    )
    criteria = list(assignment.application.cohort.criteria.all())
    values = {} if review is None else dict(review.fields.values_list("key", "value"))
    missing = review_missing(criteria, values)
    if missing:
        raise ReviewError(*missing)
    if review.submitted_at is None:
        Review.objects.filter(pk=review.pk).update(submitted_at=timezone.now())
        review.refresh_from_db()
        _scores_changed(assignment.application.cohort_id)
    return review


def application_assignments_end(*, application, reason: AssignmentEnd) -> int:
    """End every active assignment of an application (it was withdrawn or screened out)."""
    return Assignment.objects.filter(application=application, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason
    )


# --- A deleted account --------------------------------------------------------------------------


def reviewer_data_delete(user) -> None:
    """The reviews part of an account's deletion (registered with accounts, run inside its
    transaction before the user row goes): nothing the decision rests on is lost. The user's
    reviewer roles, with their reviews, and their conflicts of interest move to the account's
    stand-in (accounts.services.account_stand_in), so the reviews that counted still count and
    a confirmed conflict still excludes its review; the roles lose the invited address and
    end (their active assignments end, ACCOUNT_DELETED) and their invitation emails are erased
    (notifications.services.addressed_emails_erase); the conflicts lose what matched and
    keep a keyed digest of the address instead (see conflicts_reclaim). Side effects: none on
    the ranking (the same reviews count, under the same reviewer rows)."""
    # Waits for an automatic assignment under way in one of their cohorts (it locks them too).
    locked = list(Reviewer.objects.select_for_update().filter(user=user).values_list("pk"))
    roles = Reviewer.objects.filter(user=user)
    conflicts = Conflict.objects.filter(user=user)
    if not locked and not conflicts.exists():
        return
    stand_in = account_stand_in(user)
    now = timezone.now()
    Assignment.objects.filter(reviewer__user=user, ended_at__isnull=True).update(
        ended_at=now, end_reason=AssignmentEnd.ACCOUNT_DELETED
    )
    roles.filter(revoked_at__isnull=True).update(revoked_at=now)
    addressed_emails_erase(
        email_ids=roles.exclude(invitation_email_id=None).values_list(
            "invitation_email_id", flat=True
        ),
        user=user,
    )
    roles.update(user=stand_in, email=stand_in.email)
    # What matched (a name or an address the startup gave, a domain) was about the person.
    conflicts.update(user=stand_in, email_digest=address_digest(user.email), detail="")


@transaction.atomic
def conflicts_reclaim(*, user, email: str) -> list[Conflict]:
    """Someone verified an address whose deleted account had conflicts of interest: they are
    in the same conflicts again. Each conflict kept under the address's digest is copied to
    them (the stand-in keeps its own, which still excludes its reviews); where they already
    have a row for the application, a confirmed conflict makes it confirmed. Returns the rows
    created or changed. Side effects: a confirmed one ends their assignments to the
    application, and where they submitted a review of it, the reviews that count change
    (scores_changed)."""
    kept = list(
        Conflict.objects.filter(email_digest__in=address_digests(email))
        .exclude(user=user)
        .select_related("application")
        .order_by("pk")
    )
    changed = []
    for row in kept:
        mine = (
            Conflict.objects.select_for_update()
            .filter(user=user, application_id=row.application_id)
            .first()
        )
        if mine is None:
            mine = Conflict.objects.create(
                user=user, application_id=row.application_id, kind=row.kind, note=row.note,
                source=row.source, state=row.state, created_at=row.created_at,
                decided_at=row.decided_at, decided_by_id=row.decided_by_id,
            )  # fmt: skip
        elif row.state == ConflictState.CONFIRMED and mine.state != ConflictState.CONFIRMED:
            mine.state, mine.kind, mine.source = row.state, row.kind, row.source
            mine.save(update_fields=["state", "kind", "source"])
        else:
            continue
        changed.append(mine)
        if mine.state == ConflictState.CONFIRMED:
            _conflict_binds(mine)
            if Review.objects.filter(
                reviewer__user=user, application_id=mine.application_id,
                submitted_at__isnull=False,
            ).exists():  # fmt: skip
                _scores_changed(row.application.cohort_id)
    return changed
