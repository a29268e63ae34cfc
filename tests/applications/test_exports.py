"""A cohort's applications as XLSX and CSV: labels, Paris times, one column per question, and
nothing an applicant typed ever runs as a formula."""

import csv
import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cohorts.enums import QuestionKind
from tests.factories import UserFactory, staff_member
from tests.factories.applications import StartupFactory, make_application, submitted_application
from tests.factories.cohorts import CohortFactory, ProgramFactory, QuestionFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
# 14:30 UTC on 10 August 2024 is 16:30 in Paris (summer time).
SUBMITTED = datetime(2024, 8, 10, 14, 30, tzinfo=UTC)


@pytest.fixture
def exported(client):
    """A cohort with a submitted application named like a formula and a draft, exported."""
    program = ProgramFactory()
    client.force_login(staff_member(programs=[program]))
    cohort = CohortFactory(program=program, name="2024 cohort")
    product = QuestionFactory(cohort=cohort, label="Your product?", required=False)
    yes_no = QuestionFactory(cohort=cohort, label="Incorporated in the EU?",
                             kind=QuestionKind.YES_NO, word_limit=None,
                             required=False)  # fmt: skip
    founder = UserFactory(full_name="Zoé Lefèvre", email="zoe@lumen.example")
    with time_machine.travel(SUBMITTED, tick=False):
        submitted = submitted_application(
            cohort=cohort,
            startup=StartupFactory(name=FORMULA, members=[founder], stage="mvp"),
            answers={product: "@SUM(1+1) is a formula too", yes_no: "yes"},
        )
        make_application(cohort=cohort, startup=StartupFactory(name="Draft Co"))

    def export(file_format: str, **query):
        url = reverse("staff:cohort_export", args=[cohort.pk, file_format])
        return client.get(url, query)

    export.submitted = submitted
    return export


def test_the_csv_starts_with_a_bom_and_keeps_formulas_as_text(exported):
    response = exported("csv")

    content = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.startswith("\ufeff")
    assert rows[0] == [
        "ID", "Startup", "Status", "Country", "City", "Stage", "Year founded",
        "Funding raised", "Open foundation models", "Team", "Started at (Paris)",
        "First submitted at (Paris)", "Version", "Version submitted at (Paris)",
        "Your product?", "Incorporated in the EU?",
    ]  # fmt: skip
    submitted = next(row for row in rows if row[0] == str(exported.submitted.pk))
    assert submitted == [
        str(exported.submitted.pk), "'" + FORMULA, "Submitted", "France", "Paris", "MVP",
        "2023", "Less than €100k", "Llama 3", "Zoé Lefèvre <zoe@lumen.example>",
        "2024-08-10 16:30", "2024-08-10 16:30", "1", "2024-08-10 16:30",
        "'@SUM(1+1) is a formula too", "Yes",
    ]  # fmt: skip


def test_the_xlsx_stores_formula_like_text_as_string_cells(exported):
    response = exported("xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    by_id = {row[0].value: row for row in rows[1:]}
    submitted = by_id[exported.submitted.pk]
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert submitted[1].value == FORMULA
    assert submitted[1].data_type == "s"
    assert submitted[header.index("Your product?")].value == "@SUM(1+1) is a formula too"
    assert submitted[header.index("Your product?")].data_type == "s"
    assert submitted[header.index("Started at (Paris)")].value == datetime(2024, 8, 10, 16, 30)
    assert [row[1].value for row in rows[1:]] == [FORMULA, "Draft Co"]


def test_the_export_follows_the_lists_filters(exported):
    response = exported("csv", status="draft")

    rows = list(csv.reader(io.StringIO(response.content.decode().removeprefix("\ufeff"))))
    assert [row[1] for row in rows[1:]] == ["Draft Co"]
    assert rows[1][12:] == ["", "", "", ""]  # a draft has no submitted version to export


def test_labels_follow_the_language_of_the_page(exported, client):
    response = client.get(
        "/fr" + reverse("staff:cohort_export", args=[exported.submitted.cohort_id, "csv"])
    )

    rows = list(csv.reader(io.StringIO(response.content.decode().removeprefix("\ufeff"))))
    assert rows[0][:3] == ["ID", "Startup", "Statut"]
    assert rows[1][2] == "Soumise"
