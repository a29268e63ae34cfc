"""What every form of ours shares: its layout, and text the database can store."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from .text import UNSTORABLE_MESSAGE, has_unstorable_characters


class FormRenderer(TemplatesSetting):
    """Every form, ours and allauth's, lays out fields alike: label, input, help, errors."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class StorableTextMixin:
    """A field whose input holds a character the database cannot store is refused with that
    one message beside it, whatever else its own checks said (Django's CharField has a NUL
    check of its own; a choice or JSON field has none), on every engine."""

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


class Form(StorableTextMixin, forms.Form):
    pass


class ModelForm(StorableTextMixin, forms.ModelForm):
    pass
