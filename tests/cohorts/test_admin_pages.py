"""Every admin page a program manager may open answers 200, and the index offers nothing else.
The pages come from the admin's registry, so an admin added later is covered too."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.cohorts import (
    CohortFactory,
    CohortPartnerFactory,
    PartnerFactory,
    ProgramFactory,
    QuestionFactory,
    RubricCriterionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    """Staff (with an authenticator set up) managing one program that has a cohort with a
    question, a criterion, a partner role and an application; a partner on its own too."""
    user = UserFactory(email="manager@stationf.example", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    program = ProgramFactory(name="AI Startup Program", slug="ai-startup-program")
    program.managers.add(user)
    cohort = CohortFactory(program=program, name="2024 cohort")
    QuestionFactory(cohort=cohort)
    RubricCriterionFactory(cohort=cohort)
    CohortPartnerFactory(cohort=cohort)
    PartnerFactory(name="Scaleway")
    make_application(cohort=cohort)
    # Another program's rows, which must stay out of the manager's pages.
    CohortPartnerFactory(cohort=CohortFactory(name="Research call 2024"))
    client.force_login(user)
    return user


def _admin_request(rf, user):
    request = rf.get("/admin/")
    request.user = user
    return request


def _manager_pages(rf, user) -> dict[str, str]:
    """URL → model label of every page the registry says this user may open: changelists,
    add pages, and the change page of the first object their queryset holds."""
    request = _admin_request(rf, user)
    pages = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        opts = model._meta
        label = opts.label
        pages[reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")] = label
        if model_admin.has_add_permission(request):
            pages[reverse(f"admin:{opts.app_label}_{opts.model_name}_add")] = label
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is not None and model_admin.has_view_permission(request, obj):
            pages[reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])] = (
                label
            )
    return pages


def test_every_admin_page_a_manager_may_open_answers_200(client, rf, manager):
    pages = _manager_pages(rf, manager)

    statuses = {url: client.get(url).status_code for url in pages}

    assert statuses == dict.fromkeys(pages, 200)
    covered = set(pages.values())
    assert {"cohorts.Program", "cohorts.Cohort", "cohorts.Partner"} <= covered
    # A change page of each, not only the lists.
    changes = {label for url, label in pages.items() if url.rstrip("/").endswith("/change")}
    assert {"cohorts.Program", "cohorts.Cohort", "cohorts.Partner"} <= changes


def test_a_managers_admin_index_lists_only_what_they_may_use(client, rf, manager):
    request = _admin_request(rf, manager)
    viewable = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_permission(request)
    }
    hidden = {model._meta.label for model in admin.site._registry} - viewable

    response = client.get(reverse("admin:index"))

    listed = {
        f"{app['app_label']}.{model['object_name']}"
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert response.status_code == 200
    assert listed == viewable
    assert {"cohorts.Program", "cohorts.Cohort", "cohorts.Partner"} <= listed
    assert "accounts.User" not in listed
    # What the index hides, the manager cannot open either.
    hidden_statuses = {
        label: client.get(
            reverse(f"admin:{label.lower().replace('.', '_')}_changelist")
        ).status_code
        for label in hidden
    }
    assert hidden_statuses == dict.fromkeys(hidden, 403)
