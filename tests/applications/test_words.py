import json
from pathlib import Path

import pytest

from applications.words import count_words

FIXTURES = json.loads((Path(__file__).parent.parent / "fixtures" / "word_counts.json").read_text())


@pytest.mark.parametrize("fixture", FIXTURES, ids=[repr(f["text"]) for f in FIXTURES])
def test_word_count_in_python(fixture):
    assert count_words(fixture["text"]) == fixture["words"]
