"""What makes an answer acceptable for submission, by question kind. Saving never validates:
a draft keeps whatever was typed, and these messages are shown beside the field."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from cohorts.enums import QuestionKind

from .words import count_words

SHORT_TEXT_MAX_CHARACTERS = 300
# A hard ceiling on what an answer may hold, refused at autosave as at submit, so that no
# answer (nor the confirmation email that copies it) grows without bound: room for long
# words under a word limit, a fixed size where there is none.
CHARACTERS_PER_ALLOWED_WORD = 12
ANSWER_MAX_CHARACTERS = 10_000
YES, NO = "yes", "no"


def url_normalised(value) -> str:
    """A web address as saved: "lumen.ai/demo" becomes "https://lumen.ai/demo"; anything that
    does not read as an address stays as typed (its problem is shown beside the field)."""
    text = str(value or "").strip()
    if not text or "://" in text:
        return text
    try:
        URLValidator(schemes=["http", "https"])("https://" + text)
    except ValidationError:
        return text
    return "https://" + text


def is_empty(value) -> bool:
    if isinstance(value, list):
        return not value
    return not str(value or "").strip()


def answer_character_ceiling(question) -> int:
    """The most characters an answer to this question may hold, saved or submitted."""
    if question.kind == QuestionKind.LONG_TEXT and question.word_limit:
        return CHARACTERS_PER_ALLOWED_WORD * question.word_limit
    return ANSWER_MAX_CHARACTERS


def answer_length(value) -> int:
    """Characters in an answer: its text, or every choice of a list."""
    if isinstance(value, list):
        return sum(len(str(item)) for item in value)
    if isinstance(value, dict):
        return 0  # a file answer: its value is written by the server, not typed
    return len(str(value or ""))


def answer_too_long(question, value) -> str:
    """The reason an answer is over its hard ceiling, or ""."""
    ceiling = answer_character_ceiling(question)
    length = answer_length(value)
    if length <= ceiling:
        return ""
    return _("This answer is too long: %(limit)d characters at most (now %(count)d).") % {
        "limit": ceiling,
        "count": length,
    }


def answer_problem(question, value) -> str:
    """The reason an answer cannot be submitted, or "" when it can (an empty optional one can)."""
    if is_empty(value):
        return _("This question needs an answer.") if question.required else ""
    too_long = answer_too_long(question, value)
    if too_long:
        return too_long
    kind = question.kind
    if kind == QuestionKind.FILE:
        if not isinstance(value, dict) or not value.get("file"):
            return _("Upload the file again.")
        return ""
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT) and not isinstance(value, str):
        return _("Write your answer as text.")
    if kind == QuestionKind.SHORT_TEXT and len(value) > SHORT_TEXT_MAX_CHARACTERS:
        return _("Keep this short: %(limit)d characters at most (now %(count)d).") % {
            "limit": SHORT_TEXT_MAX_CHARACTERS,
            "count": len(value),
        }
    if kind == QuestionKind.LONG_TEXT and question.word_limit:
        words = count_words(value)
        if words > question.word_limit:
            return ngettext(
                "%(count)d words: %(over)d over the limit of %(limit)d.",
                "%(count)d words: %(over)d over the limit of %(limit)d.",
                words,
            ) % {"count": words, "over": words - question.word_limit, "limit": question.word_limit}
    if kind == QuestionKind.SINGLE_CHOICE and value not in question.choice_list:
        return _("Choose one of the options.")
    if kind == QuestionKind.MULTIPLE_CHOICE and (
        not isinstance(value, list) or not set(value) <= set(question.choice_list)
    ):
        return _("Choose among the options.")
    if kind == QuestionKind.URL:
        try:
            URLValidator(schemes=["http", "https"])(url_normalised(value))
        except ValidationError:
            return _("Enter a web address, such as lumen.ai or https://lumen.ai/demo.")
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(re.sub(r"\s", "", str(value)).replace(",", "."))
        except InvalidOperation:
            return _("Enter a number, such as 1 500 or 2,5.")
        if not number.is_finite() or number < 0:
            return _("Enter a number of zero or more.")
    if kind == QuestionKind.YES_NO and value not in (YES, NO):
        return _("Answer yes or no.")
    return ""


def answer_display(kind: str, value) -> str:
    """An answer as a reader reads it."""
    if kind == QuestionKind.YES_NO:
        return {YES: gettext("Yes"), NO: gettext("No")}.get(value, "")
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, dict):
        if not value.get("file"):
            return ""
        return gettext("%(type)s file, %(size)d KB") % {
            "type": str(value.get("type", "")).upper(),
            "size": round((value.get("size") or 0) / 1024),
        }
    return "" if value is None else str(value)
