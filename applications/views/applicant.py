"""Pages and htmx endpoints of startups and their applications. Every object is looked up
through the user's own startups: anything else is a 404."""

from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from accelerator.text import whole_number
from accelerator.uploads import upload_too_large
from cohorts.enums import QuestionKind
from cohorts.models import Partner
from cohorts.selectors import cohorts_for_home, cohorts_visible_to

from .. import selectors, services
from ..answers import answer_problem
from ..eligibility import eligibility_problems, profile_problems
from ..enums import ApplicantStatus
from ..forms import InvitationForm, MembershipForm, NamedConflictForm, StartupForm
from ..models import Answer, Application, Invitation
from ..privacy import PRIVACY_NOTICE_VERSION
from ..registries import applicant_feedback_providers, applicant_panels, applicant_stages
from ..selectors import applicant_status
from .files import answer_file_attachment, deck_attachment

# A message with this tag is shown beside the field it concerns (base.html leaves it out).
BESIDE_FIELD = "beside-field"
WITHDRAWABLE = (ApplicantStatus.DRAFT, ApplicantStatus.SUBMITTED, ApplicantStatus.UNDER_REVIEW,
                ApplicantStatus.INVITED_TO_INTERVIEW)  # fmt: skip


def _safe_next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
    return wanted if allowed else ""


def _my_startup(request: HttpRequest, startup_id: int):
    return get_object_or_404(selectors.startups_of(request.user), pk=startup_id)


def _my_application(request: HttpRequest, application_id: int):
    return get_object_or_404(selectors.applications_of(request.user), pk=application_id)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = selectors.dashboard_memberships(request.user)
    now = timezone.now()
    stages = applicant_stages(
        [a.pk for membership in memberships for a in membership.startup.applications.all()]
    )
    for membership in memberships:
        for application in membership.startup.applications.all():
            application.applicant_status = applicant_status(application, now, stages)
            application.history = selectors.applicant_history(application)
            application.panels = [
                html for provider in applicant_panels if (html := provider(application, request))
            ]
            application.feedback = next(
                (
                    text
                    for provider in applicant_feedback_providers
                    if (text := provider(application))
                ),
                "",
            )
            application.editable = application.is_editable(now)
            application.changed = selectors.changed_since_submitted(application)
            application.needs_attention = selectors.needs_attention(application, now)
            # From what the applicant sees, so the link never hints at a decision in the making.
            application.withdrawable = application.applicant_status in WITHDRAWABLE
    context = {"memberships": memberships, "open_cohorts": cohorts_for_home(now=now).open}
    return render(request, "applications/dashboard.html", context)


@login_required
def startup_create(request: HttpRequest) -> HttpResponse:
    form = StartupForm(request.POST or None)
    membership_form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and membership_form.is_valid():
        startup = services.startup_create(
            user=request.user, role=membership_form.cleaned_data["role"], **form.cleaned_data
        )
        messages.success(request, gettext("Your startup is created."))
        return HttpResponseRedirect(_safe_next(request) or reverse("startup", args=[startup.pk]))
    context = {
        "form": form,
        "membership_form": membership_form,
        "error_forms": [form, membership_form],
        "next": _safe_next(request),
    }
    return render(request, "applications/startup_create.html", context)


@login_required
def startup_profile(request: HttpRequest, startup_id: int) -> HttpResponse:
    startup = _my_startup(request, startup_id)
    membership = startup.memberships.get(user=request.user)
    form = StartupForm(request.POST or None, instance=startup, prefix="startup")
    membership_form = MembershipForm(request.POST or None, instance=membership, prefix="me")
    if request.method == "POST" and form.is_valid() and membership_form.is_valid():
        # The forms have validated and applied the edits; the service saves them.
        services.startup_update(startup=form.instance, membership=membership_form.instance)
        messages.success(request, gettext("Your startup's profile is saved."))
        return HttpResponseRedirect(_safe_next(request) or request.path)
    return render(
        request,
        "applications/startup_profile.html",
        {
            "startup": startup,
            "form": form,
            "membership_form": membership_form,
            "error_forms": [form, membership_form],
            "invitation_form": InvitationForm(),
            "members": startup.memberships.select_related("user"),
            "pending_invitations": [
                invitation
                for invitation in startup.invitations.select_related("outgoing_email")
                if invitation.is_pending()
            ],
            "next": _safe_next(request),
        },
    )


@login_required
@require_POST
def invitation_create(request: HttpRequest, startup_id: int) -> HttpResponse:
    startup = _my_startup(request, startup_id)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                startup=startup,
                email=form.cleaned_data["email"],
                invited_by=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except services.TeamError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
    else:
        messages.error(request, " ".join(form.errors["email"]))
    return HttpResponseRedirect(reverse("startup", args=[startup.pk]))


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, startup_id: int, invitation_id: int) -> HttpResponse:
    startup = _my_startup(request, startup_id)
    invitation = get_object_or_404(Invitation, pk=invitation_id, startup=startup)
    try:
        services.invitation_revoke(invitation=invitation)
    except services.TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The invitation is revoked."))
    return HttpResponseRedirect(reverse("startup", args=[startup.pk]))


@login_required
@require_POST
def membership_leave(request: HttpRequest, startup_id: int) -> HttpResponse:
    startup = _my_startup(request, startup_id)
    try:
        services.membership_leave(membership=startup.memberships.get(user=request.user))
    except services.TeamError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(reverse("startup", args=[startup.pk]))
    messages.success(request, gettext("You left %(startup)s.") % {"startup": startup.name})
    return HttpResponseRedirect(reverse("dashboard"))


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Who invites whom to which startup, said before anything else: signed out, the page
    offers to sign in or sign up and come back here; signed in, to accept."""
    invitation = (
        Invitation.objects.select_related("startup", "invited_by").filter(token=token).first()
    )
    if invitation is None:
        raise Http404
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "applications/invitation_accept.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.invitation_accept(token=token, user=request.user)
        except services.TeamError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("Welcome to %(startup)s.") % {"startup": invitation.startup.name},
            )
            return HttpResponseRedirect(reverse("dashboard"))
    return render(request, "applications/invitation_accept.html", {"invitation": invitation})


def apply(request: HttpRequest, program_slug: str, cohort_slug: str) -> HttpResponse:
    """Eligibility before effort: what does not fit is explained before anything is written."""
    # The cohort before the login: an unpublished one is a 404 to everyone, signed in or not.
    cohort = get_object_or_404(
        cohorts_visible_to(request.user).select_related("program"),
        program__slug=program_slug,
        slug=cohort_slug,
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    startups = list(selectors.startups_of(request.user))
    if not startups:
        messages.info(request, gettext("First, tell us about your startup."))
        return HttpResponseRedirect(f"{reverse('startup_create')}?next={request.path}")
    chosen = request.POST.get("startup") or request.GET.get("startup")
    if chosen and whole_number(chosen) is None:
        raise Http404
    if len(startups) > 1 and not chosen:
        context = {"cohort": cohort, "startups": startups}
        return render(request, "applications/apply_choose.html", context)
    if chosen:
        startup = get_object_or_404(selectors.startups_of(request.user), pk=chosen)
    else:
        startup = startups[0]
    existing = selectors.applications_of(request.user).filter(startup=startup, cohort=cohort)
    if existing:
        return HttpResponseRedirect(reverse("application", args=[existing[0].pk]))
    problems = eligibility_problems(startup, cohort)
    if request.method == "POST" and not problems:
        try:
            application = services.application_start(
                startup=startup, cohort=cohort, user=request.user
            )
        except services.ApplicationError as error:
            problems = error.problems
        else:
            return HttpResponseRedirect(reverse("application", args=[application.pk]))
    context = {"cohort": cohort, "startup": startup, "problems": problems}
    return render(request, "applications/apply.html", context)


@login_required
@ensure_csrf_cookie  # htmx sends the token from the cookie, read at each request
def application_form(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _my_application(request, application_id)
    answers = {answer.question_id: answer for answer in application.answers.all()}
    items = []
    for question in application.cohort.questions.all():
        answer = answers.get(question.pk)
        value = answer.value if answer else ([] if question.kind == QuestionKind.MULTIPLE_CHOICE
                                             else "")  # fmt: skip
        items.append(
            {
                "question": question,
                "value": value,
                "version": answer.version if answer else 0,
                "problem": answer_problem(question, value) if answer else "",
            }
        )
    context = {
        "application": application,
        "items": items,
        "status": applicant_status(application),
        "editable": application.is_editable(),
    }
    return render(request, "applications/application_form.html", context)


def login_required_401(view):
    """For htmx endpoints: an expired session answers 401, never a redirect that htmx would
    swap into the form; the page keeps the text and asks the user to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponse(gettext("Your session has expired: log in again."), status=401)
        return view(request, *args, **kwargs)

    return wrapper


@login_required_401
@require_POST
def answer_autosave(request: HttpRequest, application_id: int, question_id: int) -> HttpResponse:
    try:
        application, question = selectors.autosave_target(request.user, application_id, question_id)
    except Application.DoesNotExist as error:
        raise Http404 from error
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        value = request.POST.getlist("value")
    else:
        value = request.POST.get("value", "")
    base_version = whole_number(request.POST.get("version", "0"))
    base_version = -1 if base_version is None else base_version
    context = {"question": question, "value": value}
    try:
        answer = services.answer_save(
            application=application,
            question=question,
            value=value,
            base_version=base_version,
            user=request.user,
        )
    except services.AnswerConflict as conflict:
        context |= {"conflict": conflict.answer}
        return _answer_status(request, context, status=409)
    except services.ApplicationError as error:
        context |= {"refused": error.problems}
        return _answer_status(request, context, status=409)
    saved_at = timezone.localtime(answer.updated_at, ZoneInfo(request.user.time_zone))
    context |= {
        "answer": answer,
        "saved_at": saved_at,
        "problem": answer_problem(question, value),
    }
    return _answer_status(request, context)


def _answer_status(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    """The fragment autosave answers with, rendered without the context processors a page
    needs (language links, messages, …): autosave is the hottest path of the product."""
    html = render_to_string(
        "applications/partials/answer_status.html", context | {"user": request.user}
    )
    return HttpResponse(html, status=status)


@login_required
def application_submit(
    request: HttpRequest, application_id: int, conflict_form=None, status: int = 200
) -> HttpResponse:
    application = _my_application(request, application_id)
    problems = services.submission_problems(application)
    errors = []
    if request.method == "POST" and conflict_form is None:
        try:
            services.application_submit(
                application=application,
                user=request.user,
                privacy_notice_version=request.POST.get("privacy_notice_version", ""),
            )
        except services.ApplicationError as error:
            errors = error.problems
        else:
            messages.success(
                request,
                gettext(
                    "Your application to %(cohort)s is submitted. A confirmation is on its way."
                )
                % {"cohort": application.cohort},
            )
            return HttpResponseRedirect(f"{reverse('dashboard')}?submitted={application.pk}")
    answers = {answer.question_id: answer.value for answer in application.answers.all()}
    context = {
        "application": application,
        # Everything that will be sent, to reread before sending it.
        "review": [
            (question, answers.get(question.pk, ""))
            for question in application.cohort.questions.all()
        ],
        "startup": application.startup,
        "problems": problems,
        "profile_problems": profile_problems(application.startup, application.cohort),
        "errors": errors,
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        "answered": Answer.objects.filter(application=application).count(),
        "editable": application.is_editable(),
        "named_conflicts": application.named_conflicts.select_related("partner"),
        "conflict_form": conflict_form or NamedConflictForm(partners=_call_partners(application)),
    }
    return render(request, "applications/application_submit.html", context, status=status)


def _call_partners(application: Application):
    return Partner.objects.filter(cohort_partners__cohort_id=application.cohort_id).distinct()


@login_required
@require_POST
def named_conflict_add(request: HttpRequest, application_id: int) -> HttpResponse:
    """From the submit page: kept apart from the answers, read by staff only."""
    application = _my_application(request, application_id)
    form = NamedConflictForm(request.POST, partners=_call_partners(application))
    if form.is_valid():
        try:
            services.named_conflict_add(application=application, user=request.user,
                                        **form.cleaned_data)  # fmt: skip
        except services.ApplicationError as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, gettext("Noted. Only the program's staff see this list."))
            return HttpResponseRedirect(
                reverse("application_submit", args=[application.pk]) + "#conflicts"
            )
    return application_submit(request, application_id, conflict_form=form, status=400)


@login_required
@require_POST
def named_conflict_remove(request: HttpRequest, application_id: int, named_id: int):
    application = _my_application(request, application_id)
    named = get_object_or_404(application.named_conflicts.all(), pk=named_id)
    try:
        services.named_conflict_remove(named=named)
    except services.ApplicationError as error:
        messages.error(request, " ".join(error.problems))
    else:
        messages.success(request, gettext("Removed from your list."))
    return HttpResponseRedirect(reverse("application_submit", args=[application.pk]) + "#conflicts")


@login_required
def application_withdraw(request: HttpRequest, application_id: int) -> HttpResponse:
    """A confirmation step, then the withdrawal."""
    application = _my_application(request, application_id)
    if request.method == "POST":
        try:
            services.application_withdraw(application=application, user=request.user)
        except services.ApplicationError:
            # The transition table's own reason could name an unpublished decision.
            messages.error(request, gettext("This application can no longer be withdrawn."))
        else:
            messages.success(
                request,
                gettext("Your application to %(cohort)s is withdrawn.")
                % {"cohort": application.cohort},
            )
        return HttpResponseRedirect(reverse("dashboard"))
    return render(request, "applications/application_withdraw.html", {"application": application})


@login_required
@require_POST
def pitch_deck_upload(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _my_application(request, application_id)
    upload = request.FILES.get("pitch_deck")
    # Shown beside the deck's field, where the page lands, not at its top out of view.
    beside = BESIDE_FIELD + " pitch-deck"
    if too_large := upload_too_large(request):
        messages.error(request, too_large, extra_tags=beside)
    elif upload is None:
        messages.error(request, gettext("Choose a PDF file to upload."), extra_tags=beside)
    else:
        try:
            services.pitch_deck_upload(application=application, upload=upload, user=request.user)
        except services.ApplicationError as error:
            messages.error(request, " ".join(error.problems), extra_tags=beside)
        else:
            messages.success(request, gettext("Your pitch deck is uploaded."), extra_tags=beside)
    return HttpResponseRedirect(reverse("application", args=[application.pk]) + "#pitch-deck")


def pitch_deck_download(request: HttpRequest, application_id: int) -> FileResponse:
    """Members only; anyone else, signed in or not, finds nothing here."""
    if not request.user.is_authenticated:
        raise Http404
    application = _my_application(request, application_id)
    return deck_attachment(application, application.pitch_deck.name)


@login_required
@require_POST
def answer_file_upload(request: HttpRequest, application_id: int, question_id: int):
    application = _my_application(request, application_id)
    question = get_object_or_404(
        application.cohort.questions, pk=question_id, kind=QuestionKind.FILE
    )
    upload = request.FILES.get("file")
    if too_large := upload_too_large(request):
        messages.error(request, too_large)
    elif upload is None:
        messages.error(request, gettext("Choose a file to upload."))
    else:
        try:
            services.answer_file_upload(
                application=application, question=question, upload=upload, user=request.user
            )
        except services.ApplicationError as error:
            messages.error(request, " ".join(error.problems))
        else:
            messages.success(request, gettext("Your file is uploaded."))
    return HttpResponseRedirect(
        reverse("application", args=[application.pk]) + f"#answer-{question.pk}"
    )


def answer_file_download(request: HttpRequest, application_id: int, question_id: int):
    """Members only; anyone else, signed in or not, finds nothing here."""
    if not request.user.is_authenticated:
        raise Http404
    application = _my_application(request, application_id)
    answer = get_object_or_404(Answer, application=application, question_id=question_id)
    return answer_file_attachment(application, question_id, answer.value)
