from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms import Form


class PanelField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        name = user.get_full_name()
        return f"{name} ({user.email})" if name else user.email


class SlotForm(Form):
    starts_at = forms.DateTimeField(
        label=_("Start (Paris time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480,
                                  initial=30)  # fmt: skip
    place = forms.CharField(label=_("Place (a Station F room or a video link)"), max_length=300)
    panel = PanelField(label=_("Panel"), queryset=None, required=False,
                       widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = candidates


class BulkSlotsForm(Form):
    days = forms.CharField(
        label=_("Days"),
        help_text=_("Dates separated by commas or spaces, like 2026-12-07, 2026-12-08."),
    )
    first = forms.TimeField(label=_("From (Paris time)"), initial=time(9),
                            widget=forms.TimeInput(attrs={"type": "time"}))  # fmt: skip
    last = forms.TimeField(label=_("To (Paris time)"), initial=time(17),
                           widget=forms.TimeInput(attrs={"type": "time"}))  # fmt: skip
    duration = forms.IntegerField(label=_("Minutes each"), min_value=5, max_value=480,
                                  initial=30)  # fmt: skip
    gap = forms.IntegerField(label=_("Minutes apart"), min_value=0, max_value=240, initial=10)
    place = forms.CharField(label=_("Place (a Station F room or a video link)"), max_length=300)
    panel = PanelField(label=_("Panel"), queryset=None, required=False,
                       widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = candidates

    def clean_days(self):
        days = []
        for part in self.cleaned_data["days"].replace(",", " ").split():
            try:
                days.append(forms.DateField().clean(part))
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(day)s” is not a date (write it like 2026-12-07)."),
                    params={"day": part},
                ) from None
        if not days:
            raise forms.ValidationError(_("Give at least one day."))
        return days

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] >= data["last"]:
            raise forms.ValidationError(_("The end time must be after the start time."))
        return data


class MoveForm(Form):
    starts_at = SlotForm.base_fields["starts_at"]


class PanelForm(Form):
    panel = PanelField(label=_("Panel"), queryset=None, required=False,
                       widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = candidates
