"""Every string marked for translation has its French text."""

import subprocess
from pathlib import Path

CATALOG = Path(__file__).parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalog_has_no_untranslated_or_fuzzy_message():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOG)],
        capture_output=True,
        text=True,
        check=True,
    )

    statistics = result.stderr.strip()
    assert statistics.endswith("translated messages.")
    assert "untranslated" not in statistics
    assert "fuzzy" not in statistics
