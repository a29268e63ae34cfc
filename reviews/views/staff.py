"""Staff pages of reviews, under /staff/: a cohort's reviewers (invite, revoke), assigning and
unassigning by hand, and the conflicts declared. Through the staff scope only."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from applications.models import Application
from cohorts.models import Partner
from cohorts.staff import cohort_in_scope, staff_page

from .. import selectors, services
from ..enums import AssignmentEnd
from ..forms import AssignmentForm, ReviewerInvitationForm
from ..models import Assignment, Conflict, Reviewer

PAGE_SIZE = 50


def _page_url(cohort) -> str:
    return reverse("staff:cohort_reviewers", args=[cohort.pk])


@staff_page
def cohort_reviewers(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    partners = Partner.objects.filter(cohort_partners__cohort=cohort).distinct()
    form = ReviewerInvitationForm(partners=partners)
    if request.method == "POST":
        form = ReviewerInvitationForm(request.POST, partners=partners)
        if form.is_valid():
            try:
                services.reviewer_invite(
                    cohort=cohort, email=form.cleaned_data["email"],
                    partner=form.cleaned_data["partner"],
                    max_assignments=form.cleaned_data["max_assignments"],
                    invited_by=request.user,
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )  # fmt: skip
            except services.ReviewError as error:
                form.add_error("email", " ".join(error.problems))
            else:
                messages.success(
                    request,
                    gettext("Invitation sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return HttpResponseRedirect(_page_url(cohort))
    reviewers = selectors.cohort_reviewers(cohort)
    active = [reviewer for reviewer in reviewers if reviewer.is_active]
    applications = (
        Application.objects.filter(cohort=cohort, status__in=services.REVIEWABLE_STATUSES)
        .select_related("startup")
        .order_by("startup__name", "pk")
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    assignments = selectors.cohort_assignments([a.pk for a in page.object_list])
    for application in page.object_list:
        application.active_assignments = assignments.get(application.pk, [])
    context = {
        "cohort": cohort,
        "form": form,
        "reviewers": reviewers,
        "active_reviewers": active,
        "page": page,
        "query": "",
        "conflicts": selectors.declared_conflicts(cohort),
        "section": "reviewers",
    }
    return render(request, "reviews/staff/cohort_reviewers.html", context)


@staff_page
@require_POST
def reviewer_revoke(request: HttpRequest, reviewer_id: int) -> HttpResponse:
    reviewer = get_object_or_404(
        request.staff_scope.filter_by_cohort(Reviewer.objects.select_related("cohort")),
        pk=reviewer_id,
    )
    services.reviewer_revoke(reviewer=reviewer)
    messages.success(request, gettext("%(email)s no longer reviews this cohort.")
                     % {"email": reviewer.email})  # fmt: skip
    return HttpResponseRedirect(_page_url(reviewer.cohort))


@staff_page
@require_POST
def assignment_create(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_object_or_404(
        request.staff_scope.filter_by_cohort(Application.objects.all()), pk=application_id
    )
    reviewers = Reviewer.objects.filter(cohort_id=application.cohort_id)
    form = AssignmentForm(request.POST, reviewers=reviewers)
    if not form.is_valid():
        messages.error(request, gettext("Choose a reviewer."))
    else:
        try:
            services.assignment_create(
                reviewer=form.cleaned_data["reviewer"],
                application=application,
                created_by=request.user,
            )
        except services.ReviewError as error:
            messages.error(request, " ".join(error.problems))
        else:
            messages.success(request, gettext("Assigned."))
    return HttpResponseRedirect(_page_url(application.cohort) + f"#application-{application.pk}")


@staff_page
@require_POST
def assignment_end(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(
        request.staff_scope.filter_by_cohort(
            Assignment.objects.select_related("application__cohort"), "application__cohort"
        ),
        pk=assignment_id,
    )
    services.assignment_end(assignment=assignment, reason=AssignmentEnd.UNASSIGNED)
    messages.success(request, gettext("Unassigned. A review already submitted is kept."))
    cohort = assignment.application.cohort
    return HttpResponseRedirect(_page_url(cohort) + f"#application-{assignment.application_id}")


@staff_page
@require_POST
def conflict_remove(request: HttpRequest, conflict_id: int) -> HttpResponse:
    conflict = get_object_or_404(
        request.staff_scope.filter_by_cohort(
            Conflict.objects.select_related("application__cohort"), "application__cohort"
        ),
        pk=conflict_id,
    )
    services.conflict_remove(conflict=conflict)
    messages.success(request, gettext("The conflict is lifted."))
    return HttpResponseRedirect(_page_url(conflict.application.cohort) + "#conflicts")
