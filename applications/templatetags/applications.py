import json

from django import template

from .. import answers

register = template.Library()


@register.filter
def join_if_list(value) -> str:
    """A multiple-choice answer is a list; show it as one line."""
    return ", ".join(value) if isinstance(value, list) else (value or "")


@register.filter
def json_attr(value) -> str:
    """A value as JSON, for a data- attribute (the template escapes it)."""
    return json.dumps(value)


@register.filter
def answer_display(value, kind: str) -> str:
    """An answer as a person reads it, in the active language: "yes" is "Oui" in French."""
    return answers.answer_display(kind, value) or "—"
