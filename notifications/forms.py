from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accelerator.forms import Form

from .models import EmailKind, EmailState


class OutboxFilterForm(Form):
    """The outbox's filters, from the query string; a value that is not a choice is reported
    beside its filter and ignored."""

    q = forms.CharField(label=_("Address or subject"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    cohort = forms.TypedChoiceField(label=_("Cohort"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, cohorts: dict[int, str]):
        super().__init__(data)
        any_choice = [("", _("Any"))]
        self.fields["state"].choices = any_choice + EmailState.choices
        self.fields["kind"].choices = any_choice + EmailKind.choices
        self.fields["cohort"].choices = any_choice + sorted(
            cohorts.items(), key=lambda item: item[1]
        )

    def filter(self, emails: QuerySet) -> QuerySet:
        self.is_valid()
        data = self.cleaned_data
        if data.get("state"):
            emails = emails.filter(state=data["state"])
        if data.get("kind"):
            emails = emails.filter(kind=data["kind"])
        if data.get("cohort"):
            emails = emails.filter(cohort_id=data["cohort"])
        if data.get("q"):
            emails = emails.filter(
                Q(to_address__icontains=data["q"]) | Q(subject__icontains=data["q"])
            )
        return emails
