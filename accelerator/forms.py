from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form, ours and allauth's, lays out fields alike: label, input, help, errors."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
