"""Told what changed: a required question added after a startup submitted flags its application
on the dashboard and emails every member, once; the dashboard lists the open calls."""

import pytest
from django.urls import reverse

from cohorts.enums import QuestionKind
from notifications.models import EmailKind, OutgoingEmail
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, open_cohort, submitted_application
from tests.factories.cohorts import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    ada = UserFactory(email="ada@lumen.example", language="en")
    ines = UserFactory(email="ines@lumen.example", language="fr")
    startup = StartupFactory(name="Lumen Legal AI", members=[ada, ines])
    return submitted_application(startup=startup, cohort=open_cohort(name="Demo cohort"))


def needs_attention_emails():
    return OutgoingEmail.objects.filter(
        kind=EmailKind.GENERIC, idempotency_key__startswith="needs-attention:"
    ).order_by("to_address")


def test_a_required_question_added_later_emails_every_member_in_their_language(submitted):
    question = QuestionFactory(cohort=submitted.cohort, kind=QuestionKind.SHORT_TEXT,
                               label_en="Who is your first customer?",
                               label_fr="Qui est votre premier client ?")  # fmt: skip

    emails = needs_attention_emails()
    cohort = str(submitted.cohort)
    assert [(e.to_address, e.language, e.subject) for e in emails] == [
        ("ada@lumen.example", "en", f"Your application needs attention: {cohort}"),
        ("ines@lumen.example", "fr", f"Votre candidature demande votre attention : {cohort}"),
    ]
    assert "Who is your first customer?" in emails[0].body_text
    assert "Qui est votre premier client ?" in emails[1].body_text
    assert '<html lang="fr">' in emails[1].body_html

    question.label_en = "Who is your first paying customer?"
    question.save()
    assert needs_attention_emails().count() == 2


def test_an_optional_question_added_later_tells_nobody(submitted):
    QuestionFactory(cohort=submitted.cohort, required=False)

    assert needs_attention_emails().count() == 0


def test_the_dashboard_flags_the_application_until_the_question_is_answered(client, submitted):
    question = QuestionFactory(cohort=submitted.cohort, kind=QuestionKind.SHORT_TEXT,
                               label="Who is your first customer?")  # fmt: skip
    member = submitted.startup.memberships.first().user
    client.force_login(member)

    before = client.get(reverse("dashboard")).content.decode()
    from applications import services

    services.answer_save(application=submitted, question=question, value="A law firm",
                         base_version=0, user=member)  # fmt: skip
    after = client.get(reverse("dashboard")).content.decode()

    assert "<strong>Needs attention</strong>" in before
    assert f'#answer-{question.pk}">Who is your first customer?</a>' in before
    assert "Needs attention" not in after


def test_the_dashboard_lists_the_open_calls_with_their_deadlines(client):
    cohort = open_cohort(name="Spring call")
    client.force_login(UserFactory())

    page = client.get(reverse("dashboard")).content.decode()

    calls = page.split('id="open-calls-title"')[1]
    assert f"{cohort.program.name} — Spring call" in calls
    assert 'class="deadline"' in calls
