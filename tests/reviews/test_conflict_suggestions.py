"""Conflicts found before they do harm: members and invitees of a startup are in conflict with
its application automatically; a shared registrable domain (never a free-mail provider's, nor
a code or model host's) is a suggestion staff confirm or dismiss, and a dismissed one never
comes back."""

import pytest
from django.urls import reverse

from applications import services as application_services
from reviews import services
from reviews.conflicts import email_domain, name_key, registrable_domain, website_domain
from reviews.enums import ConflictSource, ConflictState
from reviews.models import Assignment, Conflict
from tests.clock import clock_pinned
from tests.factories import UserFactory, staff_member
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.reviews import accepted_reviewer, assign, close_call, reviewing_cohort
from tests.reviews.test_reviewer_access import request as reviewer_request
from tests.reviews.test_reviewer_access import reviewer_url_names

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db

# founder's email, startup's website, reviewer's email → suggested?
DOMAIN_CASES = [
    ("ana@lumen.ai", "", "bob@lumen.ai", True),
    ("ana@gmail.com", "", "bob@gmail.com", False),
    ("ana@sfr.fr", "", "bob@sfr.fr", False),
    ("ana@gmail.com", "https://www.LUMEN.ai", "x@eu.lumen.ai", True),
    ("ana@gmail.com", "https://huggingface.co/lumen", "y@huggingface.co", False),
    ("ana@gmail.com", "https://lumen.vercel.app", "z@other.vercel.app", False),
]


def lumen(cohort, founder_email: str, website: str = ""):
    founder = UserFactory(email=founder_email, full_name="Ana Lumen")
    startup = StartupFactory(name="Lumen", website=website, members=[founder])
    return submitted_application(cohort=cohort, startup=startup)


def conflicts_of(user):
    return list(Conflict.objects.filter(user=user).values_list("source", "state", "detail"))


@pytest.mark.both_databases
@pytest.mark.parametrize(("founder", "website", "reviewer", "suggested"), DOMAIN_CASES)
def test_a_reviewer_who_joins_after_the_submission(founder, website, reviewer, suggested):
    cohort = reviewing_cohort()
    lumen(cohort, founder, website)

    joined = accepted_reviewer(cohort, UserFactory(email=reviewer))

    expected = [(ConflictSource.DOMAIN, ConflictState.SUGGESTED, "lumen.ai")] if suggested else []
    assert conflicts_of(joined.user) == expected


@pytest.mark.parametrize(("founder", "website", "reviewer", "suggested"), DOMAIN_CASES)
def test_an_application_submitted_after_the_reviewer_joined(founder, website, reviewer,
                                                             suggested):  # fmt: skip
    cohort = reviewing_cohort()
    joined = accepted_reviewer(cohort, UserFactory(email=reviewer))

    lumen(cohort, founder, website)

    expected = [(ConflictSource.DOMAIN, ConflictState.SUGGESTED, "lumen.ai")] if suggested else []
    assert conflicts_of(joined.user) == expected


def test_managers_are_suggested_too():
    cohort = reviewing_cohort()
    manager = staff_member(programs=[cohort.program], email="chloe@lumen.ai")

    application = lumen(cohort, "ana@lumen.ai")

    assert conflicts_of(manager) == [(ConflictSource.DOMAIN, ConflictState.SUGGESTED, "lumen.ai")]
    assert Conflict.objects.get(user=manager).application == application


def test_hosts_are_lowercased_and_idna_encoded():
    assert registrable_domain("Bücher.DE") == "xn--bcher-kva.de"
    assert email_domain("Anna@EU.Bücher.de") == "xn--bcher-kva.de"
    assert website_domain("https://www.bücher.de/shop") == "xn--bcher-kva.de"
    assert website_domain("lumen.ai") == "lumen.ai"
    assert website_domain("https://lumen.vercel.app") == "lumen.vercel.app"
    assert website_domain("https://hf.co/lumen") == ""
    assert email_domain("someone@localhost") == ""
    assert email_domain("anna@laposte.net") == ""
    assert name_key(" Zoé  LEFÈVRE ") == name_key("ZoeLefevre") == "zoelefevre"


@pytest.mark.both_databases
def test_a_dismissed_suggestion_stays_dismissed_after_recomputing(client):
    cohort = reviewing_cohort()
    application = lumen(cohort, "ana@lumen.ai")
    bob = accepted_reviewer(cohort, UserFactory(email="bob@lumen.ai"))
    manager = staff_member(programs=[cohort.program])
    suggestion = Conflict.objects.get(user=bob.user)
    client.force_login(manager)

    dismissed = client.post(reverse("staff:conflict_dismiss", args=[suggestion.pk]))
    refreshed = client.post(reverse("staff:conflicts_refresh", args=[cohort.pk]))
    services.conflicts_refresh_application(application=application)
    page = client.get(reverse("staff:cohort_conflicts", args=[cohort.pk]))

    assert (dismissed.status_code, refreshed.status_code) == (302, 302)
    assert list(Conflict.objects.filter(user=bob.user).values_list("state", "decided_by")) == [
        (ConflictState.DISMISSED, manager.pk)
    ]
    assert page.context["suggested"] == []
    assert [conflict.pk for conflict in page.context["dismissed"]] == [suggestion.pk]
    assign(bob, application)  # a dismissed suggestion does not bind


def test_confirming_a_suggestion_ends_the_assignment_and_binds(client):
    cohort = reviewing_cohort()
    application = lumen(cohort, "ana@lumen.ai")
    close_call(cohort)
    bob = accepted_reviewer(cohort, UserFactory(email="bob@lumen.ai"))
    assignment = assign(bob, application)
    manager = staff_member(programs=[cohort.program])
    client.force_login(manager)

    response = client.post(
        reverse("staff:conflict_confirm", args=[Conflict.objects.get(user=bob.user).pk])
    )

    assert response.status_code == 302
    assert Conflict.objects.get(user=bob.user).state == ConflictState.CONFIRMED
    assert Assignment.objects.get(pk=assignment.pk).end_reason == "conflict"
    with pytest.raises(services.ReviewError):
        assign(bob, application)


def test_staff_add_a_conflict_by_hand(client):
    cohort = reviewing_cohort()
    application = lumen(cohort, "ana@gmail.com")
    rita = accepted_reviewer(cohort, UserFactory(email="rita@meta.example"))
    manager = staff_member(programs=[cohort.program])
    client.force_login(manager)

    response = client.post(
        reverse("staff:cohort_conflicts", args=[cohort.pk]),
        {"user": rita.user.pk, "application": application.pk, "kind": "investor",
         "note": "Invested in their seed round"},
    )  # fmt: skip

    assert response.status_code == 302
    conflict = Conflict.objects.get(user=rita.user)
    assert (conflict.source, conflict.state, conflict.kind, conflict.note) == (
        ConflictSource.STAFF, ConflictState.CONFIRMED, "investor", "Invested in their seed round"
    )  # fmt: skip


def test_the_conflicts_page_warns_of_applications_short_of_reviewers(client):
    cohort = reviewing_cohort(reviews_per_application=2)
    application = lumen(cohort, "ana@gmail.com")
    reviewers = [accepted_reviewer(cohort) for _ in range(2)]
    manager = staff_member(programs=[cohort.program])
    services.conflict_add(user=reviewers[0].user, application=application, kind="adviser",
                          created_by=manager)  # fmt: skip
    client.force_login(manager)

    response = client.get(reverse("staff:cohort_conflicts", args=[cohort.pk]))

    assert response.context["short"] == [(application, 1)]
    assert "1 eligible reviewer" in response.content.decode()


def test_a_founder_who_reviews_the_cohort_is_never_assigned_their_startup(client):
    cohort = reviewing_cohort()
    founder = UserFactory(email="ana@gmail.com")
    application = submitted_application(cohort=cohort, startup=StartupFactory(members=[founder]))
    close_call(cohort)

    reviewer = accepted_reviewer(cohort, founder)

    conflict = Conflict.objects.get(user=founder)
    assert (conflict.source, conflict.state) == (ConflictSource.AUTOMATIC,
                                                 ConflictState.CONFIRMED)  # fmt: skip
    with pytest.raises(services.ReviewError):
        assign(reviewer, application)
    with pytest.raises(services.ReviewError):
        services.conflict_dismiss(conflict=conflict, decided_by=None)


@pytest.mark.parametrize("name", sorted(reviewer_url_names() - {"review:queue"}))
def test_a_reviewer_who_joins_the_startup_loses_its_reviewer_pages(client, name):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    cohort = reviewing_cohort()
    application = submitted_application(cohort=cohort)
    close_call(cohort)
    reviewer = accepted_reviewer(cohort, UserFactory(email="cto@gmail.com"))
    TOTP.activate(reviewer.user, generate_totp_secret())
    assignment = assign(reviewer, application)
    founder = application.startup.memberships.get().user
    invitation = application_services.invitation_create(
        startup=application.startup, email=reviewer.user.email, invited_by=founder,
        base_url="http://testserver",
    )  # fmt: skip
    client.force_login(reviewer.user)

    response = reviewer_request(
        client, type("World", (), {"application": application, "file_question": cohort})(), name
    )

    assert response.status_code == 404
    assert Assignment.objects.get(pk=assignment.pk).end_reason == "conflict"
    assert Conflict.objects.get(user=reviewer.user).source == ConflictSource.AUTOMATIC
    application_services.invitation_accept(token=invitation.token, user=reviewer.user)
    assert Conflict.objects.filter(user=reviewer.user).count() == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_conflicts_export_for_the_programs_records(client, file_format):
    import io

    from openpyxl import load_workbook

    cohort = reviewing_cohort()
    lumen(cohort, "ana@lumen.ai")
    bob = accepted_reviewer(cohort, UserFactory(email="bob@lumen.ai", full_name="Bob Martin"))
    manager = staff_member(programs=[cohort.program], full_name="Marc Manager")
    services.conflict_confirm(conflict=Conflict.objects.get(user=bob.user), decided_by=manager)
    client.force_login(manager)

    response = client.get(reverse("staff:conflicts_export", args=[cohort.pk, file_format]))

    if file_format == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
        rows = [line.split(",") for line in lines]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    assert response["Content-Disposition"].endswith(f'conflicts.{file_format}"')
    assert rows[0][:9] == [
        "Person",
        "Email",
        "Role",
        "Application ID",
        "Startup",
        "Source",
        "State",
        "Kind",
        "What matched",
    ]
    assert rows[1][:9] == [
        "Bob Martin",
        "bob@lumen.ai",
        "Reviewer",
        str(Conflict.objects.get(user=bob.user).application_id),
        "Lumen",
        "Same email or website domain",
        "Confirmed",
        "Same organisation",
        "lumen.ai",
    ]
    assert rows[1][12] == "Marc Manager"
    assert len(rows) == 2


@pytest.mark.parametrize("count", [3, 30])
def test_the_conflicts_page_takes_the_same_queries_at_two_sizes(
    client, django_assert_num_queries, count
):
    cohort = reviewing_cohort()
    for index in range(count):
        lumen(cohort, f"ana{index}@lumen{index}.ai")
        accepted_reviewer(cohort, UserFactory(email=f"bob{index}@lumen{index}.ai"))
    manager = staff_member(programs=[cohort.program])
    client.force_login(manager)
    url = reverse("staff:cohort_conflicts", args=[cohort.pk])

    # Session, user and MFA check; the staff scope; the cohort; the reviewers and managers
    # (two); the applications in conflict with the viewer; the submitted applications; the
    # people's names; the conflicts; the reviewers and the confirmed conflicts (who is short
    # of reviewers).
    with django_assert_num_queries(13):
        response = client.get(url)

    assert len(response.context["suggested"]) == count


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_accepting_while_the_startup_submits_records_one_conflict():
    import threading

    from django.db import connection

    from applications.privacy import PRIVACY_NOTICE_VERSION
    from tests.factories.applications import make_application

    cohort = reviewing_cohort()
    founder = UserFactory(email="ana@lumen.ai")
    application = make_application(cohort=cohort, startup=StartupFactory(members=[founder]))
    application_services.pitch_deck_upload(application=application, upload=_deck(), user=founder)
    bob = UserFactory(email="bob@lumen.ai")
    manager = staff_member(programs=[cohort.program])
    invitation = services.reviewer_invite(
        cohort=cohort, email=bob.email, base_url="http://x", invited_by=manager
    )
    barrier, errors = threading.Barrier(2), []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(lambda: application_services.application_submit(
            application=application, user=founder, privacy_notice_version=PRIVACY_NOTICE_VERSION
        ),)),
        threading.Thread(target=run, args=(lambda: services.reviewer_invitation_accept(
            token=invitation.token, user=bob
        ),)),
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert conflicts_of(bob) == [(ConflictSource.DOMAIN, ConflictState.SUGGESTED, "lumen.ai")]


def _deck():
    from tests.factories.files import pdf_upload

    return pdf_upload()
