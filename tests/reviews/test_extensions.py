"""An extension: the extended application opens for review only after its own deadline, and a
version submitted during the extension flags the reviews already made on the older one."""

from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from applications import services as application_services
from applications.privacy import PRIVACY_NOTICE_VERSION
from tests.factories import staff_member
from tests.factories.applications import StartupFactory, submitted_application
from tests.factories.cohorts import QuestionFactory
from tests.factories.reviews import (
    accepted_reviewer,
    assign,
    close_call,
    complete_review,
    reviewing_cohort,
)

pytestmark = pytest.mark.django_db

NEWER = "a newer version exists"


@pytest.fixture
def world(client):
    """A call still open, two submitted applications, a reviewer assigned to both."""
    cohort = reviewing_cohort()
    question = QuestionFactory(cohort=cohort, label="What do you build?", required=False)
    extended = submitted_application(
        cohort=cohort, startup=StartupFactory(name="Slow Snail Robotics"),
        answers={question: "Version one of our answer"}, deck_pages=None,
    )  # fmt: skip
    plain = submitted_application(cohort=cohort, startup=StartupFactory(name="Prompt Panda"),
                                  deck_pages=None)  # fmt: skip
    me = accepted_reviewer(cohort)
    TOTP.activate(me.user, generate_totp_secret())
    manager = staff_member(programs=[cohort.program])
    assign(me, plain)
    client.force_login(me.user)
    return SimpleNamespace(
        cohort=cohort, question=question, extended=extended, plain=plain, me=me,
        manager=manager, mine=assign(me, extended), founder=extended.startup.memberships.get().user,
    )  # fmt: skip


def grant(world, days: int):
    return application_services.extension_grant(
        application=world.extended, closes_at=timezone.now() + timedelta(days=days),
        reason="Founder in hospital", granted_by=world.manager,
    )  # fmt: skip


def in_paris(moment) -> str:
    return date_format(moment.astimezone(ZoneInfo("Europe/Paris")), "j M Y, H:i")


def test_an_extended_application_opens_for_review_only_after_its_own_deadline(client, world):
    extension = grant(world, days=2)
    close_call(world.cohort)
    page = reverse("review:review", args=[world.extended.pk])

    during = client.get(page)
    queue = client.get(reverse("review:queue")).content.decode()
    with time_machine.travel(extension.closes_at + timedelta(minutes=1), tick=False):
        after = client.get(page)

    assert during.status_code == 404
    assert f'href="{page}"' not in queue  # the row names it, without a link to read it
    assert f'href="{reverse("review:review", args=[world.plain.pk])}"' in queue
    assert "Slow Snail Robotics" in queue
    assert f"Opens after its deadline, {in_paris(extension.closes_at)} Paris time" in queue
    assert after.status_code == 200


def test_a_version_submitted_during_an_extension_flags_the_review(client, world):
    close_call(world.cohort)
    complete_review(world.mine)
    extension = grant(world, days=2)  # granted after the call closed: reviewing waits again
    closed_again = client.get(reverse("review:review", args=[world.extended.pk]))
    application_services.answer_save(
        application=world.extended, question=world.question, value="Version two, rewritten",
        base_version=1, user=world.founder,
    )  # fmt: skip
    application_services.application_submit(
        application=world.extended, user=world.founder,
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
    )  # fmt: skip

    with time_machine.travel(extension.closes_at + timedelta(minutes=1), tick=False):
        queue = client.get(reverse("review:queue")).content.decode()
        page = client.get(reverse("review:review", args=[world.extended.pk])).content.decode()
        client.force_login(world.manager)
        staff = client.get(reverse("staff:cohort_reviewers", args=[world.cohort.pk]))

    assert closed_again.status_code == 404
    assert NEWER in queue
    assert "A newer version exists: the startup submitted again after you started." in page
    assert "Version two, rewritten" in page
    assert NEWER in staff.content.decode()
    states = {
        application.startup.name: [(a.review_state, a.newer_version)
                                   for a in application.active_assignments]
        for application in staff.context["page"].object_list
    }  # fmt: skip
    assert states == {"Prompt Panda": [("", False)], "Slow Snail Robotics": [("submitted", True)]}


def test_no_flag_without_a_newer_version(client, world):
    close_call(world.cohort)
    complete_review(world.mine)

    queue = client.get(reverse("review:queue")).content.decode()
    client.force_login(world.manager)
    staff = client.get(reverse("staff:cohort_reviewers", args=[world.cohort.pk])).content.decode()

    assert NEWER not in queue
    assert NEWER not in staff
