"""Decisions (#18): pending decisions under the cohort's capacity, the lottery among equals,
the publication that applies them all at once, and the frozen record. Every write here is one
function per state change; each docstring lists its side effects."""

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _lazy

from applications.enums import ApplicationStatus
from applications.models import Application, Membership
from applications.services import application_transition
from cohorts.models import Cohort
from cohorts.registries import outbox_hidden
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import email_queue, email_release, email_render, emails_void

from .interview_selectors import interview_summaries
from .models import (
    ApplicationEstimate,
    Decision,
    DecisionOutcome,
    DecisionRecord,
    Lottery,
    Offer,
    Ranking,
)
from .offers import offer_start_clock, offers_create
from .record import (
    LOTTERY_DRAW,
    RECORD_VERSION,
    canonical_json,
    estimates_hash_of,
    lottery_order,
    lottery_seed,
    sha256,
)

# Applications that need a decision before the cohort can be published.
UNDECIDED_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)
# The key of a promoted startup's decision email ends so (its waitlist email has none).
PROMOTION_KEY_SUFFIX = ":promotion"
OUTCOME_STATUS = {
    DecisionOutcome.WINNER: ApplicationStatus.WINNER,
    DecisionOutcome.WAITLISTED: ApplicationStatus.WAITLISTED,
    DecisionOutcome.REJECTED: ApplicationStatus.REJECTED,
}


class DecisionError(Exception):
    """A decision that cannot be made; its message is shown to the person."""


def _lock_cohort(cohort_id: int) -> Cohort:
    """The cohort's row, locked for this transaction: every change to its decisions takes it
    first, so two requests check the capacity one after the other."""
    return Cohort.objects.select_for_update().get(pk=cohort_id)


def after_capacity_check() -> None:
    """A test hook between the capacity check and the write (tests make it wait at a barrier:
    with the lock, only one request at a time ever gets there)."""


def _refuse_if_published(cohort: Cohort) -> None:
    if cohort.decisions_published_at is not None:
        raise DecisionError(gettext("The decisions of this cohort are published; they are final."))


@transaction.atomic
def decision_set(
    *,
    application: Application,
    outcome: str,
    actor,
    note: str = "",
    feedback: str = "",
    waitlist_position: int | None = None,
    now: datetime | None = None,
) -> Decision:
    """Set (or change) the pending decision on an application under review. Winners never
    outnumber the cohort's capacity: the cohort row is locked before counting. A waitlisted
    application without a position goes to the end of the list. Side effects: none outside the
    decision row; nobody is told until publication."""
    cohort = _lock_cohort(application.cohort_id)
    _refuse_if_published(cohort)
    application = Application.objects.get(pk=application.pk)
    if application.status not in UNDECIDED_STATUSES:
        raise DecisionError(gettext("Only an application under review can get a decision."))
    outcome = DecisionOutcome(outcome)
    others = Decision.objects.filter(cohort=cohort).exclude(application=application)
    if outcome == DecisionOutcome.WINNER and cohort.capacity is not None:
        winners = others.filter(outcome=DecisionOutcome.WINNER).count()
        if winners >= cohort.capacity:
            raise DecisionError(
                ngettext(
                    "This cohort takes %(capacity)d winner; it already has %(winners)d.",
                    "This cohort takes %(capacity)d winners; it already has %(winners)d.",
                    cohort.capacity,
                )
                % {"capacity": cohort.capacity, "winners": winners}
            )
    after_capacity_check()
    if outcome == DecisionOutcome.WAITLISTED:
        if waitlist_position is None:
            current = Decision.objects.filter(application=application).first()
            if current is not None and current.waitlist_position is not None:
                waitlist_position = current.waitlist_position
            else:
                last = others.aggregate(last=Max("waitlist_position"))["last"] or 0
                waitlist_position = last + 1
        elif waitlist_position < 1:
            raise DecisionError(gettext("A waitlist position starts at 1."))
        elif others.filter(waitlist_position=waitlist_position).exists():
            raise DecisionError(
                gettext("Position %(position)d on the waitlist is taken.")
                % {"position": waitlist_position}
            )
    else:
        waitlist_position = None
    decision, _ = Decision.objects.update_or_create(
        application=application,
        defaults={
            "cohort": cohort, "outcome": outcome, "waitlist_position": waitlist_position,
            "note": note, "feedback": feedback, "author": actor,
            "decided_at": now or timezone.now(),
        },
    )  # fmt: skip
    return decision


@transaction.atomic
def decision_clear(*, application: Application) -> None:
    """Drop the pending decision on an application. Side effects: none."""
    cohort = _lock_cohort(application.cohort_id)
    _refuse_if_published(cohort)
    Decision.objects.filter(application=application).delete()


def decision_drop_on_withdrawal(*, application: Application) -> None:
    """A startup withdrew: its pending decision goes (a published one stays, as history)."""
    Decision.objects.filter(application=application, published_at__isnull=True).delete()


@transaction.atomic
def decisions_reject_remaining(
    *, cohort: Cohort, actor, now: datetime | None = None, excluding=()
) -> int:
    """Reject, as pending decisions, every application under review still without one; staff
    click it on purpose. `excluding`: the applications the actor has a conflict of interest
    with, which another manager decides. Returns how many."""
    cohort = _lock_cohort(cohort.pk)
    _refuse_if_published(cohort)
    now = now or timezone.now()
    remaining = (
        Application.objects.filter(
            cohort=cohort, status__in=UNDECIDED_STATUSES, decision__isnull=True
        )
        .exclude(pk__in=list(excluding))
        .values_list("pk", flat=True)
    )
    rows = [
        Decision(
            application_id=pk,
            cohort=cohort,
            outcome=DecisionOutcome.REJECTED,
            author=actor,
            decided_at=now,
        )
        for pk in remaining
    ]
    Decision.objects.bulk_create(rows)
    return len(rows)


# --- Publication


@dataclass
class PublicationState:
    """What the confirmation page shows, and the fingerprint that publication checks again."""

    cohort: Cohort
    winners: list = field(default_factory=list)
    waitlist: list = field(default_factory=list)
    rejected: int = 0
    undecided: list = field(default_factory=list)
    fingerprint: str = ""

    @property
    def ready(self) -> bool:
        return (
            not self.undecided and not self.over_capacity
            and self.cohort.decisions_published_at is None
        )  # fmt: skip

    @property
    def over_capacity(self) -> str:
        """Why the winners cannot all be published ("" when they can): more than the cohort's
        capacity (set lower before the capacity had a floor)."""
        capacity = self.cohort.capacity
        if capacity is None or len(self.winners) <= capacity:
            return ""
        return ngettext(
            "This cohort takes %(capacity)d winner and %(winners)d are chosen: change winners "
            "to the waitlist, or raise the capacity, before publishing.",
            "This cohort takes %(capacity)d winners and %(winners)d are chosen: change winners "
            "to the waitlist, or raise the capacity, before publishing.",
            capacity,
        ) % {"capacity": capacity, "winners": len(self.winners)}


def publication_state(cohort: Cohort) -> PublicationState:
    """The pending decisions, the applications still without one, and a fingerprint of the
    decisions and of the ranking estimates: publication is refused when it changed."""
    decisions = list(
        Decision.objects.filter(cohort=cohort)
        .select_related("application__startup")
        .order_by("outcome", "waitlist_position", "application_id")
    )
    ranking = Ranking.objects.filter(cohort=cohort).first()
    state = PublicationState(cohort=cohort)
    for decision in decisions:
        if decision.outcome == DecisionOutcome.WINNER:
            state.winners.append(decision)
        elif decision.outcome == DecisionOutcome.WAITLISTED:
            state.waitlist.append(decision)
        else:
            state.rejected += 1
    state.undecided = list(
        Application.objects.filter(
            cohort=cohort, status__in=UNDECIDED_STATUSES, decision__isnull=True
        ).select_related("startup").order_by("pk")
    )  # fmt: skip
    state.fingerprint = sha256(
        canonical_json(
            {
                "decisions": [
                    [d.application_id, d.outcome, d.waitlist_position, d.feedback,
                     d.decided_at.isoformat()]
                    for d in sorted(decisions, key=lambda d: d.application_id)
                ],
                "undecided": [application.pk for application in state.undecided],
                "estimates": _estimates_identity(ranking),
            }
        )
    )  # fmt: skip
    return state


def _estimates_identity(ranking: Ranking | None) -> list:
    if ranking is None or ranking.computed_at is None:
        return [None, ""]
    return [ranking.computed_at.isoformat(), ranking.inputs_hash]


def estimate_entries(cohort: Cohort) -> list[dict]:
    """The cohort's stored estimates as the record lists them (selection/record.py)."""
    rows = ApplicationEstimate.objects.filter(cohort=cohort).order_by("application_id")
    return [_estimate_entry(e) for e in rows]


def estimates_hash(cohort: Cohort) -> str:
    """SHA-256 of the cohort's stored estimates, as canonical JSON (what a lottery draws on)."""
    return estimates_hash_of(estimate_entries(cohort))


def _estimate_entry(e: ApplicationEstimate) -> dict:
    return {
        "id": e.application_id, "raw_mean": e.raw_mean, "calibrated_score": e.calibrated_score,
        "quality_sd": e.quality_sd, "rank": e.rank, "expected_rank": e.expected_rank,
        "rank_50": [e.rank_50_low, e.rank_50_high], "rank_90": [e.rank_90_low, e.rank_90_high],
        "p_top": e.p_top,
    }  # fmt: skip


def record_content(*, cohort: Cohort, decisions: list, actor, now: datetime,
                   previous: DecisionRecord | None = None) -> dict:  # fmt: skip
    """The record's content: ids and figures only, never a name, note or feedback; its form
    is written down in selection/record.py."""
    ranking = Ranking.objects.filter(cohort=cohort).first()
    estimates = {e.application_id: e for e in ApplicationEstimate.objects.filter(cohort=cohort)}
    entries = [_estimate_entry(estimates[pk]) for pk in sorted(estimates)]
    lottery = Lottery.objects.filter(cohort=cohort, drawn_at__isnull=False).first()
    interviews = interview_summaries(cohort, [d.application_id for d in decisions])
    applications = []
    for decision in sorted(decisions, key=lambda d: d.application_id):
        estimate = estimates.get(decision.application_id)
        entry = _estimate_entry(estimate) if estimate else {"id": decision.application_id}
        # Each panel member's weighted score (0–1, None until complete) by user id, no
        # name, note or feedback; the mean of the complete ones.
        interview = interviews.get(decision.application_id)
        entry["interview_scores"] = [
            {"user": user_id, "score": score} for user_id, score in interview.scores
        ] if interview else []  # fmt: skip
        entry["interview_mean"] = interview.mean if interview else None
        entry["decision"] = decision.outcome
        entry["waitlist_position"] = decision.waitlist_position
        applications.append(entry)
    return {
        "version": RECORD_VERSION,
        "previous": None if previous is None else {"cohort": previous.cohort_id,
                                                   "sha256": previous.sha256},
        "cohort": {"id": cohort.pk, "capacity": cohort.capacity,
                   "k": ranking.k if ranking else None},
        "estimates": {
            "computed_at": ranking.computed_at.isoformat() if ranking and ranking.computed_at
            else None,
            "inputs_hash": ranking.inputs_hash if ranking else "",
            "sha256": estimates_hash_of(entries),
            "entries": entries,
        },
        "applications": applications,
        "lottery": None if lottery is None else {
            "group": lottery.group, "places": lottery.places,
            "estimates_hash": lottery.estimates_hash,
            "recorded_at": lottery.recorded_at.isoformat(),
            "random_bytes": lottery.random_bytes, "seed": lottery.seed, "result": lottery.result,
            "drawn_at": lottery.drawn_at.isoformat(), "draw": LOTTERY_DRAW,
            "estimates": json.loads(lottery.estimates) if lottery.estimates else None,
        },
        "published_by": actor.pk if actor else None,
        "published_at": now.isoformat(),
    }  # fmt: skip


@transaction.atomic
def decisions_publish(*, cohort: Cohort, actor, fingerprint: str, now: datetime | None = None
                      ) -> DecisionRecord:  # fmt: skip
    """Publish every pending decision of the cohort at once, if nothing changed since the
    confirmation page (`fingerprint`), none is missing and the winners fit the capacity read
    under the cohort's row lock, the lock every decision and capacity change takes; so two
    managers publishing together give one publication (the second is refused).

    Side effects: each application moves through application_transition() (an event each);
    the decisions get `published_at`; the cohort its `decisions_published_at` (its decided
    phase starts); the frozen DecisionRecord, chained to the one published before it (under
    a lock, so two cohorts publishing together never name the same one); one email to each
    manager of the program with the record's SHA-256, queued at once; one decision email per
    member of each startup, as an outbox draft in the member's language, that a person
    sends."""
    now = now or timezone.now()
    cohort = _lock_cohort(cohort.pk)
    if cohort.decisions_published_at is not None:
        raise DecisionError(gettext("These decisions are already published."))
    state = publication_state(cohort)
    if state.fingerprint != fingerprint:
        raise DecisionError(
            gettext(
                "The decisions or the ranking changed since you opened this page; check "
                "them again before publishing."
            )
        )
    if state.undecided:
        raise DecisionError(
            gettext("Every application under review needs a decision before publishing.")
        )
    if state.over_capacity:
        raise DecisionError(state.over_capacity)
    decisions = [*state.winners, *state.waitlist]
    decisions += list(Decision.objects.filter(cohort=cohort, outcome=DecisionOutcome.REJECTED)
                      .select_related("application__startup"))  # fmt: skip
    for decision in decisions:
        application_transition(application=decision.application,
                               to_status=OUTCOME_STATUS[decision.outcome], actor=actor,
                               note=gettext("Decision published"))  # fmt: skip
    Decision.objects.filter(cohort=cohort).update(published_at=now)
    Cohort.objects.filter(pk=cohort.pk).update(decisions_published_at=now)
    previous = _lock_record_chain()
    content = canonical_json(record_content(cohort=cohort, decisions=decisions, actor=actor,
                                            now=now, previous=previous))  # fmt: skip
    record = DecisionRecord.objects.create(
        cohort=cohort, content=content.decode(), sha256=sha256(content), created_at=now,
        previous=previous,
    )  # fmt: skip
    email_record_hash(record)
    offers_create(cohort=cohort, applications=[d.application for d in state.winners], now=now)
    for decision in decisions:
        decision.published_at = now
        draft_decision_emails(decision, cohort)
    return record


# Any constant: the key of the transaction-level advisory lock that orders the records' chain.
RECORD_CHAIN_LOCK = 0x5EC0DEC1


def _lock_record_chain() -> DecisionRecord | None:
    """The last record of the chain, read once no other publication can add one before this
    transaction ends: an advisory lock on PostgreSQL (the app's role may not lock the table
    itself); SQLite runs one writer at a time. The OneToOne on `previous` refuses a fork
    whatever happens."""
    _chain_lock()
    previous = DecisionRecord.objects.order_by("-pk").first()
    after_chain_read()
    return previous


def _chain_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECORD_CHAIN_LOCK])


def after_chain_read() -> None:
    """A test hook between reading the chain's last record and adding the next one."""


def email_record_hash(record: DecisionRecord) -> None:
    """Tell each active manager of the program the record's SHA-256 (and the previous one's),
    in their language: a copy out of the database's reach, so a rewrite shows."""
    cohort = record.cohort
    previous = record.previous
    url = settings.SITE_URL.rstrip("/") + reverse("staff:decision_record", args=[cohort.pk])
    for manager in cohort.program.managers.filter(is_active=True).order_by("pk"):
        with translation.override(manager.language or settings.LANGUAGE_CODE):
            context = {
                "cohort": cohort.name, "program": cohort.program.name, "sha256": record.sha256,
                "previous": previous.sha256 if previous else "", "record_url": url,
            }  # fmt: skip
            email_queue(
                kind=EmailKind.DECISIONS_PUBLISHED,
                to_address=manager.email,
                recipient=manager,
                language=manager.language or settings.LANGUAGE_CODE,
                idempotency_key=f"decisions-published:{cohort.pk}:{manager.pk}",
                cohort_id=cohort.pk,
                **email_render("decisions_published", context),
            )


def draft_decision_emails(decision: Decision, cohort: Cohort, *, draft: bool = True,
                          key_suffix: str = "") -> None:  # fmt: skip
    """One email per member of the startup, in the member's language."""
    application = decision.application
    dashboard = settings.SITE_URL.rstrip("/") + reverse("dashboard")
    members = Membership.objects.filter(startup=application.startup).select_related("user")
    for membership in members.order_by("user_id"):
        user = membership.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "startup": application.startup.name, "cohort": cohort.name,
                "program": cohort.program.name, "feedback": decision.feedback,
                "position": decision.waitlist_position, "dashboard_url": dashboard,
            }  # fmt: skip
            email_queue(
                kind=EmailKind.DECISION,
                to_address=user.email,
                recipient=user,
                language=user.language or settings.LANGUAGE_CODE,
                idempotency_key=f"decision:{application.pk}:{user.pk}{key_suffix}",
                cohort_id=cohort.pk,
                draft=draft,
                **email_render(f"decision_{decision.outcome}", context),
            )


def winners_chosen(cohort_id: int) -> int:
    """The winners a cohort holds: pending ones before publication, then those whose place
    stands (a declined, expired or withdrawn offer frees it). Its capacity cannot go below."""
    return (
        Decision.objects.filter(cohort_id=cohort_id, outcome=DecisionOutcome.WINNER)
        .filter(application__status__in=[*UNDECIDED_STATUSES, ApplicationStatus.WINNER])
        .count()
    )


def decision_emails(cohort: Cohort):
    return OutgoingEmail.objects.filter(kind=EmailKind.DECISION, cohort_id=cohort.pk)


def visible_decision_emails(cohort: Cohort, user):
    """The cohort's decision emails a member of staff may read: not those about applications
    they are in conflict with (the outbox's own rule)."""
    emails = decision_emails(cohort)
    hidden = outbox_hidden(user)
    return emails if hidden is None else emails.exclude(hidden)


def decision_emails_by_application(emails) -> dict[int, list[OutgoingEmail]]:
    """{application id: its emails among `emails`, oldest first}."""
    by_application = {}
    for email in emails.order_by("pk"):
        by_application.setdefault(int(email.idempotency_key.split(":")[1]), []).append(email)
    return by_application


def application_decision_emails(application_ids):
    """The decision emails about these applications (their keys begin with the id)."""
    about = Q(pk__in=[])
    for application_id in application_ids:
        about |= Q(idempotency_key__startswith=f"decision:{application_id}:")
    return OutgoingEmail.objects.filter(about, kind=EmailKind.DECISION)


# Once published, any change of an application's status makes its decision emails untrue.
VOIDED_BECAUSE = {
    ApplicationStatus.DECLINED: _lazy(
        "Voided: the offer was declined, expired or withdrawn before this email was sent."
    ),
    ApplicationStatus.WINNER: _lazy(
        "Voided: the startup was promoted from the waitlist; its promotion email replaces this one."
    ),
    ApplicationStatus.WITHDRAWN: _lazy(
        "Voided: the startup withdrew its application before this email was sent."
    ),
}


def decision_emails_void(*, application: Application, to_status: str) -> int:
    """A published decision stopped being true (called in the transaction of the status
    change, under the application's row lock): its emails not yet sent are cancelled, with
    the reason shown on the decision emails page, whether still a draft or queued and not yet
    claimed by a worker; one claimed or sent stands, the change came after it. Returns how
    many."""
    reason = VOIDED_BECAUSE.get(to_status) or _lazy(
        "Voided: the decision changed before this email was sent."
    )
    with translation.override(None):
        reason = str(reason)  # the English text, shown translated on the page
    return emails_void(emails=application_decision_emails([application.pk]), reason=reason)


def decision_email_edit(*, email: OutgoingEmail, subject: str, body_text: str) -> None:
    """Staff rewrite a decision email before sending it: only a draft changes; its HTML
    version follows the new text. Side effects: none until it is sent."""
    from notifications.services import email_html_from_text

    if not subject.strip() or not body_text.strip():
        raise DecisionError(gettext("An email needs a subject and a text."))
    with translation.override(email.language):
        html = email_html_from_text(subject, body_text)
    changed = OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.DRAFT).update(
        subject=subject, body_text=body_text, body_html=html, updated_at=timezone.now()
    )
    if not changed:
        raise DecisionError(gettext("Only a draft can be edited."))


@transaction.atomic
def decision_email_send(*, email: OutgoingEmail) -> None:
    """Release one decision draft a person has read. Side effects: queued and sent after
    commit; the first one sent to a startup fixes its offer's reply-by date."""
    application_id = int(email.idempotency_key.split(":")[1])
    # The offer before the email, as a decline locks them: the other order deadlocks.
    list(Offer.objects.select_for_update().filter(application_id=application_id).values_list("pk"))
    email_release(email=email)
    offer_start_clock(application_id=application_id)


@transaction.atomic
def decision_emails_send_all(*, cohort: Cohort, excluding=()) -> int:
    """Release every decision draft of the cohort, as decision_email_send does for each.
    `excluding`: the applications the actor has a conflict of interest with, whose emails
    another manager sends. The drafts are locked first: one voided meanwhile (a decline, a
    promotion, a deleted account) is left out, never sent. Returns how many."""
    drafts = decision_emails(cohort).filter(state=EmailState.DRAFT)
    excluding = list(excluding)
    if excluding:
        drafts = drafts.exclude(pk__in=application_decision_emails(excluding).values("pk"))
    drafts = _locked(cohort, drafts)
    after_drafts_locked()
    for email in drafts:
        decision_email_send(email=email)
    return len(drafts)


def _locked(cohort: Cohort, drafts) -> list[OutgoingEmail]:
    """The drafts, locked until the send commits: a decline, a withdrawal or a deletion
    meanwhile waits, then voids what this send queued, before any worker claims it. The
    cohort's offers are locked first, in the order a decline takes them (offer, then emails):
    the other order deadlocks."""
    list(Offer.objects.select_for_update().filter(cohort=cohort).order_by("pk").values_list("pk"))
    return list(drafts.select_for_update().order_by("pk"))


def after_drafts_locked() -> None:
    """A test hook between locking the drafts and releasing them (a decline comes then)."""


# --- Lottery


def lottery_draw_from(*, seed: bytes, group: list[int], places: int) -> list[int]:
    """The draw itself: the first `places` ids of `group` in the draw's order, from the seed
    alone (same seed, same draw; selection/record.py)."""
    return lottery_order(seed=seed, group=group)[:places]


def lottery_open_places(cohort: Cohort, group: list[int]) -> int:
    if cohort.capacity is None:
        return 0
    winners = Decision.objects.filter(cohort=cohort, outcome=DecisionOutcome.WINNER).exclude(
        application_id__in=group
    )
    return cohort.capacity - winners.count()


@transaction.atomic
def lottery_record(*, cohort: Cohort, group: list[int], actor, now: datetime | None = None
                   ) -> Lottery:  # fmt: skip
    """Step one: record the group staff confirmed, the estimates and their hash, before any
    random byte exists. Side effects: the Lottery row."""
    cohort = _lock_cohort(cohort.pk)
    _refuse_if_published(cohort)
    if Lottery.objects.filter(cohort=cohort).exists():
        raise DecisionError(gettext("This cohort already has a lottery; a draw is final."))
    group = sorted(set(group))
    valid = set(
        Application.objects.filter(cohort=cohort, pk__in=group, status__in=UNDECIDED_STATUSES)
        .values_list("pk", flat=True)
    )  # fmt: skip
    places = lottery_open_places(cohort, group)
    if len(group) < 2 or valid != set(group):
        raise DecisionError(gettext("Choose at least two applications under review."))
    if not 1 <= places < len(group):
        raise DecisionError(
            gettext("A lottery needs more applications in its group than places left (%(places)d).")
            % {"places": places}
        )
    entries = estimate_entries(cohort)
    return Lottery.objects.create(
        cohort=cohort, group=group, places=places, estimates_hash=estimates_hash_of(entries),
        estimates=canonical_json(entries).decode(), recorded_by=actor,
        recorded_at=now or timezone.now(),
    )  # fmt: skip


@transaction.atomic
def lottery_draw(*, cohort: Cohort, actor, random_bytes: bytes | None = None,
                 now: datetime | None = None) -> Lottery:  # fmt: skip
    """Step two: draw 32 random bytes (`secrets`), seed = SHA-256(estimates' hash, group,
    bytes), and draw the places from it; once only. Side effects: the lottery's bytes, seed
    and result; the drawn applications become pending winners, the rest of the group
    pending waitlisted after the current waitlist, in the draw's order."""
    cohort = _lock_cohort(cohort.pk)
    _refuse_if_published(cohort)
    lottery = Lottery.objects.select_for_update().filter(cohort=cohort).first()
    if lottery is None:
        raise DecisionError(gettext("Record the lottery's group first."))
    if lottery.drawn_at is not None:
        raise DecisionError(gettext("The lottery is drawn; a draw is final."))
    random_bytes = random_bytes if random_bytes is not None else secrets.token_bytes(32)
    seed = lottery_seed(estimates_hash=lottery.estimates_hash, group=lottery.group,
                        random_bytes=random_bytes)  # fmt: skip
    order = lottery_draw_from(seed=seed, group=lottery.group, places=len(lottery.group))
    lottery.random_bytes, lottery.seed = random_bytes.hex(), seed.hex()
    lottery.result = order[: lottery.places]
    lottery.drawn_at = now or timezone.now()
    lottery.save()
    applications = {a.pk: a for a in Application.objects.filter(pk__in=lottery.group)}
    for application_id in order[lottery.places :]:
        decision_set(application=applications[application_id],
                     outcome=DecisionOutcome.WAITLISTED, actor=actor,
                     note=gettext("Waitlisted by the lottery"))  # fmt: skip
    for application_id in lottery.result:
        decision_set(application=applications[application_id], outcome=DecisionOutcome.WINNER,
                     actor=actor, note=gettext("Drawn by the lottery"))  # fmt: skip
    return lottery
