"""Blind review leaks no name: on a blind cohort, every response a reviewer receives and every
email sent to reviewers is searched, normalised (HTML entities and JSON escapes undone, NFKD,
accents stripped, casefolded), for the startup's name, its founder's name and email, its
website and the name of a partner's employee it named; none appears. On a cohort that is not
blind all of them do, so the search finds what it looks for."""

import html
import re
import unicodedata
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from applications import services as application_services
from applications.models import NamedConflict
from cohorts.enums import QuestionKind
from notifications.models import OutgoingEmail
from reviews.redaction import REDACTED, redactor_for
from reviews.reminders import review_reminder_render
from tests.factories import UserFactory, staff_member
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.cohorts import PartnerFactory, QuestionFactory
from tests.factories.files import pdf_upload
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)
from tests.reviews.test_reviewer_access import body, reviewer_url_names

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

STARTUP = "Lumen Legal"
FOUNDER = "Zoé Lefèvre"
FOUNDER_EMAIL = "zoe.lefevre@lumen-legal.example"
WEBSITE = "https://www.lumen-legal.example"
PARTNER_EMPLOYEE = "Pierre Partenaire"
# Written the ways people write them: upper case, NFD accents, run together, in a link.
MENTIONS = (
    f"We are LUMEN LEGAL (LumenLegal on GitHub). "
    f"{unicodedata.normalize('NFD', FOUNDER.upper())} founded it; write to {FOUNDER_EMAIL} or "
    f"see {WEBSITE}/pricing. Advised by {PARTNER_EMPLOYEE} of Meta."
)
# What must never reach a reviewer of a blind cohort, as the search compares it.
NEEDLES = [
    STARTUP,
    "LumenLegal",
    FOUNDER,
    "Lefèvre",
    FOUNDER_EMAIL,
    "lumen-legal.example",
    PARTNER_EMPLOYEE,
]


def normalise(text: str) -> str:
    text = html.unescape(text)
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), text)
    text = text.replace("\\/", "/")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@pytest.fixture(params=[True, False], ids=["blind", "not_blind"])
def world(request, client):
    blind = request.param
    cohort = reviewing_cohort(blind_review=blind)
    question = QuestionFactory(cohort=cohort, label="What do you build?", required=False)
    file_question = QuestionFactory(
        cohort=cohort, kind=QuestionKind.FILE, word_limit=None, required=False
    )
    founder = UserFactory(email=FOUNDER_EMAIL, full_name=FOUNDER)
    startup = StartupFactory(
        name=STARTUP,
        website=WEBSITE,
        members=[founder],
        pitch=f"{STARTUP} drafts contracts for {FOUNDER}'s clients.",
    )
    application = submitted_application(
        cohort=cohort, startup=startup, answers={question: MENTIONS}
    )
    NamedConflict.objects.create(
        application=application,
        person_name=PARTNER_EMPLOYEE,
        partner=PartnerFactory(name="Meta"),
        kind="former_colleague",
    )
    application_services.answer_file_upload(
        application=application, question=file_question, upload=pdf_upload(), user=founder
    )
    application_services.application_submit(
        application=application,
        user=founder,
        privacy_notice_version=application.privacy_notice_version,
    )
    close_call(cohort)
    me = accepted_reviewer(cohort)
    co_reviewer = accepted_reviewer(cohort)
    complete_review(assign(co_reviewer, application), comment=f"Ask {FOUNDER}: {MENTIONS}")
    mine = assign(me, application)
    TOTP.activate(me.user, generate_totp_secret())
    client.force_login(me.user)
    return SimpleNamespace(
        blind=blind,
        cohort=cohort,
        application=application,
        me=me,
        mine=mine,
        co_reviewer=co_reviewer,
        file_question=file_question,
    )


def everything_a_reviewer_receives(client, world) -> list[str]:
    pk = world.application.pk
    texts = [body(client.get(reverse("review:queue")))]
    texts.append(body(client.get(reverse("review:review", args=[pk]))))
    texts.append(
        body(
            client.post(
                reverse("review:field", args=[pk, "private_note"]),
                {"value": "A note", "version": 0},
                HTTP_HX_REQUEST="true",
            )
        )
    )
    complete_review(world.mine, comment="Clear and solid.")
    texts.append(body(client.get(reverse("review:review", args=[pk]))))  # others' reviews now
    texts.append(body(client.post(reverse("review:submit", args=[pk]), follow=True)))
    texts.append(body(client.post(reverse("review:hand_back", args=[pk]), follow=True)))
    texts.append(body(client.get(reverse("review:deck", args=[pk]))))
    texts.append(body(client.get(reverse("review:answer_file", args=[pk, world.file_question.pk]))))
    texts.append(body(client.get(reverse("reviewer_invitation", args=[world.me.token]))))
    texts.append(body(client.get(reverse("home"))))
    texts.append(
        body(client.post(reverse("review:conflict", args=[pk]), {"kind": "other"}, follow=True))
    )
    # The review reminder, as it would go to this reviewer about this application.
    texts += review_reminder_render(reviewer=world.me, applications=[world.application]).values()
    for email in OutgoingEmail.objects.filter(
        to_address__in=[world.me.email, world.co_reviewer.email]
    ):
        texts += [email.subject, email.body_text, email.body_html]
    return [normalise(text) for text in texts]


def test_every_page_url_of_reviewers_is_visited():
    visited = {
        "review:queue",
        "review:review",
        "review:field",
        "review:submit",
        "review:hand_back",
        "review:deck",
        "review:answer_file",
        "review:conflict",
    }
    assert visited == reviewer_url_names()


def test_what_reviewers_receive_names_nobody_on_a_blind_cohort(client, world):
    texts = everything_a_reviewer_receives(client, world)

    found = {needle for needle in NEEDLES if any(normalise(needle) in text for text in texts)}
    if world.blind:
        assert found == set()
        assert any(normalise(REDACTED) in text for text in texts)
    else:
        assert found == set(NEEDLES)


def test_the_deck_and_files_are_withheld_with_a_note(client, world):
    deck = client.get(reverse("review:deck", args=[world.application.pk]))
    page = client.get(reverse("review:review", args=[world.application.pk]))

    if world.blind:
        assert deck.status_code == 403
        assert "a PDF cannot be redacted reliably" in body(deck)
        assert "a PDF cannot be redacted reliably" in body(page)
    else:
        assert deck.status_code == 200
        assert "a PDF cannot be redacted reliably" not in body(page)


def test_staff_preview_what_reviewers_see(client, world):
    client.force_login(staff_member(programs=[world.cohort.program]))

    response = client.get(reverse("staff:reviewer_view", args=[world.application.pk]))

    text = normalise(body(response))
    assert response.status_code == 200
    assert (normalise("LumenLegal") in text) is not world.blind
    assert (normalise(REDACTED) in text) is world.blind


def redact(text: str, **startup) -> str:
    fields = {"name": STARTUP, "website": "", "members": [UserFactory(full_name=FOUNDER)]}
    application = submitted_application(
        cohort=reviewing_cohort(blind_review=True), startup=StartupFactory(**(fields | startup))
    )
    return redactor_for(application)(text)


def test_redaction_takes_whole_words_any_case_accents_and_spacing():
    assert redact("Lumen legal's team; LUMEN-LEGAL; lumenlegal.") == (
        "[redacted]'s team; [redacted]; [redacted]."
    )
    assert redact(unicodedata.normalize("NFD", "zoé LEFÈVRE and Zoe Lefevre")) == (
        "[redacted] and [redacted]"
    )
    assert redact("Illuminate legally") == "Illuminate legally"


def test_names_shorter_than_three_characters_are_left_and_listed_for_staff(client):
    cohort = reviewing_cohort(blind_review=True)
    application = submitted_application(
        cohort=cohort,
        startup=StartupFactory(name="Qi", members=[UserFactory(full_name="Li Wu")]),
    )
    redactor = redactor_for(application)
    client.force_login(staff_member(programs=[cohort.program]))

    page = client.get(reverse("staff:reviewer_view", args=[application.pk]))

    assert redactor("Qi is run by Li Wu") == "Qi is run by [redacted]"
    assert redactor.too_short == ["Li", "Qi", "Wu"]
    assert "shorter than 3 characters" in page.content.decode()
