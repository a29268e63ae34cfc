"""The staff outbox, under /staff/outbox/: the emails about the cohorts one manages (every
email for superusers), their states, and the two things a person may do: release a draft and
send again what failed. Bodies that carry a code or a link are never shown."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .access import OutboxReach, outbox_reach
from .forms import OutboxFilterForm
from .models import OPTIONAL_EMAIL_KINDS, EmailKind, EmailState, OutgoingEmail, Unsubscription
from .reminders import unsubscribe_token_read

PAGE_SIZE = 50


def _reach(request: HttpRequest) -> OutboxReach:
    reach = outbox_reach(request.user)
    if reach is None:
        raise PermissionDenied(
            gettext("This page is for program staff. Ask a superuser to add you to a program.")
        )
    return reach


def _visible(reach: OutboxReach):
    emails = OutgoingEmail.objects.all()
    if reach.hidden is not None:
        emails = emails.exclude(reach.hidden)
    return emails if reach.sees_all else emails.filter(cohort_id__in=list(reach.cohort_names))


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    reach = _reach(request)
    form = OutboxFilterForm(request.GET, cohorts=reach.cohort_names)
    emails = form.filter(_visible(reach)).order_by("-created_at", "-pk")
    page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
    for email in page.object_list:
        email.cohort_name = reach.cohort_names.get(email.cohort_id, "")
    query = request.GET.copy()
    query.pop("page", None)
    due_count, due_since = services.outbox_backlog(_visible(reach))
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "due_count": due_count,
        "due_since": due_since,
    }
    return render(request, "notifications/staff/outbox.html", context)


def _email(request: HttpRequest, email_id: int) -> OutgoingEmail:
    email = _visible(_reach(request)).filter(pk=email_id).first()
    if email is None:
        raise Http404
    return email


@login_required
@require_GET
def email_detail(request: HttpRequest, email_id: int) -> HttpResponse:
    email = _email(request, email_id)
    context = {
        "email": email,
        "releasable": email.state == EmailState.DRAFT,
        "resendable": email.state in (EmailState.FAILED, EmailState.UNKNOWN)
        and not email.carries_secret,
    }
    return render(request, "notifications/staff/email_detail.html", context)


@login_required
@require_POST
def email_action(request: HttpRequest, email_id: int, action: str) -> HttpResponse:
    email = _email(request, email_id)
    service = {"release": services.email_release, "resend": services.email_resend}[action]
    try:
        with transaction.atomic():
            service(email=email)
    except services.OutboxError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The email is queued: it goes out in a moment."))
    return HttpResponseRedirect(reverse("staff:email", args=[email.pk]))


# --- Opting out of reminders (public) --------------------------------------------------------


def _token_or_400(token: str):
    try:
        user_id, kind = unsubscribe_token_read(token)
    except signing.BadSignature:
        return None
    if kind not in OPTIONAL_EMAIL_KINDS:
        return None
    return user_id, kind


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/unsubscribe_invalid.html", status=400)


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the link in the email is the proof. GET only asks (mail scanners follow
    links); the button POSTs, with the CSRF token of the page."""
    read = _token_or_400(token)
    if read is None:
        return _refused(request)
    user_id, kind = read
    done = request.method == "POST" and services.notification_unsubscribe(
        user_id=user_id, kind=kind
    )
    context = {"token": token, "kind_label": EmailKind(kind).label, "done": done}
    return render(request, "notifications/unsubscribe.html", context)


@csrf_exempt
@require_POST
def unsubscribe_one_click(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058 one-click: the mail reader POSTs `List-Unsubscribe=One-Click` from its own
    button, with no page and so no CSRF token; the signed token is the proof."""
    read = _token_or_400(token)
    if read is None:
        return HttpResponse(gettext("This unsubscribe link is not valid."), status=400)
    services.notification_unsubscribe(user_id=read[0], kind=read[1])
    return HttpResponse(gettext("You are unsubscribed."), content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Each kind of reminder with a switch; transactional emails are listed as always sent."""
    if request.method == "POST":
        chosen = [kind for kind in OPTIONAL_EMAIL_KINDS if request.POST.get(kind) == "on"]
        services.notification_preferences_save(user=request.user, subscribed_kinds=chosen)
        messages.success(request, gettext("Your notification settings are saved."))
        return HttpResponseRedirect(reverse("notifications:settings"))
    off = set(Unsubscription.objects.filter(user=request.user).values_list("kind", flat=True))
    kinds = [
        {"value": kind.value, "label": kind.label, "on": kind not in off}
        for kind in OPTIONAL_EMAIL_KINDS
    ]
    return render(request, "notifications/settings.html", {"kinds": kinds})
