import json

from django import template

register = template.Library()


@register.filter
def join_if_list(value) -> str:
    """A multiple-choice answer is a list; show it as one line."""
    return ", ".join(value) if isinstance(value, list) else (value or "")


@register.filter
def json_attr(value) -> str:
    """A value as JSON, for a data- attribute (the template escapes it)."""
    return json.dumps(value)
