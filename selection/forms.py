from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms import Form


class ThresholdForm(Form):
    disagreement_threshold = forms.FloatField(
        label=_("Flag “reviewers disagree” above this spread"),
        help_text=_("The highest minus the lowest weighted score of an application, from 0 to 1."),
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )


# Posted from the decision and offer pages: every field bounded, NUL refused (the shared
# check of accelerator.forms), so nothing reaches PostgreSQL that it cannot store (#26).
TEXT_MAX_CHARACTERS = 5000
EMAIL_TEXT_MAX_CHARACTERS = 50_000


class DecisionForm(Form):
    outcome = forms.CharField(required=False, max_length=20)
    waitlist_position = forms.IntegerField(label=_("waitlist position"), required=False,
                                           min_value=1, max_value=32767)  # fmt: skip
    note = forms.CharField(label=_("note (staff only)"), required=False, strip=False,
                           max_length=TEXT_MAX_CHARACTERS)  # fmt: skip
    feedback = forms.CharField(label=_("feedback for the startup"), required=False,
                               strip=False, max_length=TEXT_MAX_CHARACTERS)  # fmt: skip


class ReasonForm(Form):
    reason = forms.CharField(label=_("reason"), required=False, max_length=2000)


class ShortlistNoteForm(Form):
    note = forms.CharField(label=_("note (staff only)"), required=False, max_length=500)


class InterviewNotesForm(Form):
    notes = forms.CharField(label=_("notes"), required=False, strip=False,
                            max_length=TEXT_MAX_CHARACTERS)  # fmt: skip


class DecisionEmailForm(Form):
    """A decision email's edit, or which email to send."""

    action = forms.CharField(required=False, max_length=20)
    email = forms.IntegerField(required=False, min_value=1)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=255)
    body_text = forms.CharField(label=_("Text"), required=False, strip=False,
                                max_length=EMAIL_TEXT_MAX_CHARACTERS)  # fmt: skip
