from collections import deque
from datetime import UTC, datetime, timedelta

import factory

from accounts.models import User
from applications import services
from applications.enums import TRANSITIONS, ApplicationStatus
from applications.models import Application, Membership, Startup
from applications.privacy import PRIVACY_NOTICE_VERSION
from tests.factories import UserFactory
from tests.factories.cohorts import CohortFactory
from tests.factories.files import pdf_upload


class StartupFactory(factory.django.DjangoModelFactory):
    """A startup with a complete profile, based in France, at MVP stage; `founder` is its
    first member unless `members=[...]` says otherwise."""

    class Meta:
        model = Startup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Startup {n}")
    country = "FR"
    city = "Paris"
    year_founded = 2023
    stage = "mvp"
    team_size = 3
    funding_raised = "under_100k"
    pitch = "We build on Llama 3."
    foundation_models = factory.LazyFunction(lambda: ["llama_3"])

    @factory.post_generation
    def members(startup, create, extracted, **kwargs):
        if not create:
            return
        for user in extracted or [UserFactory()]:
            Membership.objects.create(startup=startup, user=user)


def open_cohort(**overrides):
    """A cohort open now (for a month), with no programme dates."""
    now = datetime.now(UTC)
    fields = {
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "program_starts_on": None,
        "program_ends_on": None,
    }
    return CohortFactory(**(fields | overrides))


def _path_to(status: ApplicationStatus) -> list[ApplicationStatus]:
    """The shortest way through the transition table from draft to `status`."""
    paths = deque([[ApplicationStatus.DRAFT]])
    while paths:
        path = paths.popleft()
        if path[-1] == status:
            return path[1:]
        paths.extend([*path, step] for step in TRANSITIONS[path[-1]] if step not in path)
    raise ValueError(status)


def make_application(*, status=ApplicationStatus.DRAFT, startup=None, cohort=None) -> Application:
    """An application made as the app makes them: started, then moved by the service."""
    startup = startup or StartupFactory()
    cohort = cohort or open_cohort()
    actor = startup.memberships.first().user
    application = Application.objects.create(startup=startup, cohort=cohort, created_by=actor)
    for step in _path_to(ApplicationStatus(status)):
        application = services.application_transition(
            application=application, to_status=step, actor=actor
        )
    services.application_search_refresh(application_ids=[application.pk])
    application.refresh_from_db()
    return application


def submitted_application(
    *, cohort=None, startup=None, answers: dict | None = None, deck_pages: int | None = 3
) -> Application:
    """An application submitted the way a startup submits it: answers saved, a pitch deck
    uploaded, then submitted through the services (version 1). `answers` maps questions to
    values; every other question of the cohort must be optional."""
    startup = startup or StartupFactory()
    cohort = cohort or open_cohort()
    user = startup.memberships.first().user
    application = make_application(startup=startup, cohort=cohort)
    for question, value in (answers or {}).items():
        services.answer_save(
            application=application, question=question, value=value, base_version=0, user=user
        )
    if deck_pages:
        services.pitch_deck_upload(application=application, upload=pdf_upload(deck_pages),
                                   user=user)  # fmt: skip
    services.application_submit(
        application=application, user=user, privacy_notice_version=PRIVACY_NOTICE_VERSION
    )
    application.refresh_from_db()
    return application


def bulk_applications(
    cohort, *, drafts: int = 0, changed: int = 0, submitted: int = 0, language: str = "en"
) -> list[Application]:
    """Many single-member applications to `cohort`, fast (a few inserts, no services): drafts;
    submitted ones changed since (an answer saved an hour after version 1); submitted ones
    unchanged. Their members are users founder-bulk-<n>@startup.example."""
    from applications.models import Answer, Submission
    from applications.models.applications import status_writes_allowed
    from cohorts.models import Question
    from tests.factories.cohorts import QuestionFactory

    total = drafts + changed + submitted
    first = Application.objects.count()
    users = User.objects.bulk_create(
        [
            User(email=f"founder-bulk-{first + n}@startup.example", full_name=f"Founder {n}",
                 language=language)
            for n in range(total)
        ]
    )  # fmt: skip
    startups = Startup.objects.bulk_create(
        [StartupFactory.build(name=f"Bulk startup {first + n}") for n in range(total)]
    )
    Membership.objects.bulk_create(
        [
            Membership(startup=startup, user=user)
            for startup, user in zip(startups, users, strict=True)
        ]
    )
    statuses = [ApplicationStatus.DRAFT] * drafts + [ApplicationStatus.SUBMITTED] * (
        changed + submitted
    )
    with status_writes_allowed():
        applications = Application.objects.bulk_create(
            [
                Application(startup=startup, cohort=cohort, status=status, created_by=user)
                for startup, user, status in zip(startups, users, statuses, strict=True)
            ]
        )
    sent = applications[drafts:]
    submitted_at = cohort.closes_at - timedelta(days=10)
    Submission.objects.bulk_create(
        [
            Submission(application=application, number=1, submitted_at=submitted_at,
                       content={}, sha256="0" * 64)
            for application in sent
        ]
    )  # fmt: skip
    if changed:
        question = Question.objects.filter(cohort=cohort).first() or QuestionFactory(cohort=cohort)
        answers = Answer.objects.bulk_create(
            [
                Answer(application=application, question=question, value="Changed")
                for application in sent[:changed]
            ]
        )
        Answer.objects.filter(pk__in=[answer.pk for answer in answers]).update(
            updated_at=submitted_at + timedelta(hours=1)
        )
    return applications
