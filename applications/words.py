"""One definition of a word, shared with static/js/accelerator.js (countWords) and tested on
the same fixtures (tests/fixtures/word_counts.json) in both languages.

A word is a run of letters and digits, after NFC normalisation (so a decomposed "é" is one
letter). An apostrophe or hyphen between two such runs joins them, as a reader counts
"l'équipe", "d'aujourd'hui" or "state-of-the-art" as one word; but a chain of more than
JOINED_PARTS_MAX parts is no word a reader knows, so each of its parts counts ("a-b-c-d-e" is
five words, and a megabyte of words joined by hyphens is as many words as it holds). Slashes
and underscores separate words. Emoji, punctuation and white space are not words.
"""

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_JOINER = re.compile(r"['’-]")
JOINED_PARTS_MAX = 4


def count_words(text: str) -> int:
    count = 0
    for word in _WORD.findall(unicodedata.normalize("NFC", text or "")):
        parts = len(_JOINER.findall(word)) + 1
        count += 1 if parts <= JOINED_PARTS_MAX else parts
    return count
