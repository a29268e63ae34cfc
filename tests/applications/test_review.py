"""Nothing asked twice: the profile says which fields an application needs, and "Review and
submit" shows the profile and every answer to reread."""

import pytest
from django.urls import reverse

from applications import services
from cohorts.enums import QuestionKind
from tests.factories.applications import StartupFactory, make_application
from tests.factories.cohorts import QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_profile_marks_the_fields_an_application_needs(client):
    startup = StartupFactory()
    client.force_login(startup.memberships.get().user)

    page = client.get(reverse("startup", args=[startup.pk])).content.decode()

    marked = [
        chunk.split('name="startup-')[1].split('"')[0]
        for chunk in page.split('<div class="needed-to-apply">Needed to apply</div>')[1:]
    ]
    assert marked == ["name", "country", "year_founded", "stage", "team_size",
                      "funding_raised", "pitch", "foundation_models"]  # fmt: skip


def test_review_and_submit_shows_the_profile_and_every_answer(client):
    startup = StartupFactory(name="Lumen Legal AI", city="Lyon", pitch="Contracts, drafted.")
    application = make_application(startup=startup)
    user = startup.memberships.get().user
    written = QuestionFactory(cohort=application.cohort, kind=QuestionKind.LONG_TEXT,
                              label="What are you building?")  # fmt: skip
    yes_no = QuestionFactory(cohort=application.cohort, kind=QuestionKind.YES_NO,
                             label="Can you work from Paris?")  # fmt: skip
    unanswered = QuestionFactory(cohort=application.cohort, kind=QuestionKind.SHORT_TEXT,
                                 label="Who is your first customer?", required=False)  # fmt: skip
    for question, value in ((written, "A legal assistant."), (yes_no, "yes")):
        services.answer_save(application=application, question=question, value=value,
                             base_version=0, user=user)  # fmt: skip
    client.force_login(user)

    page = client.get(reverse("application_submit", args=[application.pk])).content.decode()

    review = page.split('id="review-title"')[1].split("</section>")[0]
    assert "Lumen Legal AI" in review
    assert "Lyon, France" in review
    assert "Contracts, drafted." in review
    assert "<dt>What are you building?</dt><dd>A legal assistant.</dd>" in review
    assert "<dt>Can you work from Paris?</dt><dd>Yes</dd>" in review
    assert f"<dt>{unanswered.label}</dt><dd>—</dd>" in review
