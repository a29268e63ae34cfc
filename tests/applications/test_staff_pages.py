"""A cohort's applications in the staff workspace: the list (filters, search, paging), one
application read in full, its files, extensions; in a number of queries that does not grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import selectors, services
from applications.enums import ApplicationStatus
from cohorts.enums import QuestionKind
from tests.clock import clock_pinned
from tests.factories import UserFactory, staff_member
from tests.factories.applications import (
    StartupFactory,
    make_application,
    open_cohort,
    submitted_application,
)
from tests.factories.cohorts import ProgramFactory, QuestionFactory

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    program = ProgramFactory(name="AI Startup Program", slug="ai-startup-program")
    user = staff_member(programs=[program], email="manager@stationf.example")
    client.force_login(user)
    user.program = program
    return user


def listed(response) -> list[str]:
    return [application.startup.name for application in response.context["page"].object_list]


def test_the_list_shows_a_cohorts_applications_newest_submission_first(client, manager):
    cohort = open_cohort(program=manager.program)
    make_application(cohort=cohort, startup=StartupFactory(name="Draft Co"))
    submitted_application(cohort=cohort, startup=StartupFactory(name="Older"))
    submitted_application(cohort=cohort, startup=StartupFactory(name="Newer"))
    make_application(startup=StartupFactory(name="Another program's"))

    response = client.get(reverse("staff:cohort_applications", args=[cohort.pk]))

    assert response.status_code == 200
    assert listed(response) == ["Newer", "Older", "Draft Co"]
    rows = {a.startup.name: a for a in response.context["page"].object_list}
    assert (rows["Newer"].latest_version, rows["Draft Co"].latest_version) == (1, None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "submitted"}, ["Lumen Legal AI"]),
        ({"stage": "product"}, ["Mistral Lab"]),
        ({"country": "DE"}, ["Mistral Lab"]),
        ({"foundation_model": "mistral_7b"}, ["Mistral Lab"]),
        ({"q": "LUMEN"}, ["Lumen Legal AI"]),
        ({"q": "lumen", "status": "draft"}, []),
    ],
)
def test_filters_and_search_narrow_the_list(client, manager, query, expected):
    cohort = open_cohort(program=manager.program)
    submitted_application(cohort=cohort, startup=StartupFactory(name="Lumen Legal AI"))
    make_application(
        cohort=cohort,
        startup=StartupFactory(
            name="Mistral Lab", country="DE", stage="product", foundation_models=["mistral_7b"]
        ),
    )

    response = client.get(reverse("staff:cohort_applications", args=[cohort.pk]), query)

    assert listed(response) == expected


def test_a_filter_value_that_is_not_a_choice_is_reported_and_ignored(client, manager):
    cohort = open_cohort(program=manager.program)
    make_application(cohort=cohort, startup=StartupFactory(name="Lumen Legal AI"))

    response = client.get(
        reverse("staff:cohort_applications", args=[cohort.pk]), {"status": "bogus"}
    )

    assert listed(response) == ["Lumen Legal AI"]
    assert response.context["form"].errors["status"] == [
        "Select a valid choice. bogus is not one of the available choices."
    ]


def test_the_country_filter_offers_only_countries_that_applied(client, manager):
    cohort = open_cohort(program=manager.program)
    make_application(cohort=cohort, startup=StartupFactory(country="FR"))
    make_application(cohort=cohort, startup=StartupFactory(country="DE"))
    make_application(startup=StartupFactory(country="IT"))

    response = client.get(reverse("staff:cohort_applications", args=[cohort.pk]))

    assert response.context["form"].fields["country"].choices == [
        ("", "Any"),
        ("FR", "France"),
        ("DE", "Germany"),
    ]


def test_pages_of_one_hundred_keep_the_filters(client, manager):
    cohort = open_cohort(program=manager.program)
    for index in range(selectors.STAFF_PAGE_SIZE + 1):
        make_application(cohort=cohort, startup=StartupFactory(name=f"Startup {index:03d}"))

    first = client.get(reverse("staff:cohort_applications", args=[cohort.pk]), {"q": "startup"})
    second = client.get(
        reverse("staff:cohort_applications", args=[cohort.pk]), {"q": "startup", "page": 2}
    )

    assert len(first.context["page"].object_list) == 100
    assert listed(second) == ["Startup 100"]
    assert 'href="?q=startup&amp;page=2"' in first.content.decode()


def test_an_answer_saved_since_the_submitted_version_is_flagged(client, manager):
    cohort = open_cohort(program=manager.program)
    question = QuestionFactory(cohort=cohort, label="What do you build?", required=False)
    application = submitted_application(cohort=cohort, answers={question: "A legal assistant"})
    services.answer_save(
        application=application,
        question=question,
        value="A legal assistant for SMEs",
        base_version=1,
        user=application.startup.memberships.get().user,
    )

    listing = client.get(reverse("staff:cohort_applications", args=[cohort.pk]))
    detail = client.get(reverse("staff:application", args=[application.pk]))

    assert [a.changed for a in listing.context["page"].object_list] == [True]
    page = detail.content.decode()
    assert "changed since submitted" in listing.content.decode()
    assert [
        (row["submitted"], row["draft"], row["differs"]) for row in detail.context["answers"]
    ] == [("A legal assistant", "A legal assistant for SMEs", True)]
    assert "Live draft, not submitted:" in page


def test_the_application_page_shows_everything_a_manager_reads(client, manager):
    cohort = open_cohort(program=manager.program)
    pitch = QuestionFactory(cohort=cohort, label="Your product?", required=False)
    choice = QuestionFactory(cohort=cohort, kind=QuestionKind.MULTIPLE_CHOICE, word_limit=None,
                             label="Which models?", choices="Llama 3\nMistral 7B",
                             required=False)  # fmt: skip
    founder = UserFactory(full_name="Zoé Lefèvre", email="zoe@lumen.example")
    startup = StartupFactory(name="Lumen Legal AI", members=[founder])
    application = submitted_application(
        cohort=cohort, startup=startup, answers={pitch: "Contracts in plain French",
                                                 choice: ["Llama 3", "Mistral 7B"]},
    )  # fmt: skip

    response = client.get(reverse("staff:application", args=[application.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert [(row["label"], row["submitted"]) for row in response.context["answers"]] == [
        ("Your product?", "Contracts in plain French"),
        ("Which models?", "Llama 3; Mistral 7B"),
    ]
    assert "Zoé Lefèvre" in page
    assert "zoe@lumen.example" in page
    assert application.submissions.get().sha256 in page
    assert reverse("staff:application_deck", args=[application.pk]) + "?version=1" in page


def test_staff_download_the_submitted_deck_and_file_answers(client, manager):
    from tests.factories.files import pdf_bytes

    cohort = open_cohort(program=manager.program)
    application = submitted_application(cohort=cohort, deck_pages=4)

    deck = client.get(reverse("staff:application_deck", args=[application.pk]), {"version": 1})
    missing = client.get(reverse("staff:application_deck", args=[application.pk]), {"version": 2})

    assert deck.status_code == 200
    assert b"".join(deck.streaming_content) == pdf_bytes(4)
    assert deck["Content-Disposition"].startswith("attachment;")
    assert deck["X-Content-Type-Options"] == "nosniff"
    assert missing.status_code == 404


def test_a_manager_grants_an_extension_on_the_application_page(client, manager):
    application = make_application(cohort=open_cohort(program=manager.program))
    url = reverse("staff:application", args=[application.pk])
    personal = application.cohort.closes_at + timedelta(days=2)
    paris = personal.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))

    granted = client.post(url, {"closes_at": paris.strftime("%Y-%m-%dT%H:%M"),
                                "reason": "Founder in hospital"})  # fmt: skip
    early = client.post(url, {"closes_at": "2020-01-01T00:00", "reason": "Too early"})

    assert granted.status_code == 302
    extension = application.extensions.get()
    assert (extension.reason, extension.granted_by) == ("Founder in hospital", manager)
    assert extension.closes_at == personal.replace(second=0, microsecond=0)
    assert early.context["extension_form"].errors["closes_at"] == [
        "An extension must end after the call closes."
    ]


def _cohort_with(count: int, program):
    cohort = open_cohort(program=program)
    question = QuestionFactory(cohort=cohort, required=False)
    for index in range(count):
        if index % 2:
            make_application(cohort=cohort)
        else:
            submitted_application(cohort=cohort, answers={question: f"Answer {index}"},
                                  deck_pages=None)  # fmt: skip
    return cohort


# Session, user and MFA check; the staff scope; the cohort; the country choices (from the
# cache once a first visit has filled it); the count; the page of rows with their startups;
# their versions; their last saved answers; the applications the viewer is in conflict with.
QUERIES_FOR_THE_LIST = 11
# Session, user and MFA check; the staff scope; the application with its startup and cohort;
# its members, versions, events, answers, extensions, questions and the conflicts the startup
# named.
QUERIES_FOR_AN_APPLICATION = 12


@pytest.mark.parametrize("count", [10, 100])
def test_the_list_takes_the_same_queries_at_10_and_100(client, manager, count):
    cohort = _cohort_with(count, manager.program)
    client.get(reverse("staff:cohort_applications", args=[cohort.pk]))  # fills the cache

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staff:cohort_applications", args=[cohort.pk]))

    assert len(response.context["page"].object_list) == count
    assert len(queries) == QUERIES_FOR_THE_LIST


@pytest.mark.parametrize("count", [10, 100])
def test_the_application_page_takes_the_same_queries_at_10_and_100(client, manager, count):
    cohort = _cohort_with(count, manager.program)
    application = cohort.applications.filter(status=ApplicationStatus.SUBMITTED).first()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staff:application", args=[application.pk]))

    assert response.status_code == 200
    assert len(queries) == QUERIES_FOR_AN_APPLICATION


def test_the_country_filter_follows_new_applications_and_profile_changes(client, manager):
    cohort = open_cohort(program=manager.program)
    make_application(cohort=cohort, startup=StartupFactory(country="FR"))
    url = reverse("staff:cohort_applications", args=[cohort.pk])
    before = client.get(url).context["form"].fields["country"].choices

    german = StartupFactory(country="DE")
    services.application_start(startup=german, cohort=cohort, user=german.memberships.get().user)
    after_start = client.get(url).context["form"].fields["country"].choices
    german.country = "IT"
    services.startup_update(startup=german)
    after_move = client.get(url).context["form"].fields["country"].choices

    assert before == [("", "Any"), ("FR", "France")]
    assert after_start == [("", "Any"), ("FR", "France"), ("DE", "Germany")]
    assert after_move == [("", "Any"), ("FR", "France"), ("IT", "Italy")]


def test_an_extension_emails_every_member_the_new_time_and_the_message_never_the_reason(
    client, manager
):
    from applications.models import Extension
    from notifications.models import EmailKind, OutgoingEmail
    from tests.factories.cohorts import CohortFactory

    cohort = CohortFactory(program=manager.program, name="Batch 2024")  # closes 16 August
    ada = UserFactory(email="ada@lumen.example", language="en", time_zone="Europe/Paris")
    zoe = UserFactory(email="zoe@lumen.example", language="fr", time_zone="America/New_York")
    startup = StartupFactory(name="Lumen Legal AI", members=[ada, zoe])
    application = make_application(startup=startup, cohort=cohort)
    url = reverse("staff:application", args=[application.pk])

    granted = client.post(url, {"closes_at": "2024-08-18T23:59", "reason": "Founder in hospital",
                                "message": "Take care; submit when you can."})  # fmt: skip

    assert granted.status_code == 302
    extension = Extension.objects.get(application=application)
    assert (extension.reason, extension.message) == (
        "Founder in hospital",
        "Take care; submit when you can.",
    )
    emails = OutgoingEmail.objects.filter(kind=EmailKind.EXTENSION_GRANTED).order_by("to_address")
    sent = [
        (e.to_address, e.recipient, e.language, e.cohort_id, e.idempotency_key, e.subject)
        for e in emails
    ]
    key = f"extension-granted:{application.pk}:{extension.pk}"
    assert sent == [
        ("ada@lumen.example", ada, "en", cohort.pk, f"{key}:{ada.pk}",
         "More time to apply: AI Startup Program — Batch 2024"),
        ("zoe@lumen.example", zoe, "fr", cohort.pk, f"{key}:{zoe.pk}",
         "Plus de temps pour candidater : AI Startup Program — Batch 2024"),
    ]  # fmt: skip
    assert emails[0].body_text == (
        "The program gives Lumen Legal AI more time: its application to AI Startup Program — "
        "Batch 2024 can be submitted until 18 August 2024, 23:59 Paris time.\n"
        "\nA message from the program:\nTake care; submit when you can.\n"
    )
    assert emails[1].body_text == (
        "Le programme accorde plus de temps à Lumen Legal AI : sa candidature à AI Startup "
        "Program — Batch 2024 peut être soumise jusqu’au 18 août 2024, 23:59, heure de Paris.\n"
        "Dans votre fuseau horaire (America/New_York) : 18 août 2024, 17:59.\n"
        "\nUn message du programme :\nTake care; submit when you can.\n"
    )
    assert all("Founder in hospital" not in email.body_text for email in emails)
    staff_page = client.get(url).content.decode()
    assert "Founder in hospital" in staff_page
    assert "Take care; submit when you can." in staff_page
    client.force_login(ada)
    for founder_page in (reverse("application", args=[application.pk]), reverse("dashboard")):
        page = client.get(founder_page).content.decode()
        assert "Take care; submit when you can." in page
        assert "Founder in hospital" not in page


def test_an_extension_without_a_message_says_only_the_time(client, manager):
    from notifications.models import EmailKind, OutgoingEmail
    from tests.factories.cohorts import CohortFactory

    cohort = CohortFactory(program=manager.program, name="Batch 2024")
    founder = UserFactory(language="en", time_zone="Asia/Tokyo")
    application = make_application(startup=StartupFactory(members=[founder]), cohort=cohort)

    closes_at = cohort.closes_at + timedelta(days=1)
    services.extension_grant(
        application=application, closes_at=closes_at, reason="Bank holiday", granted_by=manager
    )

    email = OutgoingEmail.objects.get(kind=EmailKind.EXTENSION_GRANTED)
    assert email.body_text == (
        f"The program gives {application.startup.name} more time: its application to "
        "AI Startup Program — Batch 2024 can be submitted until 17 August 2024, 23:59 Paris "
        "time.\nIn your time zone (Asia/Tokyo): 18 August 2024, 06:59.\n"
    )
