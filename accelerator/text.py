"""Text the database can store, whatever the engine."""

import re

from django.utils.translation import gettext_lazy as _

# PostgreSQL text and jsonb cannot hold NUL (a DataError, so a 500); a lone surrogate cannot be
# encoded as UTF-8 at all. SQLite would store both, so the check is ours, on every engine.
UNSTORABLE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = _(
    "This text contains a character that cannot be saved (a null character, often pasted from "
    "a PDF). Remove it and try again."
)

# The longest text a form takes when its field names no length of its own (a pitch, a note, an
# email's text): a page of prose; 1 MB pasted into one is refused, never stored.
TEXT_MAX_CHARACTERS = 10_000


def has_unstorable_characters(value) -> bool:
    """Whether a text, or any text inside a list or dict (an answer's value), holds a
    character the database cannot store."""
    if isinstance(value, str):
        return UNSTORABLE_CHARACTERS.search(value) is not None
    if isinstance(value, list | tuple):
        return any(has_unstorable_characters(item) for item in value)
    if isinstance(value, dict):
        return any(has_unstorable_characters(item) for item in [*value.keys(), *value.values()])
    return False


# PostgreSQL's integer column: a larger number in a query or a write is a DataError (a 500).
INTEGER_MAX = 2**31 - 1


def whole_number(value) -> int | None:
    """A whole number written in ASCII digits that an integer column can hold, or None.
    int() alone has no ceiling, raises on "²" and reads "٣" as 3."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
        return number if number <= INTEGER_MAX else None
    return None
