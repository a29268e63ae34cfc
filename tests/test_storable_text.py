"""Text the database cannot store (a NUL byte: PostgreSQL refuses it, SQLite would keep it) is
refused with a message beside its field, in autosave and in every form, on both engines."""

import pytest
from django.urls import reverse

from accelerator.text import UNSTORABLE_MESSAGE
from accounts.forms import AccountDeletionForm, ProfileForm
from applications.forms import (
    ExtensionForm,
    InvitationForm,
    MembershipForm,
    StaffFilterForm,
    StartupForm,
)
from applications.models import Answer
from cohorts.enums import QuestionKind
from notifications.forms import OutboxFilterForm
from tests.factories import UserFactory, staff_member
from tests.factories.applications import make_application, open_cohort
from tests.factories.cohorts import ProgramFactory, QuestionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

MESSAGE = str(UNSTORABLE_MESSAGE)
NUL = "Pasted from a PDF\x00 here"

AUTOSAVED = {
    # kind: (question fields, a value with a NUL)
    QuestionKind.SHORT_TEXT: ({}, NUL),
    QuestionKind.LONG_TEXT: ({"word_limit": 50}, NUL),
    QuestionKind.URL: ({}, "https://demo.example/\x00"),
    QuestionKind.NUMBER: ({}, "12\x00"),
    QuestionKind.SINGLE_CHOICE: ({"choices": "MVP\nProduct"}, "MVP\x00"),
    QuestionKind.MULTIPLE_CHOICE: ({"choices": "Llama 3\nMistral 7B"}, ["Llama 3", "\x00"]),
}


@pytest.mark.parametrize("kind", list(AUTOSAVED))
def test_autosave_refuses_a_nul_beside_the_field_and_keeps_the_saved_answer(client, kind):
    fields, value = AUTOSAVED[kind]
    question = QuestionFactory(cohort=open_cohort(), kind=kind, **({"word_limit": None} | fields))
    application = make_application(cohort=question.cohort)
    Answer.objects.create(application=application, question=question, value="before", version=1)
    client.force_login(application.startup.memberships.get().user)

    response = client.post(
        reverse("answer_autosave", args=[application.pk, question.pk]),
        {"value": value, "version": 1},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 409
    assert f'<p class="save-state not-saved">{MESSAGE} </p>' in response.content.decode()
    assert list(Answer.objects.values_list("value", "version")) == [("before", 1)]


FORMS = {
    # name: (the form, built on data; its text fields)
    "startup": (lambda data: StartupForm(data), ["name", "city", "pitch", "other_model_name"]),
    "membership": (lambda data: MembershipForm(data), ["role", "linkedin_url"]),
    "invitation": (lambda data: InvitationForm(data), ["email"]),
    "staff-filters": (lambda data: StaffFilterForm(data, countries=[]), ["q"]),
    "extension": (lambda data: ExtensionForm(data), ["reason"]),
    "outbox-filters": (lambda data: OutboxFilterForm(data, cohorts={}), ["q"]),
    "profile": (lambda data: ProfileForm(data, instance=UserFactory()), ["full_name"]),
    "account-deletion": (lambda data: AccountDeletionForm(UserFactory(), data), ["password"]),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_every_form_refuses_a_nul_in_its_text_fields_with_the_message_beside_them(name):
    build, text_fields = FORMS[name]

    form = build(dict.fromkeys(text_fields, "a\x00b"))

    assert not form.is_valid()
    assert {field: form.errors[field] for field in text_fields} == {
        field: [MESSAGE] for field in text_fields
    }


def test_the_startup_profile_page_shows_the_refusal_beside_the_name(client):
    application = make_application()
    startup = application.startup
    name = startup.name
    client.force_login(startup.memberships.get().user)

    response = client.post(
        reverse("startup", args=[startup.pk]),
        {"startup-name": "Lumen\x00 Legal", "startup-country": "FR", "startup-stage": "product"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [MESSAGE]
    startup.refresh_from_db()
    assert startup.name == name


def test_account_settings_refuse_a_nul_in_the_full_name(client):
    user = UserFactory(full_name="Ada Lovelace")
    client.force_login(user)

    response = client.post(
        reverse("profile_settings"),
        {"full_name": "Ada\x00", "language": "en", "time_zone": "Europe/Paris"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [MESSAGE]
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"


def test_staff_filters_with_a_nul_list_everything_and_say_why(client):
    program = ProgramFactory()
    cohort = open_cohort(program=program)
    make_application(cohort=cohort)
    client.force_login(staff_member(programs=[program]))

    applications = client.get(reverse("staff:cohort_applications", args=[cohort.pk]), {"q": NUL})
    outbox = client.get(reverse("staff:outbox"), {"q": NUL})

    assert applications.status_code == 200
    assert len(applications.context["page"].object_list) == 1
    assert applications.context["form"].errors["q"] == [MESSAGE]
    assert outbox.status_code == 200
    assert outbox.context["form"].errors["q"] == [MESSAGE]
