"""A startup's members answer their offer, from the dashboard: accept (ticking the conditions)
or decline (with an optional reason). Another startup's offer does not exist for them (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from . import offers
from .models import Offer, OfferState


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
    try:
        offers.offer_decline(offer=offer, user=request.user,
                             reason=request.POST.get("reason", "").strip())  # fmt: skip
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
