"""A cohort's reminders for its staff: what is planned and when, what was sent, skipped,
cancelled or failed, a preview of each kind with real data; and messages to the cohort."""

from collections import Counter

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accelerator.forms import Form
from applications.messages import (
    Audience,
    CohortMessage,
    cohort_message_recipients,
    cohort_message_render,
    cohort_message_send,
)
from applications.reminders import deadline_reminder_preview, deadline_reminders_planned
from cohorts.staff import cohort_in_scope, staff_page
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.reminders import offset_display
from reviews.reminders import review_reminder_preview, review_reminders_planned
from selection.offer_reminders import offer_reminder_preview, offer_reminders_planned
from selection.reminders import interview_reminder_previews, interview_reminders_planned

KINDS = [EmailKind.DEADLINE_REMINDER, EmailKind.REVIEW_REMINDER, EmailKind.INTERVIEW_REMINDER,
         EmailKind.OFFER_REMINDER, EmailKind.COHORT_MESSAGE]  # fmt: skip
STATES = [EmailState.QUEUED, EmailState.SENT, EmailState.SKIPPED, EmailState.CANCELLED,
          EmailState.FAILED, EmailState.UNKNOWN]  # fmt: skip
RECENT = 50


@staff_page
@require_GET
def cohort_reminders(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    now = timezone.now()
    rows = OutgoingEmail.objects.filter(cohort_id=cohort.pk, kind__in=KINDS)
    counts = Counter(rows.values_list("kind", "state"))
    planned = [
        {"at": item["at"], "kind": EmailKind.DEADLINE_REMINDER.label,
         "offset": offset_display(item["offset"]), "recipients": item["applications"]}
        for item in deadline_reminders_planned(cohort, now)
    ] + [
        {"at": item["at"], "kind": EmailKind.REVIEW_REMINDER.label,
         "offset": offset_display(item["offset"]), "recipients": item["reviewers"]}
        for item in review_reminders_planned(cohort, now)
    ] + [
        {"at": item["at"], "kind": EmailKind.INTERVIEW_REMINDER.label,
         "offset": (offset_display(24 * 60) if item["kind"] == "day_before"
                    else gettext("2 days after the invitation, if not booked")),
         "recipients": item["recipients"]}
        for item in interview_reminders_planned(cohort, now)
    ] + [
        {"at": item["at"], "kind": EmailKind.OFFER_REMINDER.label,
         "offset": offset_display(item["offset"]), "recipients": item["recipients"]}
        for item in offer_reminders_planned(cohort, now)
    ]  # fmt: skip
    table = [
        {"label": kind.label,
         "counts": [counts.get((kind.value, state.value), 0) for state in STATES]}
        for kind in KINDS
    ]  # fmt: skip
    day_before, unbooked = interview_reminder_previews(cohort, user=request.user)
    previews = [
        (EmailKind.DEADLINE_REMINDER.label, deadline_reminder_preview(cohort, user=request.user)),
        (EmailKind.REVIEW_REMINDER.label, review_reminder_preview(cohort, user=request.user)),
        (gettext("Interview reminder: the day before"), day_before),
        (gettext("Interview reminder: not booked yet"), unbooked),
        (EmailKind.OFFER_REMINDER.label, offer_reminder_preview(cohort, user=request.user)),
    ]
    context = {
        "cohort": cohort,
        "section": "reminders",
        "offsets": [offset_display(offset) for offset in cohort.reminder_offsets or []],
        "planned": sorted(planned, key=lambda item: item["at"]),
        "states": STATES,
        "table": table,
        "recent": rows.order_by("-created_at", "-pk")[:RECENT],
        "previews": previews,
    }
    return render(request, "dashboards/cohort_reminders.html", context)


class CohortMessageForm(Form):
    audience = forms.ChoiceField(label=gettext_lazy("To"), choices=Audience.choices,
                                 widget=forms.RadioSelect)  # fmt: skip
    subject_en = forms.CharField(label=gettext_lazy("Subject (English)"), max_length=200)
    body_en = forms.CharField(label=gettext_lazy("Text (English)"), widget=forms.Textarea)
    subject_fr = forms.CharField(label=gettext_lazy("Subject (French)"), max_length=200,
                                 required=False)  # fmt: skip
    body_fr = forms.CharField(label=gettext_lazy("Text (French)"), widget=forms.Textarea,
                              required=False,
                              help_text=gettext_lazy("Optional: French readers get the English "
                                                     "version when this is empty."))  # fmt: skip

    def clean(self):
        data = super().clean()
        if bool((data.get("subject_fr") or "").strip()) != bool(
            (data.get("body_fr") or "").strip()
        ):
            raise forms.ValidationError(
                gettext_lazy("Write both the French subject and text, or neither.")
            )
        return data


@staff_page
@require_http_methods(["GET", "POST"])
def cohort_message(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Write, preview (both languages, the number of recipients), then send."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    form = CohortMessageForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        message = CohortMessage(**form.cleaned_data)
        if "send" in request.POST:
            with transaction.atomic():
                queued = cohort_message_send(cohort=cohort, message=message)
            messages.success(
                request,
                ngettext(
                    "The message is queued for %(count)d person.",
                    "The message is queued for %(count)d people.",
                    queued,
                )
                % {"count": queued},
            )
            return HttpResponseRedirect(reverse("staff:cohort_reminders", args=[cohort.pk]))
        preview = {
            "recipients": len(cohort_message_recipients(cohort=cohort, audience=message.audience)),
            "versions": [cohort_message_render(message, language=code) for code in ("en", "fr")],
        }
    context = {"cohort": cohort, "section": "reminders", "form": form, "preview": preview}
    return render(request, "dashboards/cohort_message.html", context)
