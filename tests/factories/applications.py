from collections import deque
from datetime import UTC, datetime, timedelta

import factory

from applications import services
from applications.enums import TRANSITIONS, ApplicationStatus
from applications.models import Application, Membership, Startup
from tests.factories import UserFactory
from tests.factories.cohorts import CohortFactory


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
    return application
