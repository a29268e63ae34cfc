import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms import Form, ModelForm, WholeNumberField
from cohorts.enums import Stage

from .eligibility import profile_fields_needed
from .enums import ApplicationStatus, FoundationModel, NamedConflictKind
from .models import Membership, Startup
from .selectors import StaffFilters


class SirenField(forms.CharField):
    """Nine digits, typed as people write them ("123 456 789"): spaces go, and the input has
    no maxlength, which would cut the last digits of a number written with spaces."""

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value) -> str:
        return re.sub(r"\s", "", super().to_python(value))


class StartupForm(ModelForm):
    foundation_models = forms.MultipleChoiceField(
        label=_("Open foundation models you build on"),
        choices=FoundationModel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Startup
        fields = [
            "name", "website", "country", "city", "year_founded", "stage", "team_size",
            "legal_entity", "siren", "funding_raised", "pitch", "foundation_models",
            "other_model_name", "compute_gpu_hours_per_month", "referred_by", "github_url",
            "hugging_face_url", "demo_url",
        ]  # fmt: skip
        widgets = {"pitch": forms.Textarea(attrs={"rows": 5})}
        field_classes = {
            "siren": SirenField,
            "year_founded": WholeNumberField,
            "team_size": WholeNumberField,
            "compute_gpu_hours_per_month": WholeNumberField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft profile may lack them, an application may not: said before anyone starts.
        for name in profile_fields_needed():
            self.fields[name].needed_to_apply = True


class MembershipForm(ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "linkedin_url"]


class InvitationForm(Form):
    email = forms.EmailField(label=_("Co-founder's email address"))


class StaffFilterForm(Form):
    """The filters of a cohort's list of applications, read from the query string; a value
    that is not a choice is reported beside its filter and ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    foundation_model = forms.ChoiceField(label=_("Foundation model"), required=False)
    screening = forms.ChoiceField(
        label=_("Screening"),
        required=False,
        choices=[("", _("Any")), ("in", _("To review")), ("out", _("Screened out"))],
    )

    def __init__(self, data, *, countries: list[tuple[str, str]]):
        super().__init__(data)
        any_choice = [("", _("Any"))]
        self.fields["status"].choices = any_choice + ApplicationStatus.choices
        self.fields["stage"].choices = any_choice + Stage.choices
        self.fields["country"].choices = any_choice + countries
        self.fields["foundation_model"].choices = any_choice + FoundationModel.choices
        self.fields["q"].widget.attrs["placeholder"] = _("Startup, founder, email, answer…")

    def filters(self) -> StaffFilters:
        self.is_valid()
        values = {name: self.cleaned_data.get(name, "") for name in self.fields}
        return StaffFilters(
            query=values["q"],
            status=values["status"],
            stage=values["stage"],
            country=values["country"],
            foundation_model=values["foundation_model"],
            screening=values["screening"],
        )


class ScreenOutForm(Form):
    reason = forms.CharField(
        label=_("Why is it not to be reviewed? (staff only)"),
        help_text=_("Out of scope, ineligible…"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ExtensionForm(Form):
    closes_at = forms.DateTimeField(
        label=_("Personal closing time (Paris time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason (staff only)"),
        help_text=_("Never shown to the startup."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    message = forms.CharField(
        label=_("Message to the startup (optional)"),
        help_text=_("Shown on its application and sent by email to every member."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class NamedConflictForm(Form):
    """An organisation (a partner of the call, or another) or a person the startup has a
    conflict of interest with."""

    kind = forms.ChoiceField(label=_("Kind of conflict"), choices=NamedConflictKind.choices)
    partner = forms.ModelChoiceField(
        label=_("A partner of this call"), queryset=None, required=False,
        empty_label=_("None of them"),
    )  # fmt: skip
    organisation = forms.CharField(label=_("Another organisation"), max_length=200,
                                   required=False)  # fmt: skip
    person_name = forms.CharField(label=_("A person's name"), max_length=200, required=False)
    person_email = forms.EmailField(
        label=_("Their email (optional)"), required=False,
        help_text=_("With an email, a reviewer or manager who uses it never sees your "
                    "application."),
    )  # fmt: skip

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners

    def clean(self):
        data = super().clean()
        if data.get("person_email") and not data.get("person_name", "").strip():
            self.add_error("person_name", _("Give the person's name with their email."))
        elif not (data.get("partner") or data.get("organisation", "").strip()
                  or data.get("person_name", "").strip()):  # fmt: skip
            raise forms.ValidationError(_("Name an organisation or a person."))
        return data
