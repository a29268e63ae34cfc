"""The application form: every kind of question saves what was typed, says what is wrong beside
the field, and blocks submitting until it is right; nothing else is lost meanwhile."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Answer, Application
from applications.privacy import PRIVACY_NOTICE_VERSION
from cohorts.enums import QuestionKind
from notifications.models import EmailKind, OutgoingEmail
from notifications.services import email_deliver
from tests.clock import clock_pinned
from tests.factories import UserFactory
from tests.factories.applications import make_application, open_cohort
from tests.factories.cohorts import QuestionFactory

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

KINDS = {
    # kind: (question fields, a valid answer, an invalid answer, its message)
    QuestionKind.SHORT_TEXT: ({}, "Lumen Legal AI", "x" * 301,
                              "Keep this short: 300 characters at most (now 301)."),
    QuestionKind.LONG_TEXT: ({"word_limit": 5}, "We fine-tune Llama 3.",
                             "one two three four five six", "6 words: 1 over the limit of 5."),
    QuestionKind.SINGLE_CHOICE: ({"choices": "MVP\nProduct"}, "MVP", "Unicorn",
                                 "Choose one of the options."),
    QuestionKind.MULTIPLE_CHOICE: ({"choices": "Llama 3\nMistral 7B"}, ["Llama 3"],
                                   ["Llama 3", "GPT"], "Choose among the options."),
    QuestionKind.URL: ({}, "https://demo.example", "demo dot example",
                       "Enter a web address, such as lumen.ai or https://lumen.ai/demo."),
    QuestionKind.NUMBER: ({}, "1 200", "twelve", "Enter a number, such as 1 500 or 2,5."),
    QuestionKind.YES_NO: ({}, "yes", "maybe", "Answer yes or no."),
}  # fmt: skip


@pytest.fixture
def application(client):
    cohort = open_cohort(name="Demo cohort")
    for order, (kind, (fields, *_rest)) in enumerate(KINDS.items()):
        QuestionFactory(cohort=cohort, order=order, kind=kind, label=f"Question {kind}",
                        **({"word_limit": None} | fields))  # fmt: skip
    application = make_application(cohort=cohort)
    client.force_login(application.startup.memberships.get().user)
    return application


def question(application, kind):
    return application.cohort.questions.get(kind=kind)


def autosave(client, application, kind, value, version=None):
    asked = question(application, kind)
    if version is None:
        answer = Answer.objects.filter(application=application, question=asked).first()
        version = answer.version if answer else 0
    return client.post(
        reverse("answer_autosave", args=[application.pk, asked.pk]),
        {"value": value, "version": version},
        HTTP_HX_REQUEST="true",
    )


def submit(client, application):
    return client.post(
        reverse("application_submit", args=[application.pk]),
        {"privacy_notice_version": PRIVACY_NOTICE_VERSION},
    )


def fill_all_valid(client, application):
    for kind, (_fields, valid, *_rest) in KINDS.items():
        assert autosave(client, application, kind, valid).status_code == 200


@pytest.mark.parametrize("kind", list(KINDS))
def test_invalid_input_is_saved_shown_and_blocks_submitting(client, application, kind):
    _fields, _valid, invalid, message = KINDS[kind]
    fill_all_valid(client, application)

    saved = autosave(client, application, kind, invalid)
    refused = submit(client, application)

    assert saved.status_code == 200
    assert message in saved.content.decode()
    # Never "saved" beside "invalid": kept as a draft, to correct.
    assert "Kept as a draft at" in saved.content.decode()
    assert "Saved at" not in saved.content.decode()
    assert (
        Answer.objects.get(application=application, question=question(application, kind)).value
        == invalid
    )
    assert refused.status_code == 200
    assert message in refused.content.decode()
    assert f'href="/applications/{application.pk}/#answer-{question(application, kind).pk}"' in (
        refused.content.decode()
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    others = Answer.objects.filter(application=application).exclude(question__kind=kind)
    assert {a.question.kind: a.value for a in others} == {
        other: valid for other, (_f, valid, *_r) in KINDS.items() if other != kind
    }


def test_every_missing_answer_is_listed_at_once(client, application):
    response = client.get(reverse("application_submit", args=[application.pk]))

    page = response.content.decode()
    assert page.count("This question needs an answer.") == len(KINDS)


def test_a_valid_application_is_submitted_with_its_privacy_notice_and_a_confirmation(
    client, application
):
    fill_all_valid(client, application)
    user = application.startup.memberships.get().user

    response = submit(client, application)

    application.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/startup/?submitted={application.pk}"
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert application.privacy_accepted_at == application.submitted_at
    email = OutgoingEmail.objects.get(kind=EmailKind.APPLICATION_SUBMITTED)
    assert (email.to_address, email.recipient, email.language, email.cohort_id) == (
        user.email,
        user,
        "en",
        application.cohort_id,
    )
    email_deliver(email_id=email.pk)
    body = mail.outbox[0].body
    assert "We fine-tune Llama 3." in body
    assert "Llama 3" in body
    assert "https://demo.example" in body


def test_submitting_without_accepting_the_privacy_notice_is_refused(client, application):
    fill_all_valid(client, application)

    response = client.post(reverse("application_submit", args=[application.pk]), {})

    assert "Please read and accept the privacy notice." in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_a_stale_version_is_refused_with_both_texts(client, application):
    autosave(client, application, QuestionKind.LONG_TEXT, "From the first tab.")
    autosave(client, application, QuestionKind.LONG_TEXT, "From the second tab.", version=1)

    stale = autosave(client, application, QuestionKind.LONG_TEXT, "Late first tab.", version=1)

    page = stale.content.decode()
    assert stale.status_code == 409
    assert "Late first tab." in page
    assert "From the second tab." in page
    answer = Answer.objects.get(application=application, question__kind=QuestionKind.LONG_TEXT)
    assert (answer.value, answer.version) == ("From the second tab.", 2)


def test_different_questions_from_two_tabs_both_keep_their_text(client, application):
    autosave(client, application, QuestionKind.LONG_TEXT, "Tab one text.", version=0)
    autosave(client, application, QuestionKind.SHORT_TEXT, "Tab two text.", version=0)

    values = dict(Answer.objects.filter(application=application).values_list("question__kind",
                                                                             "value"))  # fmt: skip
    assert values == {
        QuestionKind.LONG_TEXT: "Tab one text.",
        QuestionKind.SHORT_TEXT: "Tab two text.",
    }


def test_autosave_answers_401_without_a_session(client, application):
    client.logout()

    response = autosave(client, application, QuestionKind.LONG_TEXT, "Typed after expiry.")

    assert response.status_code == 401
    assert Answer.objects.filter(application=application).count() == 0


def test_autosave_answers_401_when_cookies_are_gone(application):
    from django.test import Client

    without_cookies = Client(enforce_csrf_checks=True)

    response = autosave(without_cookies, application, QuestionKind.LONG_TEXT, "Typed.")

    assert response.status_code == 401
    assert Answer.objects.filter(application=application).count() == 0


@pytest.mark.parametrize(
    ("after_closing", "accepted"),
    [(-timedelta(seconds=1), True), (timedelta(seconds=1), False), (timedelta(minutes=9), True)],
    ids=["one-second-before", "one-second-after", "inside-grace"],
)
def test_submission_deadline_is_checked_by_the_server(client, after_closing, accepted):
    closes_at = datetime(2024, 8, 16, 21, 59, 59, tzinfo=UTC)
    grace = 10 if after_closing == timedelta(minutes=9) else 0
    cohort = open_cohort(
        opens_at=closes_at - timedelta(days=30), closes_at=closes_at, grace_minutes=grace
    )
    QuestionFactory(cohort=cohort, kind=QuestionKind.SHORT_TEXT, word_limit=None)
    with time_machine.travel(closes_at - timedelta(days=1), tick=False) as clock:
        application = make_application(cohort=cohort)
        client.force_login(application.startup.memberships.get().user)
        autosave(client, application, QuestionKind.SHORT_TEXT, "Lumen Legal AI")
        clock.move_to(closes_at + after_closing)
        response = submit(client, application)

    application.refresh_from_db()
    if accepted:
        assert response.status_code == 302
        assert application.status == ApplicationStatus.SUBMITTED
    else:
        assert response.status_code == 200
        assert (
            "Applications to this call closed on 16 August 2024, 23:59:59 Paris time. "
            "Your draft is kept."
        ) in response.content.decode()
        assert application.status == ApplicationStatus.DRAFT
        assert Answer.objects.get(application=application).value == "Lumen Legal AI"


def test_the_submitted_version_is_frozen_and_a_new_submit_adds_one(client, application):
    from applications.models import Submission
    from applications.models.applications import SubmissionImmutable
    from applications.selectors import changed_since_submitted, latest_submission

    fill_all_valid(client, application)
    submit(client, application)
    first = Submission.objects.get()
    first_hash = first.sha256

    autosave(client, application, QuestionKind.LONG_TEXT, "An edit after submitting.")

    first.refresh_from_db()
    assert first.sha256 == first_hash
    long_answer = next(a for a in first.content["answers"] if a["kind"] == "long_text")
    assert long_answer["value"] == "We fine-tune Llama 3."
    assert changed_since_submitted(application) is True
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Changed since submitted — submit again." in dashboard

    assert submit(client, application).status_code == 302

    assert list(Submission.objects.values_list("number", flat=True)) == [1, 2]
    latest = latest_submission(application)
    assert latest.number == 2
    assert next(a for a in latest.content["answers"] if a["kind"] == "long_text")["value"] == (
        "An edit after submitting."
    )
    assert latest.sha256 != first_hash
    assert changed_since_submitted(application) is False
    assert application.events.last().note == "Submitted again (version 2)."
    assert OutgoingEmail.objects.filter(kind=EmailKind.APPLICATION_SUBMITTED).count() == 2
    with pytest.raises(SubmissionImmutable):
        Submission.objects.filter(pk=first.pk).update(sha256="0" * 64)
    first.content = {}
    with pytest.raises(SubmissionImmutable):
        first.save()


def test_an_extension_lets_one_startup_submit_after_the_cohort_closes(client):
    from applications.services import extension_grant

    closes_at = datetime(2024, 8, 16, 21, 59, 59, tzinfo=UTC)
    personal = closes_at + timedelta(days=2)
    cohort = open_cohort(opens_at=closes_at - timedelta(days=30), closes_at=closes_at)
    QuestionFactory(cohort=cohort, kind=QuestionKind.SHORT_TEXT, word_limit=None)
    manager = UserFactory(is_staff=True)
    with time_machine.travel(closes_at - timedelta(days=1), tick=False) as clock:
        late = make_application(cohort=cohort)
        on_time = make_application(cohort=cohort)
        for application in (late, on_time):
            client.force_login(application.startup.memberships.get().user)
            autosave(client, application, QuestionKind.SHORT_TEXT, "Lumen Legal AI")
        extension_grant(application=late, closes_at=personal, reason="Founder in hospital",
                        granted_by=manager)  # fmt: skip

        clock.move_to(personal - timedelta(seconds=1))
        client.force_login(on_time.startup.memberships.get().user)
        refused = submit(client, on_time)
        client.force_login(late.startup.memberships.get().user)
        dashboard = client.get(reverse("dashboard")).content.decode()
        accepted = submit(client, late)

        clock.move_to(personal + timedelta(seconds=1))
        too_late = submit(client, late)

    assert refused.status_code == 200
    assert (
        "Your personal closing time: 18 August 2024, 23:59:59 Paris time, granted by the program."
    ) in dashboard
    assert "Founder in hospital" not in dashboard
    assert accepted.status_code == 302
    assert too_late.status_code == 200
    assert "closed on 18 August 2024, 23:59:59 Paris time" in too_late.content.decode()
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.status, on_time.status) == (ApplicationStatus.SUBMITTED, ApplicationStatus.DRAFT)
    assert late.submissions.count() == 1


def test_extension_must_end_after_the_call_and_say_why():
    from applications.services import ApplicationError, extension_grant

    application = make_application()

    with pytest.raises(ApplicationError) as early:
        extension_grant(application=application, closes_at=application.cohort.closes_at,
                        reason="x", granted_by=None)  # fmt: skip
    with pytest.raises(ApplicationError) as silent:
        extension_grant(application=application,
                        closes_at=application.cohort.closes_at + timedelta(days=1), reason=" ",
                        granted_by=None)  # fmt: skip

    assert early.value.problems == ["An extension must end after the call closes."]
    assert silent.value.problems == ["Say why the extension is granted."]


def test_withdrawing_asks_for_confirmation_then_records_it(client, application):
    url = reverse("application_withdraw", args=[application.pk])

    confirmation = client.get(url)
    client.post(url)

    application.refresh_from_db()
    assert "The program will no longer consider it, and you cannot undo this." in (
        confirmation.content.decode()
    )
    assert application.status == ApplicationStatus.WITHDRAWN
    event = application.events.last()
    assert (event.from_status, event.to_status, event.note) == (
        "draft",
        "withdrawn",
        "Withdrawn by the startup.",
    )
    assert client.post(url).status_code == 302  # a second time is refused with a message
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN


def test_an_extension_never_cuts_the_cohorts_grace(client):
    from applications.services import extension_grant

    closes_at = datetime(2024, 8, 16, 21, 59, 59, tzinfo=UTC)
    cohort = open_cohort(opens_at=closes_at - timedelta(days=30), closes_at=closes_at,
                         grace_minutes=30)  # fmt: skip
    with time_machine.travel(closes_at - timedelta(days=1), tick=False) as clock:
        application = make_application(cohort=cohort)
        extension_grant(application=application, closes_at=closes_at + timedelta(minutes=10),
                        reason="Short extension", granted_by=None)  # fmt: skip
        clock.move_to(closes_at + timedelta(minutes=20))
        assert application.accepts_submissions() is True
        clock.move_to(closes_at + timedelta(minutes=30))
        assert application.accepts_submissions() is False


def test_withdrawing_a_decided_application_says_nothing_of_the_decision(client, application):
    rejected = make_application(status=ApplicationStatus.REJECTED)
    client.force_login(rejected.startup.memberships.get().user)

    dashboard = client.get(reverse("dashboard")).content.decode()
    refused = client.post(reverse("application_withdraw", args=[rejected.pk]), follow=True)

    assert "Under review" in dashboard
    assert "Rejected" not in dashboard
    assert [str(m) for m in refused.context["messages"]] == [
        "This application can no longer be withdrawn."
    ]


def test_an_answer_over_its_character_ceiling_is_refused_at_autosave_and_nothing_saved(
    client, application
):
    autosave(client, application, QuestionKind.LONG_TEXT, "We fine-tune Llama 3.")
    too_long = "x" * 61  # a limit of 5 words allows 60 characters

    refused = autosave(client, application, QuestionKind.LONG_TEXT, too_long)

    page = refused.content.decode()
    assert refused.status_code == 409
    assert "This answer is too long: 60 characters at most (now 61)." in page
    assert "Not saved: your text stays on this page; shorten it to save it." in page
    answer = Answer.objects.get(application=application, question__kind=QuestionKind.LONG_TEXT)
    assert (answer.value, answer.version) == ("We fine-tune Llama 3.", 1)


@pytest.mark.parametrize("kind", [QuestionKind.SHORT_TEXT, QuestionKind.URL])
def test_a_text_answer_without_a_word_limit_is_refused_past_ten_thousand_characters(
    client, application, kind
):
    refused = autosave(client, application, kind, "x" * 10_001)

    assert refused.status_code == 409
    assert "10000 characters at most (now 10001)" in refused.content.decode()
    assert not Answer.objects.filter(application=application, question__kind=kind).exists()


def test_a_megabyte_of_words_joined_by_hyphens_is_not_submitted_nor_emailed(client):
    cohort = open_cohort()
    asked = QuestionFactory(cohort=cohort, kind=QuestionKind.LONG_TEXT, word_limit=300)
    application = make_application(cohort=cohort)
    client.force_login(application.startup.memberships.get().user)
    huge = "-".join(["word"] * 200_000)  # 1 MB, once counted as one word
    # As an answer saved before the ceiling existed would be: autosave now refuses it.
    Answer.objects.create(application=application, question=asked, value=huge, version=1)

    response = submit(client, application)

    page = response.content.decode()
    assert response.status_code == 200
    assert "This answer is too long: 3600 characters at most (now 999999)." in page
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT
    assert OutgoingEmail.objects.filter(kind=EmailKind.APPLICATION_SUBMITTED).count() == 0


def test_words_joined_by_hyphens_past_the_limit_block_submitting(client):
    cohort = open_cohort()
    asked = QuestionFactory(cohort=cohort, kind=QuestionKind.LONG_TEXT, word_limit=10)
    application = make_application(cohort=cohort)
    client.force_login(application.startup.memberships.get().user)
    chain = "-".join(["word"] * 20)  # 99 characters, under the ceiling of 120

    saved = autosave(client, application, QuestionKind.LONG_TEXT, chain)
    refused = submit(client, application)

    assert saved.status_code == 200
    assert "20 words: 10 over the limit of 10." in refused.content.decode()
    assert Answer.objects.get(application=application, question=asked).value == chain
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT
