from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms import Form

from .enums import ConflictKind
from .models import DEFAULT_MAX_ASSIGNMENTS


class ConflictForm(Form):
    kind = forms.ChoiceField(label=_("Kind of conflict"), choices=ConflictKind.choices)
    note = forms.CharField(
        label=_("Note for the program (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class HandBackForm(Form):
    reason = forms.CharField(
        label=_("Why do you hand it back?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ReviewerInvitationForm(Form):
    email = forms.EmailField(label=_("Email address"))
    partner = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=None, required=False, empty_label=_("The program")
    )
    max_assignments = forms.IntegerField(
        label=_("Maximum number of applications"), min_value=1, max_value=500,
        initial=DEFAULT_MAX_ASSIGNMENTS,
    )  # fmt: skip

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class AssignmentForm(Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class ConflictAddForm(Form):
    """Staff record a conflict by hand between one of the cohort's reviewers or managers and
    one of its submitted applications."""

    user = forms.TypedChoiceField(label=_("Person"), coerce=int, choices=())
    application = forms.TypedChoiceField(label=_("Application"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Kind of conflict"), choices=ConflictKind.choices)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, people, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = people
        self.fields["application"].choices = applications
