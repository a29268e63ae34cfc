"""Reminder offsets as staff type them: "7d, 2d, 3h", "90m"; stored as minutes before a
deadline, largest first."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REMINDER_OFFSETS = [7 * 24 * 60, 2 * 24 * 60, 3 * 60]  # 7 days, 2 days, 3 hours
MAX_REMINDER_OFFSET_MINUTES = 30 * 24 * 60
_UNITS = {"d": 24 * 60, "h": 60, "m": 1}
_PART = re.compile(r"^(\d{1,5})\s*([dhm])$")


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


def offsets_format(minutes: list[int]) -> str:
    parts = []
    for value in minutes:
        for unit, size in _UNITS.items():
            if value % size == 0:
                parts.append(f"{value // size}{unit}")
                break
    return ", ".join(parts)


def offsets_parse(text: str) -> list[int]:
    """Minutes, largest first, each once; ValidationError naming the part that is wrong."""
    minutes = set()
    for part in (piece.strip().lower() for piece in text.split(",")):
        if not part:
            continue
        match = _PART.match(part)
        if match is None:
            raise ValidationError(
                _("“%(part)s” is not a time before the deadline: write e.g. 7d, 2d, 3h or 30m."),
                params={"part": part},
            )
        value = int(match[1]) * _UNITS[match[2]]
        if not 0 < value <= MAX_REMINDER_OFFSET_MINUTES:
            raise ValidationError(
                _("Each reminder comes between 1 minute and 30 days before the deadline.")
            )
        minutes.add(value)
    return sorted(minutes, reverse=True)


class OffsetsField(forms.CharField):
    """The admin's field for Cohort.reminder_offsets."""

    def prepare_value(self, value):
        return offsets_format(value) if isinstance(value, list) else value

    def to_python(self, value):
        return offsets_parse(super().to_python(value) or "")

    def has_changed(self, initial, data):
        try:
            return offsets_parse(data or "") != (initial or [])
        except ValidationError:
            return True
