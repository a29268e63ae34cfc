"""Blind review without gaps (#26, item 5): a blind reviewer reads no form of any name the
startup has had since its first submission (shorter forms, handles, links, any case, with or
without accents) nor its founders' first names alone, in the queue as on the review page,
while the common words of the name ("AI", "Legal") stay readable."""

import html
import unicodedata
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services as application_services
from applications.enums import ApplicationStatus
from applications.models import Application
from applications.privacy import PRIVACY_NOTICE_VERSION
from reviews.redaction import Names, build_redactor
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, make_application, submitted_application
from tests.factories.cohorts import QuestionFactory
from tests.factories.reviews import accepted_reviewer, assign, close_call, reviewing_cohort
from tests.reviews.test_reviewer_access import body
from tests.shared_world import module_world

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

# Submitted as "Lumen Legal AI" by Hélène Dubois, renamed "Nimbus" (never submitted), then
# "Kestrel" and submitted again, then renamed "Orbis Verita"; three other applications of the
# cohort are named "Orbis …", so "Orbis" is common there.
MENTIONS = (
    "Lumen Legal; Lumen; @lumen_legal_ai; medium.com/@lumenlegal; LUMEN; lumen-legal; Helene; "
    "Verita; Nimbus; Kestrel; AI; Legal; Orbis"
)
REDACTED = (
    "[redacted]; [redacted]; @[redacted]; medium.com/@[redacted]; [redacted]; [redacted]; "
    "[redacted]; [redacted]; [redacted]; [redacted]; AI; Legal; Orbis"
)
NAMES = ("lumen", "helene", "verita", "nimbus", "kestrel")


def build():
    cohort = reviewing_cohort(blind_review=True)
    question = QuestionFactory(cohort=cohort, label="What do you build?", required=False)
    founder = UserFactory(full_name="Hélène Dubois")
    startup = StartupFactory(name="Lumen Legal AI", members=[founder], pitch=MENTIONS)
    application = submitted_application(
        cohort=cohort, startup=startup, answers={question: MENTIONS}, deck_pages=None
    )
    for name in ("Nimbus", "Kestrel"):
        startup.name = name
        application_services.startup_update(startup=startup)
    application_services.application_submit(
        application=application, user=founder, privacy_notice_version=PRIVACY_NOTICE_VERSION
    )
    startup.name = "Orbis Verita"
    application_services.startup_update(startup=startup)
    for name in ("Orbis One", "Orbis Two", "Orbis Three"):
        make_application(
            status=ApplicationStatus.SUBMITTED, cohort=cohort, startup=StartupFactory(name=name)
        )
    # Drafts cost nothing to make: they do not make a word common.
    for number in range(3):
        make_application(cohort=cohort, startup=StartupFactory(name=f"Verita Draft {number}"))
    close_call(cohort)
    me = accepted_reviewer(cohort)
    assign(me, application)
    TOTP.activate(me.user, generate_totp_secret())
    return SimpleNamespace(application=application, me=me)


world = module_world(build)


def text_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(body(response))


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_the_queue_redacts_the_pitch_by_every_name_since_the_first_submission(client, world):
    client.force_login(world.me.user)

    page = text_of(client.get(reverse("review:queue")))

    assert [name for name in NAMES if name in folded(page)] == []
    assert REDACTED in page


def test_the_review_page_redacts_every_form_of_the_names(client, world):
    client.force_login(world.me.user)

    page = text_of(client.get(reverse("review:review", args=[world.application.pk])))

    assert [name for name in NAMES if name in folded(page)] == []
    assert page.count(REDACTED) == 2  # the pitch and the answer


def redact(text: str) -> str:
    names = Names(
        startup={"Lumen Legal AI", "Clinique Santé Nova"},
        people={"Hélène Dubois"},
        literals={"helene@lumen.example"},
    )
    return build_redactor(names)(text)


def test_a_name_is_redacted_in_any_form_its_common_words_alone_are_not():
    assert redact("Lumen Legal AI, LumenLegalAI, lumen.legal, LUMEN_LEGAL, Lumen Legal") == (
        "[redacted], [redacted], [redacted], [redacted], [redacted]"
    )
    assert redact("Legal AI for santé, sante and clinique; Nova; Clinique Santé Nova") == (
        "Legal AI for santé, sante and clinique; [redacted]; [redacted]"
    )
    assert redact("Illuminate legally, lumens") == "Illuminate legally, lumens"


def test_names_are_redacted_inside_links_and_handles_even_run_into_other_letters():
    assert redact("getlumen.io/team, x.com/@LumenHQ, @hdubois and linkedin.com/in/HELENE-D") == (
        "get[redacted].io/team, x.com/@[redacted]HQ, @h[redacted] and linkedin.com/in/[redacted]-D"
    )
    assert redact("Write to helene@lumen.example or Hélène, HELENE, Helène") == (
        "Write to [redacted] or [redacted], [redacted], [redacted]"
    )


def test_the_blind_queue_takes_the_same_queries_at_1_and_4_applications(client, world):
    client.force_login(world.me.user)
    queue = reverse("review:queue")
    with CaptureQueriesContext(connection) as one:
        client.get(queue)
    for application in Application.objects.filter(
        cohort=world.application.cohort, status=ApplicationStatus.SUBMITTED
    ).exclude(pk=world.application.pk):
        assign(world.me, application)

    with CaptureQueriesContext(connection) as four:
        response = client.get(queue)

    assert len(response.context["rows"]) == 4
    # The five of any queue (tests/reviews/test_query_counts.py), then the names: the
    # applications with their startups, memberships (and users), invitations, past names and
    # named conflicts; every submitted version's profile and team; the cohort's names.
    assert len(four) == len(one) == 12
