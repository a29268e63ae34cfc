"""One definition of a word, shared with static/js/accelerator.js (countWords) and tested on
the same fixtures (tests/fixtures/word_counts.json) in both languages.

A word is a run of letters and digits, after NFC normalisation (so a decomposed "é" is one
letter); an apostrophe or hyphen between two such runs joins them ("l'équipe",
"state-of-the-art"). Emoji, punctuation and white space are not words.
"""

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def count_words(text: str) -> int:
    return len(_WORD.findall(unicodedata.normalize("NFC", text or "")))
