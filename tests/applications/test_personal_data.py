"""A person's data: downloaded whole, deleted with their account, anonymised after retention."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from applications import services
from applications.enums import ApplicationStatus
from applications.models import Answer, Application, ApplicationEvent, Startup, Submission
from applications.models.applications import storages_private
from applications.privacy import PRIVACY_NOTICE_VERSION
from cohorts.enums import QuestionKind
from notifications.models import EmailKind, OutgoingEmail
from tests.factories import PASSWORD, UserFactory
from tests.factories.applications import StartupFactory, make_application, open_cohort
from tests.factories.cohorts import CohortFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def submitted_application(startup, cohort=None, text="Our secret sauce."):
    """A submitted application with one answer and its frozen version."""
    cohort = cohort or open_cohort()
    question = QuestionFactory(cohort=cohort, kind=QuestionKind.LONG_TEXT, word_limit=None)
    application = make_application(startup=startup, cohort=cohort)
    user = startup.memberships.first().user
    services.answer_save(application=application, question=question, value=text,
                         base_version=0, user=user)  # fmt: skip
    return services.application_submit(
        application=application, user=user, privacy_notice_version=PRIVACY_NOTICE_VERSION
    )


def delete_account(client, user):
    client.force_login(user)
    return client.post(reverse("my_data"), {"password": PASSWORD})


def test_export_holds_every_kind_of_data(client):
    founder = UserFactory(email="ada@lumen.example", full_name="Ada Lovelace")
    startup = StartupFactory(name="Lumen Legal AI", members=[founder])
    application = submitted_application(startup)
    client.force_login(founder)

    response = client.get(reverse("my_data_download"))

    data = json.loads(response.content)
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert data["account"]["email"] == "ada@lumen.example"
    assert data["account"]["email_addresses"] == [
        {"email": "ada@lumen.example", "verified": True, "primary": True}
    ]
    assert [s["profile"]["name"] for s in data["startups"]] == ["Lumen Legal AI"]
    [exported] = data["applications"]
    assert exported["id"] == application.pk
    assert exported["answers"][0]["value"] == "Our secret sauce."
    assert [v["number"] for v in exported["submitted_versions"]] == [1]
    assert exported["submitted_versions"][0]["sha256"] == application.submissions.get().sha256
    assert [h["status"] for h in exported["history"]] == ["submitted"]
    assert [e["kind"] for e in data["emails"]] == ["application_submitted"]


def test_export_gives_an_extensions_message_never_its_staff_reason(client):
    founder = UserFactory()
    application = submitted_application(StartupFactory(members=[founder]))
    closes_at = application.cohort.closes_at + timedelta(days=2)
    services.extension_grant(application=application, closes_at=closes_at,
                             reason="Founder in hospital", message="Take care.",
                             granted_by=None)  # fmt: skip
    client.force_login(founder)

    response = client.get(reverse("my_data_download"))

    assert "Founder in hospital" not in response.content.decode()
    [exported] = response.json()["applications"]
    assert exported["extensions"] == [{"closes_at": closes_at.isoformat(), "message": "Take care."}]


def test_deleting_with_co_founders_left_removes_only_the_user(client):
    leaving = UserFactory(full_name="Ada Lovelace")
    staying = UserFactory(full_name="Grace Hopper")
    startup = StartupFactory(name="Lumen Legal AI", members=[leaving, staying])
    application = submitted_application(startup)
    other = submitted_application(StartupFactory(name="Someone Else"), text="Not theirs.")

    response = delete_account(client, leaving)

    assert response["Location"] == "/"
    assert not User.objects.filter(pk=leaving.pk).exists()
    startup.refresh_from_db()
    assert startup.name == "Lumen Legal AI"
    assert list(startup.memberships.values_list("user", flat=True)) == [staying.pk]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert Answer.objects.get(application=application).value == "Our secret sauce."
    submitted_by_leaving = ApplicationEvent.objects.filter(
        application=application, to_status="submitted"
    ).get()
    assert (submitted_by_leaving.actor, submitted_by_leaving.actor_name) == (None, "deleted user")
    assert Answer.objects.get(application=other).value == "Not theirs."


def test_deleting_the_last_member_removes_drafts_and_withdraws_the_rest(client, settings):
    founder = UserFactory()
    startup = StartupFactory(name="Lumen Legal AI", members=[founder])
    submitted = submitted_application(startup)
    draft = make_application(startup=startup)
    other = submitted_application(StartupFactory(name="Someone Else"), text="Not theirs.")

    delete_account(client, founder)

    assert not Application.objects.filter(pk=draft.pk).exists()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.WITHDRAWN
    assert submitted.anonymised_at is not None
    assert Answer.objects.get(application=submitted).value == ""
    content = Submission.objects.get(application=submitted).content
    assert content["redacted"] is True
    assert "Our secret sauce." not in json.dumps(content)
    assert "Lumen Legal AI" not in json.dumps(content)
    startup.refresh_from_db()
    assert startup.name == f"Deleted startup #{startup.pk}"
    assert startup.pitch == ""
    assert Answer.objects.get(application=other).value == "Not theirs."
    assert Startup.objects.get(name="Someone Else").memberships.count() == 1


def test_a_wrong_password_deletes_nothing(client):
    founder = UserFactory()
    client.force_login(founder)

    response = client.post(reverse("my_data"), {"password": "not mine"})

    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=founder.pk).exists()


NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def cohort_ended_months_ago(months: int, **fields):
    ends = (NOW - timedelta(days=months * 30.5)).date()
    return CohortFactory(
        opens_at=datetime(2020, 1, 1, tzinfo=UTC),
        closes_at=datetime(2020, 2, 1, tzinfo=UTC),
        program_starts_on=date(2020, 3, 1),
        program_ends_on=ends,
        **fields,
    )


def statistics(cohort) -> list:
    return sorted(Application.objects.filter(cohort=cohort).values_list("status", "submitted_at"))


def test_retention_anonymises_old_cohorts_but_keeps_winners_and_statistics():
    old = cohort_ended_months_ago(25)
    research = CohortFactory(
        opens_at=None, closes_at=datetime(2024, 9, 10, 21, 59, 59, tzinfo=UTC),
        program_starts_on=None, program_ends_on=None, applicant_kind="research_team",
    )  # fmt: skip
    recent = cohort_ended_months_ago(23)
    applications = {}
    for cohort in (old, research, recent):
        for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.WINNER):
            application = make_application(cohort=cohort, status=status)
            question = QuestionFactory(cohort=cohort, kind="long_text", word_limit=None)
            Answer.objects.create(application=application, question=question, value="Personal")
            applications[(cohort.pk, status)] = application
    before = {cohort.pk: statistics(cohort) for cohort in (old, research, recent)}

    with time_machine.travel(NOW):
        anonymised = services.retention_apply()

    assert anonymised == 2
    for cohort in (old, research):
        loser = applications[(cohort.pk, ApplicationStatus.SUBMITTED)]
        winner = applications[(cohort.pk, ApplicationStatus.WINNER)]
        assert Answer.objects.get(application=loser).value == ""
        assert Answer.objects.get(application=winner).value == "Personal"
        assert Application.objects.get(pk=loser.pk).anonymised_at is not None
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.WINNER):
        untouched = applications[(recent.pk, status)]
        assert Answer.objects.get(application=untouched).value == "Personal"
    assert {cohort.pk: statistics(cohort) for cohort in (old, research, recent)} == before
    with time_machine.travel(NOW):
        assert services.retention_apply() == 0  # done once


def test_the_last_member_leaving_removes_every_stored_file(
    client, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    from applications.models import Invitation

    def pdf(pages):
        writer = PdfWriter()
        for _page in range(pages):
            writer.add_blank_page(width=100, height=100)
        output = io.BytesIO()
        writer.write(output)
        return SimpleUploadedFile("deck.pdf", output.getvalue())

    founder = UserFactory()
    startup = StartupFactory(members=[founder])
    cohort = open_cohort()
    file_question = QuestionFactory(cohort=cohort, kind="file", word_limit=None, required=False)
    application = make_application(startup=startup, cohort=cohort)
    services.pitch_deck_upload(application=application, upload=pdf(2), user=founder)
    services.answer_file_upload(application=application, question=file_question,
                                upload=pdf(1), user=founder)  # fmt: skip
    services.application_submit(application=application, user=founder,
                                privacy_notice_version=PRIVACY_NOTICE_VERSION)  # fmt: skip
    first_deck = Application.objects.get().pitch_deck.name
    services.pitch_deck_upload(application=application, upload=pdf(3), user=founder)
    later = cohort.closes_at + timedelta(days=1)
    services.extension_grant(application=application, closes_at=later, reason="Medical leave",
                             granted_by=None)  # fmt: skip
    services.invitation_create(startup=startup, email="x@y.example", invited_by=founder,
                               base_url="http://t")  # fmt: skip
    storage = storages_private()
    stored = [first_deck, Application.objects.get().pitch_deck.name,
              Answer.objects.get(question=file_question).value["file"]]  # fmt: skip
    assert all(storage.exists(name) for name in stored)

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(client, founder)

    assert [storage.exists(name) for name in stored] == [False, False, False]
    assert application.extensions.get().reason == ""
    assert Invitation.objects.count() == 0
    confirmation = OutgoingEmail.objects.get(kind=EmailKind.APPLICATION_SUBMITTED)
    assert confirmation.body_text == ""


def test_a_leaving_co_founder_disappears_from_submitted_teams(client):
    leaving = UserFactory(full_name="Ada Lovelace")
    staying = UserFactory(full_name="Grace Hopper")
    startup = StartupFactory(members=[leaving, staying])
    application = submitted_application(startup)

    delete_account(client, leaving)

    team = Submission.objects.get(application=application).content["team"]
    assert [member["name"] for member in team] == ["Grace Hopper"]


def test_the_export_leaves_out_codes_and_links_waiting_to_be_sent(client):
    from notifications.services import email_queue

    founder = UserFactory()
    email_queue(kind=EmailKind.PASSWORD_RESET, to_address=founder.email, subject="Reset",
                body_text="https://x.example/reset/SECRET/", recipient=founder)  # fmt: skip
    client.force_login(founder)

    data = client.get(reverse("my_data_download")).json()

    assert [(e["kind"], e["text"]) for e in data["emails"]] == [("password_reset", "")]
