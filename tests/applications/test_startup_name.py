"""A startup's name goes into email subjects: the database itself refuses one that would break
a header, on PostgreSQL and SQLite alike."""

import pytest
from django.db import IntegrityError, transaction

from applications.models import Startup

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.mark.parametrize(
    "name",
    ["Lumen\nLegal AI", "Lumen\r\nBcc: x@evil.example", "Lumen\tAI", "Lumen\x7fAI",
     "Lumen\x85AI", "Lumen\u2028AI"],
)  # fmt: skip
def test_the_database_refuses_a_name_with_control_characters(name):
    with pytest.raises(IntegrityError), transaction.atomic():
        Startup.objects.create(name=name)

    assert Startup.objects.count() == 0


def test_the_database_takes_a_name_on_one_line_in_any_script():
    Startup.objects.create(name="Zoé & Cie — 知能 🚀")

    assert list(Startup.objects.values_list("name", flat=True)) == ["Zoé & Cie — 知能 🚀"]
