"""What every form of ours shares: its layout, and text the database can store."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .text import TEXT_MAX_CHARACTERS, UNSTORABLE_MESSAGE, has_unstorable_characters


class FormRenderer(TemplatesSetting):
    """Every form, ours and allauth's, lays out fields alike: label, input, help, errors."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class StorableTextMixin:
    """A field whose input holds a character the database cannot store is refused with that
    one message beside it, whatever else its own checks said (Django's CharField has a NUL
    check of its own; a choice or JSON field has none), on every engine. A text field that
    names no length of its own (a model's TextField) takes TEXT_MAX_CHARACTERS: no text is
    unbounded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = TEXT_MAX_CHARACTERS
                field.validators.append(MaxLengthValidator(TEXT_MAX_CHARACTERS))

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        for name in self.fields:
            if has_unstorable_characters(self[name].data) or has_unstorable_characters(
                self.cleaned_data.get(name)
            ):
                error = ValidationError(UNSTORABLE_MESSAGE, code="unstorable_character")
                self._errors[name] = self.error_class([error], renderer=self.renderer)
                self.cleaned_data.pop(name, None)


def form_problem(form, when_empty: str) -> str:
    """Why a posted form was refused, as one line for a message: `when_empty` when a field was
    only left empty, else the first other refusal with its field's label (a NUL, a text past its
    length), so a page that redirects still says what to change."""
    for name, errors in form.errors.as_data().items():
        for error in errors:
            if error.code != "required":
                label = form.fields[name].label if name in form.fields else ""
                text = " ".join(error.messages)
                return f"{label}: {text}" if label else text
    return when_empty


class WholeNumberField(forms.IntegerField):
    """A whole number typed as people write it: "1 500" (spaces, including the French narrow
    no-break space, as thousands separators). A text input with a numeric keyboard: a number
    input drops what it cannot parse, spaces included, and sends nothing."""

    default_error_messages = {"invalid": _("Enter a whole number, such as 1 500.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {"inputmode": "numeric"}

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"\s", "", value)
        return super().to_python(value)


class WebAddressMixin:
    """Web addresses typed without "https://" are accepted and saved with it (Django's default
    would prepend http://, which the GitHub, Hugging Face and LinkedIn checks refuse)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.URLField):
                field.assume_scheme = "https"


class Form(StorableTextMixin, WebAddressMixin, forms.Form):
    pass


class ModelForm(StorableTextMixin, WebAddressMixin, forms.ModelForm):
    pass
