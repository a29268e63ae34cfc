from django import forms
from django.utils.translation import gettext_lazy as _


class ThresholdForm(forms.Form):
    disagreement_threshold = forms.FloatField(
        label=_("Flag “reviewers disagree” above this spread"),
        help_text=_("The highest minus the lowest weighted score of an application, from 0 to 1."),
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
