from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import FoundationModel
from .models import Membership, Startup


class StartupForm(forms.ModelForm):
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


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "linkedin_url"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Co-founder's email address"))
