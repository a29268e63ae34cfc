"""No input makes a 500 on PostgreSQL (#26, item 11). Every URL of the URL conf that takes a
POST has a row below: who may post it, its arguments from one world, and the fields it takes
with a value it accepts. Each field in turn gets a NUL byte, invalid UTF-8 and a 1 MB string
(a number: values out of range and Unicode digits; a date: the ends of the calendar), the other
fields staying valid. The answer is never a 5xx, and a free text holding NUL or 1 MB is refused
whole: its message is on the page or in the messages, and no table was written (PostgreSQL's
own count of the rows this transaction touched, pg_stat_xact_user_tables). A URL that takes a
POST without a row here fails the test, so no new form goes out unswept.

Django's admin and allauth's pages are left out: their forms are Django's own fields, whose
CharField refuses NUL and whose model fields bound their lengths."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accelerator.text import UNSTORABLE_MESSAGE
from applications import services as application_services
from cohorts.enums import QuestionKind
from cohorts.models import InterviewCriterion
from notifications.models import OutgoingEmail
from notifications.reminders import unsubscribe_token
from reviews import services as review_services
from selection import decisions, interviews
from selection.models import Offer
from tests.clock import clock_pinned
from tests.factories import UserFactory, staff_member
from tests.factories.applications import make_application, open_cohort, submitted_application
from tests.factories.cohorts import ProgramFactory, QuestionFactory
from tests.factories.reviews import accepted_reviewer, assign, close_call
from tests.selection.world import reviewed_cohort
from tests.shared_world import module_world

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

LEFT_OUT = ("admin:", "account_", "mfa_")

NUL = "Ada\x00Lovelace"
INVALID_UTF8 = b"\xff\xfe\xc3("
LONG = "x" * 1_000_000
WHENS = ["9999-12-31T23:59", "0001-01-01T00:00", "9999-12-31", "0001-01-01", "2026-02-30",
         "24:00", "99999-01-01"]  # fmt: skip
NUMBERS = ["32768", "2147483648", "99999999999999999999", "-1", "\u00b2", "1e309", "NaN"]


class Text(str):
    """Free text: refused whole, with its message, when it holds NUL or 1 MB."""


class Number(str):
    """A number (or an id): also given values out of range."""


class When(str):
    """A date, a time or both: also given the ends of the calendar and days that do not exist."""


# URL name → (persona, its arguments from the world, its fields: name → a value it accepts).
# Names and values are formatted with the world as `w` ("{w.offer.pk}").

ROWS = {
    # Applicant pages
    "language_choose": ("founder", lambda w: [], {"language": "fr", "next": "/"}),
    "dashboard": ("founder", lambda w: [], {}),
    "startup_create": (
        "founder",
        lambda w: [],
        {
            "name": Text("Quokka Labs"),
            "country": "FR",
            "stage": "product",
            "city": Text("Paris"),
            "pitch": Text("Open models for law."),
            "role": Text("CEO"),
        },
    ),
    "startup": (
        "founder",
        lambda w: [w.startup.pk],
        {
            "startup-name": Text("Quokka Labs"),
            "startup-country": "FR",
            "startup-stage": "product",
            "startup-city": Text("Paris"),
            "startup-pitch": Text("Open models for law."),
            "me-role": Text("CEO"),
            "startup-year_founded": Number("2024"),
            "startup-team_size": Number("3"),
        },
    ),
    "invitation_create": ("founder", lambda w: [w.startup.pk], {"email": "co@example.com"}),
    "invitation_revoke": ("founder", lambda w: [w.startup.pk, w.invitation.pk], {}),
    "membership_leave": ("cofounder", lambda w: [w.startup.pk], {}),
    "invitation_accept": ("stranger", lambda w: [w.invitation.token], {}),
    "apply": (
        "founder",
        lambda w: [w.other_open.program.slug, w.other_open.slug],
        {"startup": Number("{w.startup.pk}")},
    ),
    "application": ("founder", lambda w: [w.draft.pk], {}),
    "answer_autosave": (
        "founder",
        lambda w: [w.draft.pk, w.long_question.pk],
        {"value": Text("We build open models."), "version": Number("0")},
    ),
    "application_submit": ("founder", lambda w: [w.draft.pk], {"privacy_notice_version": "1"}),
    "named_conflict_add": (
        "founder",
        lambda w: [w.draft.pk],
        {
            "kind": "adviser",
            "person_name": Text("Ada Lovelace"),
            "person_email": "ada@example.com",
            "organisation": Text(""),
        },
    ),
    "named_conflict_remove": ("founder", lambda w: [w.draft.pk, w.named.pk], {}),
    "application_withdraw": ("founder", lambda w: [w.draft.pk], {}),
    "pitch_deck_upload": ("founder", lambda w: [w.draft.pk], {}),
    "answer_file_upload": ("founder", lambda w: [w.draft.pk, w.file_question.pk], {}),
    "pitch_deck_download": ("founder", lambda w: [w.draft.pk], {}),
    "answer_file_download": ("founder", lambda w: [w.draft.pk, w.file_question.pk], {}),
    "offer_accept": ("winner", lambda w: [w.offer.pk], {"conditions": "on"}),
    "offer_decline": ("winner", lambda w: [w.offer.pk], {"reason": Text("Another offer")}),
    "interview_booking": (
        "invited",
        lambda w: [w.invited.pk],
        {"slot": Number("{w.free_slot.pk}")},
    ),
    "interview_score": (
        "manager",
        lambda w: [w.booked.pk],
        {
            "c{w.criterion.pk}": Number("4"),
            "notes": Text("Clear demo."),
        },
    ),
    # Reviewer pages
    "review:field": (
        "reviewer",
        lambda w: [w.to_review.pk, "private_note"],
        {"value": Text("Strong team."), "version": Number("0")},
    ),
    "review:submit": ("reviewer", lambda w: [w.to_review.pk], {}),
    "review:conflict": (
        "reviewer",
        lambda w: [w.to_review.pk],
        {"kind": "investor", "note": Text("I invested.")},
    ),
    "review:hand_back": ("reviewer", lambda w: [w.to_review.pk], {"reason": Text("No time.")}),
    "reviewer_invitation": ("stranger", lambda w: [w.reviewer_invitation.token], {}),
    # Notifications and account
    "notifications:unsubscribe": ("stranger", lambda w: [w.unsubscribe], {}),
    "notifications:unsubscribe_one_click": (
        "anonymous",
        lambda w: [w.unsubscribe],
        {"List-Unsubscribe": "One-Click"},
    ),
    "notifications:settings": ("founder", lambda w: [], {"deadline_reminder": "on"}),
    "profile_settings": (
        "founder",
        lambda w: [],
        {
            "full_name": Text("Ada Lovelace"),
            "language": "en",
            "time_zone": "Europe/Paris",
        },
    ),
    "my_data": ("founder", lambda w: [], {"password": Text("wrong password")}),
    "my_data_download": ("founder", lambda w: [], {}),
    # Staff pages
    "staff:cohort_message": (
        "manager",
        lambda w: [w.review.pk],
        {
            "subject_en": Text("News"),
            "body_en": Text("Hello."),
            "subject_fr": Text("Nouvelles"),
            "body_fr": Text("Bonjour."),
        },
    ),
    "staff:cohort_screen_out": (
        "manager",
        lambda w: [w.open.pk],
        {
            "application": Number("{w.submitted.pk}"),
            "reason": Text("Out of scope."),
            "query": "",
        },
    ),
    "staff:application": (
        "manager",
        lambda w: [w.submitted.pk],
        {
            "closes_at": When("{w.later}"),
            "reason": Text("Illness."),
            "message": Text("Take two more days."),
        },
    ),
    "staff:application_screening": (
        "manager",
        lambda w: [w.submitted.pk],
        {
            "action": "out",
            "reason": Text("Out of scope."),
            "next": "reviewers",
        },
    ),
    "staff:cohort_reviewers": (
        "manager",
        lambda w: [w.review.pk],
        {
            "email": "new-reviewer@example.com",
            "max_assignments": Number("10"),
        },
    ),
    "staff:assignment_auto": ("manager", lambda w: [w.review.pk], {"previewed": "x"}),
    "staff:reviewer_revoke": ("manager", lambda w: [w.reviewer.pk], {}),
    "staff:assignment_create": (
        "manager",
        lambda w: [w.to_review.pk],
        {"reviewer": Number("{w.other_reviewer.pk}")},
    ),
    "staff:assignment_end": ("manager", lambda w: [w.assignment.pk], {}),
    "staff:conflict_remove": ("manager", lambda w: [w.conflict.pk], {}),
    "staff:cohort_conflicts": (
        "manager",
        lambda w: [w.review.pk],
        {
            "user": Number("{w.reviewer.user.pk}"),
            "application": Number("{w.to_review.pk}"),
            "kind": "investor",
            "note": Text("Investor."),
        },
    ),
    "staff:conflicts_refresh": ("manager", lambda w: [w.review.pk], {}),
    "staff:conflict_confirm": ("manager", lambda w: [w.conflict.pk], {}),
    "staff:conflict_dismiss": ("manager", lambda w: [w.conflict.pk], {}),
    "staff:ranking_recompute": ("manager", lambda w: [w.review.pk], {}),
    "staff:ranking_threshold": (
        "manager",
        lambda w: [w.review.pk],
        {"disagreement_threshold": "0.5"},
    ),
    "staff:ranking_request_reviews": ("manager", lambda w: [w.review.pk], {}),
    "staff:decision_save": (
        "manager",
        lambda w: [w.review.pk, w.undecided.pk],
        {
            "outcome": "waitlisted",
            "waitlist_position": Number("1"),
            "note": Text("Close call."),
            "feedback": Text("Strong team."),
        },
    ),
    "staff:decisions_reject_remaining": ("manager", lambda w: [w.review.pk], {}),
    "staff:decisions_publish": ("manager", lambda w: [w.review.pk], {"fingerprint": "x"}),
    "staff:decision_emails": (
        "manager",
        lambda w: [w.published.pk],
        {
            "action": "save",
            "email": Number("{w.decision_email.pk}"),
            "subject": Text("Your application"),
            "body_text": Text("Congratulations."),
        },
    ),
    "staff:lottery_record": (
        "manager",
        lambda w: [w.review.pk],
        {"group": Number("{w.undecided.pk}")},
    ),
    "staff:lottery_draw": ("manager", lambda w: [w.review.pk], {}),
    "staff:offer_extend": (
        "manager",
        lambda w: [w.published.pk, w.offer.pk],
        {"reply_by": When("{w.later_day}")},
    ),
    "staff:offer_withdraw": (
        "manager",
        lambda w: [w.published.pk, w.offer.pk],
        {"reason": Text("Not eligible.")},
    ),
    "staff:interview_shortlist": (
        "manager",
        lambda w: [w.review.pk],
        {"application": Number("{w.undecided.pk}"), "note": Text("Strong.")},
    ),
    "staff:interview_unshortlist": (
        "manager",
        lambda w: [w.review.pk, w.uninvited.pk],
        {"note": Text("Changed our minds.")},
    ),
    "staff:interview_slot_create": (
        "manager",
        lambda w: [w.review.pk],
        {
            "starts_at": When("{w.later}"),
            "duration": Number("30"),
            "place": Text("Room Ada"),
        },
    ),
    "staff:interview_slots_bulk": (
        "manager",
        lambda w: [w.review.pk],
        {
            "days": Text("{w.later_day}"),
            "first": "09:00",
            "last": "10:00",
            "duration": Number("30"),
            "gap": Number("10"),
            "place": Text("Room Ada"),
        },
    ),
    "staff:interview_slot_action": (
        "manager",
        lambda w: [w.review.pk, w.free_slot.pk],
        {"action": "book", "application": Number("{w.uninvited.pk}")},
    ),
    "staff:interview_invitations_send": ("manager", lambda w: [w.review.pk], {}),
    "staff:email_action": ("manager", lambda w: [w.email.pk, "resend"], {}),
}


def posted_url_names(resolver=None, namespaces=()) -> set[str]:
    """Every URL name of ours whose view takes a POST: any view but those restricted by
    require_GET / require_http_methods to other methods."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            names |= posted_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = ":".join((*namespaces, pattern.name))
            methods = _allowed_methods(pattern.callback)
            if not name.startswith(LEFT_OUT) and (methods is None or "POST" in methods):
                names.add(name)
    return names


def _allowed_methods(view) -> list[str] | None:
    """The methods of the innermost require_http_methods around the view, None if none."""
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return view.__closure__[code.co_freevars.index("request_method_list")].cell_contents
        view = getattr(view, "__wrapped__", None)
    return None


def test_every_url_that_takes_a_post_has_a_row():
    assert posted_url_names() == set(ROWS)


class World:
    pass


def build_world() -> World:
    w = World()
    program = ProgramFactory()
    w.manager = staff_member(programs=[program])
    later = timezone.localtime(timezone.now() + timedelta(days=5))
    w.later, w.later_day = later.strftime("%Y-%m-%dT10:00"), later.strftime("%Y-%m-%d")

    # An open call: the founder's draft, with a long text and a file question.
    w.open = open_cohort(program=program)
    w.long_question = QuestionFactory(cohort=w.open, kind=QuestionKind.LONG_TEXT,
                                      word_limit=None, required=False)  # fmt: skip
    w.file_question = QuestionFactory(cohort=w.open, kind=QuestionKind.FILE, word_limit=None,
                                      required=False)  # fmt: skip
    w.draft = make_application(cohort=w.open)
    w.startup = w.draft.startup
    founder = w.startup.memberships.get().user
    w.other_open = open_cohort(program=program)
    cofounder = UserFactory()
    w.startup.memberships.create(user=cofounder, role="CTO")
    stranger = UserFactory()
    w.invitation = application_services.invitation_create(
        startup=w.startup, email=stranger.email, invited_by=founder, base_url="http://testserver"
    )
    w.named = application_services.named_conflict_add(
        application=w.draft, user=founder, kind="adviser", person_name="Grace Hopper"
    )
    w.submitted = submitted_application(cohort=w.open, deck_pages=None)
    w.email = OutgoingEmail.objects.filter(cohort_id=w.open.pk).latest("pk")
    w.unsubscribe = unsubscribe_token(user_id=founder.pk, kind="deadline_reminder")

    # A cohort in review, then at the interview stage.
    reviewed = reviewed_cohort(extra_applications=1)
    w.review, applications = reviewed.cohort, reviewed.applications
    w.review.program.managers.add(w.manager)
    close_call(w.review)
    w.reviewer = accepted_reviewer(w.review)
    TOTP.activate(w.reviewer.user, generate_totp_secret())  # reviewers need it (accounts)
    w.other_reviewer = accepted_reviewer(w.review)
    w.reviewer_invitation = review_services.reviewer_invite(
        cohort=w.review, email=stranger.email, invited_by=w.manager, base_url="http://testserver"
    )
    w.to_review = applications[3]
    w.assignment = assign(w.reviewer, w.to_review)
    w.conflict = review_services.conflict_declare(
        user=UserFactory(), application=w.to_review, kind="investor"
    )
    w.criterion = InterviewCriterion.objects.create(cohort=w.review, order=1, name="Pitch",
                                                    weight=1, scale_max=5)  # fmt: skip
    interviews.shortlist_add(cohort=w.review, application_ids=[a.pk for a in applications[:2]],
                             actor=w.manager, note="")  # fmt: skip
    soon = timezone.now() + timedelta(days=3)
    slots = [
        interviews.slot_create(cohort=w.review, starts_at=soon + timedelta(hours=i),
                               duration=30, place="Room Ada", panel=[w.manager.pk], by=w.manager)
        for i in range(2)
    ]  # fmt: skip
    interviews.invitations_send(cohort=w.review, by=w.manager)
    for application in applications:
        application.refresh_from_db()
    w.booked, w.invited = applications[:2]
    interviews.interview_book(application=w.booked, slot_id=slots[0].pk,
                              user=w.booked.startup.memberships.get().user)  # fmt: skip
    w.free_slot = slots[1]
    w.uninvited = applications[2]
    interviews.shortlist_add(cohort=w.review, application_ids=[w.uninvited.pk], actor=w.manager,
                             note="")  # fmt: skip
    w.undecided = applications[4]

    # A cohort whose decisions are published: a winner's pending offer, its draft email.
    w.published = open_cohort(program=program)
    winner = submitted_application(cohort=w.published, deck_pages=None)
    decisions.decision_set(application=winner, outcome="winner", actor=None)
    fingerprint = decisions.publication_state(w.published).fingerprint
    decisions.decisions_publish(cohort=w.published, actor=None, fingerprint=fingerprint)
    w.offer = Offer.objects.get(cohort=w.published)
    w.decision_email = decisions.decision_emails(w.published).latest("pk")

    w.users = {
        "anonymous": None, "founder": founder, "cofounder": cofounder, "stranger": stranger,
        "winner": winner.startup.memberships.get().user,
        "invited": w.invited.startup.memberships.get().user,
        "reviewer": w.reviewer.user, "manager": w.manager,
    }  # fmt: skip
    return w


world = module_world(build_world)


def _cases(fields: dict) -> list[tuple[str, object]]:
    """(field, what it gets) for each field: NUL, invalid UTF-8, 1 MB (numbers: out of range,
    dates: the ends of the calendar)."""
    cases = []
    for name, value in fields.items():
        cases += [(name, NUL), (name, INVALID_UTF8)]
        if isinstance(value, Number):
            cases += [(name, number) for number in NUMBERS]
        else:
            cases.append((name, LONG))
        if isinstance(value, When):
            cases += [(name, when) for when in WHENS]
    return cases


def _written_tables() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, by table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


# Autosaves, answered with a fragment for htmx.
HTMX = {"answer_autosave", "review:field", "interview_score"}

# Written by any request of a signed-in user, whatever it posted.
BOOKKEEPING = {"django_session"}


def _refusal(response) -> str:
    said = " ".join(str(message) for message in get_messages(response.wsgi_request))
    if response.get("Content-Type", "").startswith("text/html"):
        said += response.content.decode()
    return said


@pytest.mark.parametrize("name", sorted(ROWS))
def test_no_input_makes_a_server_error(client, world, name):
    persona, arguments, fields = ROWS[name]
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False
    url = reverse(name, args=arguments(world))
    valid = {key.format(w=world): type(value)(value.format(w=world))
             for key, value in fields.items()}  # fmt: skip
    failures = []
    for field, payload in [(None, None), *_cases(valid)]:
        data = valid | ({} if field is None else {field: payload})
        body = urlencode(list(data.items()))
        with transaction.atomic():
            before = _written_tables()
            response = client.post(
                url,
                body,
                content_type="application/x-www-form-urlencoded",
                **({"HTTP_HX_REQUEST": "true"} if name in HTMX else {}),
            )
            written = {
                table for table, count in _written_tables().items() if count != before.get(table, 0)
            } - BOOKKEEPING
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append((field, repr(payload)[:8], response.status_code))
        elif isinstance(valid.get(field), Text) and payload in (NUL, LONG):
            said = _refusal(response)
            expected = str(UNSTORABLE_MESSAGE) if payload == NUL else "character"
            if written or expected not in said:
                failures.append((field, repr(payload)[:8], sorted(written), expected in said))
    assert failures == []


def test_an_extension_past_its_horizon_is_refused_beside_its_date(client, world):
    client.force_login(world.manager)
    url = reverse("staff:application", args=[world.submitted.pk])

    response = client.post(url, {"closes_at": "9999-12-31T23:59", "reason": "Typo in the year"})

    assert response.status_code == 200
    assert response.context["extension_form"].errors["closes_at"] == [
        "An extension ends at most 60 days after the call closes."
    ]
    assert world.submitted.extensions.count() == 0
