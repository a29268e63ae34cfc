"""A startup's members answer their offer, from the dashboard: accept (ticking the conditions)
or decline (with an optional reason). Another startup's offer does not exist for them (404)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accelerator.forms import form_problem
from applications.enums import ApplicationStatus
from applications.models import Application
from applications.selectors import conflicted_in_cohort, without_conflicts
from cohorts.staff import cohort_in_scope, staff_page

from . import offers
from .decisions import (
    PROMOTION_KEY_SUFFIX,
    decision_emails_by_application,
    visible_decision_emails,
)
from .forms import ReasonForm
from .models import Decision, DecisionOutcome, Offer, OfferState


def _offer(request: HttpRequest, offer_id: int) -> Offer:
    try:
        return offers.pending_offer_for(request.user, offer_id)
    except Offer.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def offer_accept(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer(request, offer_id)
    try:
        offers.offer_accept(offer=offer, user=request.user,
                            conditions_accepted=request.POST.get("conditions") == "on")  # fmt: skip
    except offers.OfferError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("You accepted the offer: your place is confirmed."))
    return HttpResponseRedirect(reverse("dashboard"))


@login_required
@require_POST
def offer_decline(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = _offer(request, offer_id)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise offers.OfferError(form_problem(form, ""))
        offers.offer_decline(offer=offer, user=request.user,
                             reason=form.cleaned_data["reason"])  # fmt: skip
    except offers.OfferError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("You declined the offer."))
    return HttpResponseRedirect(reverse("dashboard"))


def offer_panel(application, request) -> str:
    """The offer on the startup's dashboard card, once the decision is published."""
    if not application.cohort.decisions_published_at:
        return ""
    offer = Offer.objects.filter(application=application).first()
    if offer is None:
        return ""
    context = {
        "offer": offer, "cohort": application.cohort, "pending": offer.state == OfferState.PENDING,
        "late": offer.reply_by is not None and timezone.now() > offer.reply_by,
    }  # fmt: skip
    return render_to_string("selection/offer_panel.html", context, request=request)


# --- Staff: the offers of a cohort


@staff_page
@require_GET
def offers_page(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Accepted, pending (with time left), declined (with reasons), expired and withdrawn
    offers, and the waitlist in order. An offer or a waitlisted startup the manager is in
    conflict with is there, as "conflict of interest", with nothing of it and no action."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    now = timezone.now()
    conflicted = set(conflicted_in_cohort(cohort, request.user))
    by_state = {state: [] for state in OfferState.values}
    promotion_emails = decision_emails_by_application(
        visible_decision_emails(cohort, request.user).filter(
            idempotency_key__endswith=PROMOTION_KEY_SUFFIX
        )
    )
    for offer in (Offer.objects.filter(cohort=cohort).select_related("application__startup")
                  .order_by("created_at", "pk")):  # fmt: skip
        offer.conflicted = offer.application_id in conflicted
        offer.time_left = offer.reply_by - now if offer.reply_by and offer.reply_by > now else None
        offer.promotion_emails = promotion_emails.get(offer.application_id, [])
        by_state[offer.state].append(offer)
    waitlist = (
        Decision.objects.filter(cohort=cohort, outcome=DecisionOutcome.WAITLISTED,
                                application__status=ApplicationStatus.WAITLISTED)
        .select_related("application__startup").order_by("waitlist_position")
    )  # fmt: skip
    waitlist = list(waitlist)
    for decision in waitlist:
        decision.conflicted = decision.application_id in conflicted
    context = {
        "cohort": cohort, "offers": by_state, "waitlist": waitlist,
        "stopped": offers.promotion_stopped(cohort, now), "section": "ranking",
    }  # fmt: skip
    return render(request, "selection/offers.html", context)


def _staff_offer(request, cohort_id: int, offer_id: int):
    # An offer of a startup the manager is in conflict with does not exist for them.
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    visible = without_conflicts(Offer.objects.filter(cohort=cohort), request.user,
                                "application_id")  # fmt: skip
    return cohort, get_object_or_404(visible, pk=offer_id)


@staff_page
@require_POST
def offer_extend(request: HttpRequest, cohort_id: int, offer_id: int) -> HttpResponse:
    cohort, offer = _staff_offer(request, cohort_id, offer_id)
    try:
        day = date.fromisoformat(request.POST.get("reply_by", ""))
    except ValueError:
        messages.error(request, gettext("Give the new reply-by date as a day (YYYY-MM-DD)."))
    else:
        reply_by = datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))
        try:
            offers.offer_extend(offer=offer, reply_by=reply_by, actor=request.user)
        except offers.OfferError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("The reply-by date is extended."))
    return HttpResponseRedirect(reverse("staff:offers", args=[cohort.pk]))


@staff_page
@require_POST
def offer_withdraw(request: HttpRequest, cohort_id: int, offer_id: int) -> HttpResponse:
    cohort, offer = _staff_offer(request, cohort_id, offer_id)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise offers.OfferError(form_problem(form, ""))
        promoted = offers.offer_withdraw(offer=offer, actor=request.user,
                                         reason=form.cleaned_data["reason"])  # fmt: skip
    except offers.OfferError as error:
        messages.error(request, str(error))
    else:
        if promoted is None:
            nobody = gettext(
                "The offer is withdrawn. Nobody was promoted: the waitlist is empty or no "
                "longer moves."
            )
            messages.warning(request, nobody)
        elif not without_conflicts(Application.objects.filter(pk=promoted.pk),
                                   request.user).exists():  # fmt: skip
            messages.success(
                request,
                gettext(
                    "The offer is withdrawn; the next startup on the waitlist, one you are in "
                    "conflict with, is promoted."
                ),
            )
        else:
            messages.success(
                request,
                gettext("The offer is withdrawn; %(startup)s is promoted from the waitlist.")
                % {"startup": promoted.startup.name},
            )
    return HttpResponseRedirect(reverse("staff:offers", args=[cohort.pk]))
