import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accelerator.forms import Form, ModelForm

from .models import User


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


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
