import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms import Form, ModelForm

from .models import User

# Where the program's founders, reviewers and staff mostly are: listed first.
COMMON_TIME_ZONES = [
    "Europe/Paris", "Europe/London", "Europe/Berlin", "Europe/Brussels", "Europe/Madrid",
    "Europe/Zurich", "America/New_York", "America/Los_Angeles", "America/Montreal",
    "Africa/Casablanca", "Africa/Dakar", "Asia/Singapore", "Asia/Tokyo", "UTC",
]  # fmt: skip
# The regions of the tz database; other names ("Factory", "localtime", "Etc/GMT+5", "US/…",
# "posixrules") are aliases or technical entries nobody lives in.
REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}


def _zone_label(name: str) -> str:
    return name.split("/", 1)[-1].replace("_", " ").replace("/", " – ")


def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Real places grouped by region, the common ones first; values are tz names."""
    available = zoneinfo.available_timezones()
    groups = [(_("Common"), [(name, name.replace("_", " ")) for name in COMMON_TIME_ZONES
                             if name in available])]  # fmt: skip
    for region, label in REGIONS.items():
        zones = sorted(name for name in available if name.split("/", 1)[0] == region
                       and "/" in name)  # fmt: skip
        groups.append((label, [(name, _zone_label(name)) for name in zones]))
    return groups


class ProfileForm(ModelForm):
    time_zone = forms.TypedChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]
        labels = {"full_name": _("Full name"), "language": _("Language")}
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].help_text = User._meta.get_field("time_zone").help_text
        if not self.instance.time_zone_chosen:
            # static/js/accelerator.js selects the browser's zone; the user confirms by saving.
            self.fields["time_zone"].widget.attrs["data-preset-from-browser"] = "true"

    def save(self, commit: bool = True) -> User:
        self.instance.time_zone_chosen = True
        return super().save(commit=commit)


class AccountDeletionForm(Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
