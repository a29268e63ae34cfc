"""Autosave, the hottest path: a fixed, small number of queries per save whatever the size of
the application, no row lock, and a submit's frozen version never holds half a save."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.models import Answer
from applications.privacy import PRIVACY_NOTICE_VERSION
from tests.factories.applications import make_application, open_cohort
from tests.factories.cohorts import QuestionFactory

pytestmark = pytest.mark.django_db


def save(client, application, question, value, version):
    return client.post(
        reverse("answer_autosave", args=[application.pk, question.pk]),
        {"value": value, "version": version},
        HTTP_HX_REQUEST="true",
    )


# Session and user; the application with its cohort, its personal closing time and the
# question, in one query; then a later save is one UPDATE, while a first save's UPDATE finds
# nothing and it inserts (in a savepoint: three statements).
QUERIES_FOR_A_LATER_SAVE = 4
QUERIES_FOR_A_FIRST_SAVE = 7


@pytest.mark.parametrize("questions", [1, 40])
def test_a_save_takes_the_same_few_queries_however_big_the_application(client, questions):
    cohort = open_cohort()
    asked = [QuestionFactory(cohort=cohort, required=False) for _index in range(questions)]
    application = make_application(cohort=cohort)
    founder = application.startup.memberships.get().user
    for other in asked[1:]:
        services.answer_save(application=application, question=other, value="Other answer",
                             base_version=0, user=founder)  # fmt: skip
    client.force_login(founder)

    with CaptureQueriesContext(connection) as first:
        created = save(client, application, asked[0], "First words", 0)
    with CaptureQueriesContext(connection) as later:
        updated = save(client, application, asked[0], "First words, then more", 1)

    assert (created.status_code, updated.status_code) == (200, 200)
    assert 'value="2"' in updated.content.decode()
    assert Answer.objects.get(question=asked[0]).value == "First words, then more"
    assert (len(first), len(later)) == (QUERIES_FOR_A_FIRST_SAVE, QUERIES_FOR_A_LATER_SAVE)
    assert not any("FOR UPDATE" in query["sql"] for query in [*first, *later])


def test_a_stale_first_save_from_a_second_tab_is_a_conflict_not_an_overwrite(client):
    cohort = open_cohort()
    question = QuestionFactory(cohort=cohort, required=False)
    application = make_application(cohort=cohort)
    client.force_login(application.startup.memberships.get().user)

    save(client, application, question, "From the first tab", 0)
    second = save(client, application, question, "From the second tab", 0)

    assert second.status_code == 409
    assert "From the first tab" in second.content.decode()
    assert Answer.objects.get(question=question).value == "From the first tab"


def test_a_save_on_a_withdrawn_application_is_refused_and_changes_nothing(client):
    cohort = open_cohort()
    question = QuestionFactory(cohort=cohort, required=False)
    application = make_application(cohort=cohort, status="submitted")
    founder = application.startup.memberships.get().user
    services.answer_save(application=application, question=question, value="Kept",
                         base_version=0, user=founder)  # fmt: skip
    services.application_withdraw(application=application, user=founder)
    client.force_login(founder)

    response = save(client, application, question, "Too late", 1)

    assert response.status_code == 409
    assert "This application can no longer change." in response.content.decode()
    assert Answer.objects.get(question=question).value == "Kept"


def test_a_submit_freezes_the_answers_it_checked(client):
    cohort = open_cohort()
    question = QuestionFactory(cohort=cohort, label="Your product?")
    application = make_application(cohort=cohort)
    founder = application.startup.memberships.get().user
    services.answer_save(application=application, question=question, value="A legal assistant",
                         base_version=0, user=founder)  # fmt: skip

    services.application_submit(application=application, user=founder,
                                privacy_notice_version=PRIVACY_NOTICE_VERSION)  # fmt: skip

    [answer] = application.submissions.get().content["answers"]
    assert answer["value"] == "A legal assistant"
