"""Staff pages of reviews, under /staff/: a cohort's reviewers (invite, revoke), assigning and
unassigning by hand, and its conflicts of interest (confirm, dismiss, add, find again, export).
Through the staff scope only."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from applications.exports import to_csv, to_xlsx
from applications.models import Application
from applications.selectors import conflicted_in_cohort, latest_submission, without_conflicts
from cohorts.models import Partner
from cohorts.staff import cohort_in_scope, staff_page

from .. import selectors, services
from ..enums import AssignmentEnd, ConflictState
from ..exports import conflicts_table
from ..forms import AssignmentForm, ConflictAddForm, ReviewerInvitationForm
from ..models import Assignment, Conflict, Reviewer
from .reviewer import reading_context

PAGE_SIZE = 50


def _page_url(cohort) -> str:
    return reverse("staff:cohort_reviewers", args=[cohort.pk])


def _sort(request: HttpRequest, key: str, orders: dict, default: str) -> str:
    value = request.GET.get(key, default)
    return value if value in orders else default


def _query_without(request: HttpRequest, *keys: str) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


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
    reviewer_sort = _sort(request, "rsort", selectors.REVIEWER_ORDERS, "name")
    reviewer_page = Paginator(
        selectors.reviewer_progress(cohort, reviewer_sort), PAGE_SIZE
    ).get_page(request.GET.get("rpage"))
    for reviewer in reviewer_page.object_list:
        if reviewer.last_activity == selectors.NEVER:
            reviewer.last_activity = None
    application_sort = _sort(request, "sort", selectors.APPLICATION_ORDERS, "name")
    page = Paginator(
        without_conflicts(selectors.application_progress(cohort, application_sort), request.user),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    assignments = selectors.cohort_assignments([a.pk for a in page.object_list])
    for application in page.object_list:
        application.active_assignments = assignments.get(application.pk, [])
    groups = selectors.cohort_reviewer_groups(cohort)
    context = {
        "cohort": cohort,
        "form": form,
        "reviewers": reviewer_page.object_list,
        "reviewer_page": reviewer_page,
        "reviewer_sort": reviewer_sort,
        "reviewer_query": _query_without(request, "rpage", "rsort"),
        "reviewer_page_query": _query_without(request, "rpage"),
        "active_reviewers": selectors.active_reviewers(cohort),
        "page": page,
        "sort": application_sort,
        "query": _query_without(request, "page"),
        "application_query": _query_without(request, "page", "sort"),
        "totals": selectors.review_totals(cohort),
        "screened_out": list(
            without_conflicts(selectors.screened_out(cohort), request.user)[:PAGE_SIZE]
        ),
        "reviewer_orders": selectors.REVIEWER_ORDER_LABELS,
        "application_orders": selectors.APPLICATION_ORDER_LABELS,
        "groups": _named_groups(cohort, groups) if len(groups) > 1 else [],
        "conflicts": without_conflicts(
            selectors.declared_conflicts(cohort), request.user, "application_id"
        ),
        "conflicted": conflicted_in_cohort(cohort, request.user),
        "section": "reviewers",
    }
    return render(request, "reviews/staff/cohort_reviewers.html", context)


def _named_groups(cohort, groups: list[list[int]]) -> list[list[str]]:
    names = {
        reviewer.pk: reviewer.user.get_full_name() if reviewer.user else reviewer.email
        for reviewer in Reviewer.objects.filter(cohort=cohort).select_related("user")
    }
    return [sorted(names.get(pk, "?") for pk in group) for group in groups]


PREVIEW_ROWS = 200


@staff_page
def assignment_auto(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Assign automatically: GET shows what it will do, POST does it (computed again)."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    if request.method == "POST":
        plan = services.assignments_apply_plan(cohort=cohort, by=request.user)
        messages.success(
            request,
            ngettext("%(count)d new assignment made.", "%(count)d new assignments made.",
                     len(plan.pairs)) % {"count": len(plan.pairs)},
        )  # fmt: skip
        previewed = request.POST.get("previewed", "")
        if previewed.isdigit() and int(previewed) != len(plan.pairs):
            messages.warning(
                request,
                gettext("Things changed since the preview (assignments, hand-backs or "
                        "conflicts): %(previewed)s were shown.") % {"previewed": previewed},
            )  # fmt: skip
        if plan.unfilled:
            messages.warning(
                request,
                ngettext("%(count)d slot could not be filled: see why below.",
                         "%(count)d slots could not be filled: see why below.",
                         plan.unfilled_slots) % {"count": plan.unfilled_slots},
            )  # fmt: skip
        return HttpResponseRedirect(_page_url(cohort))
    plan = selectors.assignment_plan(cohort)
    reviewers = {
        reviewer.pk: reviewer
        for reviewer in Reviewer.objects.filter(pk__in=plan.loads_before).select_related(
            "user", "partner"
        )
    }
    applications = Application.objects.select_related("startup").in_bulk(
        {application_id for _r, application_id in plan.pairs[:PREVIEW_ROWS]}
        | {item.application_id for item in plan.unfilled[:PREVIEW_ROWS]}
        | set(plan.same_partner[:PREVIEW_ROWS])
    )
    # The plan covers every application; one the viewer is in conflict with shows as such.
    hidden = set(conflicted_in_cohort(cohort, request.user))
    for application in applications.values():
        application.display_name = (
            gettext("Application #%(number)d") % {"number": application.pk}
            + " · "
            + gettext("Conflict of interest")
            if application.pk in hidden
            else application.startup.name
        )
    loads = [
        {"reviewer": reviewers[pk], "before": before, "after": plan.loads_after[pk],
         "added": plan.loads_after[pk] - before}
        for pk, before in plan.loads_before.items()
    ]  # fmt: skip
    loads.sort(key=lambda row: (row["reviewer"].user.get_full_name().lower(), row["reviewer"].pk))
    context = {
        "cohort": cohort,
        "plan": plan,
        "loads": loads,
        "new_rows": [
            (reviewers[reviewer_id], applications[application_id])
            for reviewer_id, application_id in plan.pairs[:PREVIEW_ROWS]
        ],
        "unfilled_rows": [
            (applications[item.application_id], item, selectors.unfilled_reason_text(item.reason))
            for item in plan.unfilled[:PREVIEW_ROWS]
        ],
        "same_partner_rows": [applications[pk] for pk in plan.same_partner[:PREVIEW_ROWS]],
        "groups": _named_groups(cohort, plan.groups) if len(plan.groups) > 1 else [],
        "more_rows": max(0, len(plan.pairs) - PREVIEW_ROWS),
        "section": "reviewers",
    }
    return render(request, "reviews/staff/assignment_auto.html", context)


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
        without_conflicts(
            request.staff_scope.filter_by_cohort(Application.objects.all()), request.user
        ),
        pk=application_id,
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
        without_conflicts(
            request.staff_scope.filter_by_cohort(
                Assignment.objects.select_related("application__cohort"), "application__cohort"
            ),
            request.user,
            "application_id",
        ),
        pk=assignment_id,
    )
    services.assignment_end(assignment=assignment, reason=AssignmentEnd.UNASSIGNED)
    messages.success(request, gettext("Unassigned. A review already submitted is kept."))
    cohort = assignment.application.cohort
    return HttpResponseRedirect(_page_url(cohort) + f"#application-{assignment.application_id}")


def _conflict_in_scope(request: HttpRequest, conflict_id: int) -> Conflict:
    """A conflict of the staff scope; one about an application the viewer is in conflict
    with is decided by another manager (404 here)."""
    conflicts = request.staff_scope.filter_by_cohort(
        Conflict.objects.select_related("application__cohort"), "application__cohort"
    )
    return get_object_or_404(
        without_conflicts(conflicts, request.user, "application_id"), pk=conflict_id
    )


def _conflicts_url(conflict: Conflict) -> str:
    return reverse("staff:cohort_conflicts", args=[conflict.application.cohort_id])


@staff_page
@require_POST
def conflict_remove(request: HttpRequest, conflict_id: int) -> HttpResponse:
    conflict = _conflict_in_scope(request, conflict_id)
    try:
        services.conflict_remove(conflict=conflict, decided_by=request.user)
    except services.ReviewError as error:
        messages.error(request, " ".join(error.problems))
    else:
        messages.success(request, gettext("The conflict is lifted."))
    return HttpResponseRedirect(_page_url(conflict.application.cohort) + "#conflicts")


@staff_page
@require_POST
def conflict_confirm(request: HttpRequest, conflict_id: int) -> HttpResponse:
    conflict = _conflict_in_scope(request, conflict_id)
    services.conflict_confirm(conflict=conflict, decided_by=request.user)
    messages.success(request, gettext("Conflict confirmed: this person will not review or "
                                      "decide on this application."))  # fmt: skip
    return HttpResponseRedirect(_conflicts_url(conflict))


@staff_page
@require_POST
def conflict_dismiss(request: HttpRequest, conflict_id: int) -> HttpResponse:
    conflict = _conflict_in_scope(request, conflict_id)
    try:
        services.conflict_dismiss(conflict=conflict, decided_by=request.user)
    except services.ReviewError as error:
        messages.error(request, " ".join(error.problems))
    else:
        messages.success(request, gettext("Dismissed: it will not be suggested again."))
    return HttpResponseRedirect(_conflicts_url(conflict))


def _people_choices(cohort, roles: dict[int, str]) -> list[tuple[int, str]]:
    users = get_user_model().objects.filter(pk__in=list(roles)).order_by("full_name", "email")
    return [(user.pk, f"{user.get_full_name()} <{user.email}>") for user in users]


@staff_page
def cohort_conflicts(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The cohort's conflicts of interest: suggestions to confirm or dismiss, the confirmed
    ones, the dismissed ones; a conflict added by hand; what is found again on demand."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    roles = selectors.cohort_people_ids(cohort)
    mine = set(conflicted_in_cohort(cohort, request.user))
    applications = list(
        Application.objects.filter(cohort=cohort, status__in=services.REVIEWABLE_STATUSES)
        .select_related("startup")
        .order_by("startup__name", "pk")
    )
    visible = [application for application in applications if application.pk not in mine]
    form_kwargs = {
        "people": _people_choices(cohort, roles),
        "applications": [(a.pk, a.startup.name) for a in visible],
    }
    form = ConflictAddForm(**form_kwargs)
    if request.method == "POST":
        form = ConflictAddForm(request.POST, **form_kwargs)
        if form.is_valid():
            application = next(a for a in visible if a.pk == form.cleaned_data["application"])
            services.conflict_add(
                user=get_object_or_404(get_user_model(), pk=form.cleaned_data["user"]),
                application=application, kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"], created_by=request.user,
            )  # fmt: skip
            messages.success(request, gettext("The conflict is recorded."))
            return HttpResponseRedirect(reverse("staff:cohort_conflicts", args=[cohort.pk]))
    conflicts = selectors.cohort_conflicts(cohort, roles)
    for conflict in conflicts:
        conflict.hidden = conflict.application_id in mine
    context = {
        "cohort": cohort,
        "form": form,
        "suggested": [c for c in conflicts if c.state == ConflictState.SUGGESTED],
        "confirmed": [c for c in conflicts if c.state == ConflictState.CONFIRMED],
        "dismissed": [c for c in conflicts if c.state == ConflictState.DISMISSED],
        "short": selectors.short_of_reviewers(cohort, visible),
        "reviews_needed": cohort.reviews_per_application,
        "section": "conflicts",
    }
    return render(request, "reviews/staff/cohort_conflicts.html", context)


@staff_page
@require_POST
def conflicts_refresh(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    found = services.conflicts_refresh(cohort=cohort)
    messages.success(
        request,
        ngettext("%(count)d new conflict found.", "%(count)d new conflicts found.", len(found))
        % {"count": len(found)},
    )
    return HttpResponseRedirect(reverse("staff:cohort_conflicts", args=[cohort.pk]))


@staff_page
@require_GET
def conflicts_export(request: HttpRequest, cohort_id: int, file_format: str) -> HttpResponse:
    """Every conflict of the cohort's reviewers and managers, for the program's records."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    header, rows = conflicts_table(
        selectors.cohort_conflicts(cohort), hidden=set(conflicted_in_cohort(cohort, request.user))
    )
    name = slugify(f"{cohort.program.slug} {cohort.slug} conflicts")
    if file_format == "xlsx":
        content = to_xlsx(header, rows, title=str(cohort.name))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = to_csv(header, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@staff_page
@require_GET
def reviewer_view(request: HttpRequest, application_id: int) -> HttpResponse:
    """What reviewers see of an application: its latest submitted version as they read it
    (redacted on a blind cohort), with the names too short to be redacted listed."""
    application = get_object_or_404(
        without_conflicts(
            request.staff_scope.filter_by_cohort(Application.objects.all()), request.user
        ).select_related("startup", "cohort__program"),
        pk=application_id,
    )
    submission = latest_submission(application)
    if submission is None:
        raise Http404
    reading = reading_context(application, submission)
    context = {
        "application": application,
        "cohort": application.cohort,
        "startup": application.startup,
        "submission": submission,
        **reading,
        "too_short": reading["redact"].too_short,
        "preview": True,
        "section": "applications",
    }
    return render(request, "reviews/staff/reviewer_view.html", context)
