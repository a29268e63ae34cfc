"""A cohort's applications as a spreadsheet (XLSX, for people) or CSV (UTF-8 with BOM, for
tools): labels, not codes; Paris times; one column per question, from the latest submitted
version; anything an applicant typed that a spreadsheet could run as a formula stays text."""

import csv
import io
import re
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cohorts.enums import Stage

from .answers import answer_display
from .enums import ApplicationStatus, FoundationModel, FundingRange
from .models import Membership
from .selectors import latest_submissions

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%Y-%m-%d %H:%M"


def _paris(moment: datetime | None) -> datetime | None:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)) if moment else None


def _label(choices, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code or ""


def export_table(applications: QuerySet, questions: list) -> tuple[list[str], list[list]]:
    """The header and one row per application: text, whole numbers and Paris datetimes."""
    applications = applications.select_related("startup").prefetch_related(
        Prefetch("startup__memberships", queryset=Membership.objects.select_related("user"))
    )
    submissions = latest_submissions(applications)
    header = [
        gettext("ID"), gettext("Startup"), gettext("Status"), gettext("Country"),
        gettext("City"), gettext("Stage"), gettext("Year founded"), gettext("Funding raised"),
        gettext("Open foundation models"), gettext("Team"), gettext("Started at (Paris)"),
        gettext("First submitted at (Paris)"), gettext("Version"),
        gettext("Version submitted at (Paris)"),
        *[question.label for question in questions],
    ]  # fmt: skip
    rows = []
    for application in applications:
        startup = application.startup
        submission = submissions.get(application.pk)
        answers = {}
        if submission is not None:
            answers = {
                answer.get("question"): answer for answer in submission.content.get("answers", [])
            }
        team = "; ".join(
            f"{membership.user.get_full_name()} <{membership.user.email}>"
            for membership in startup.memberships.all()
        )
        rows.append(
            [
                application.pk,
                startup.name,
                _label(ApplicationStatus, application.status),
                startup.country.name if startup.country else "",
                startup.city,
                _label(Stage, startup.stage),
                startup.year_founded,
                _label(FundingRange, startup.funding_raised),
                "; ".join(_label(FoundationModel, code) for code in startup.foundation_models),
                team,
                _paris(application.created_at),
                _paris(application.submitted_at),
                submission.number if submission else None,
                _paris(submission.submitted_at) if submission else None,
                *[
                    answer_display(question.kind, answers[question.pk].get("value"))
                    if question.pk in answers
                    else ""
                    for question in questions
                ],
            ]
        )
    return header, rows


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def to_csv(header: list[str], rows: Iterable[list]) -> bytes:
    """Comma-separated, UTF-8 with a BOM (so Excel reads the accents), formula-like text
    prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [header, *rows]:
        writer.writerow(
            [
                value.strftime(DATE_FORMAT)
                if isinstance(value, datetime)
                else f"'{value}"
                if _is_formula_like(value)
                else ("" if value is None else value)
                for value in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: Iterable[list], *, title: str) -> bytes:
    """One sheet, a bold header; every text cell is stored as text, never as a formula, and
    datetimes are Paris wall-clock times (spreadsheets have no time zones)."""
    workbook = Workbook(write_only=True)
    # Sheet names are at most 31 characters and cannot hold : \ / ? * [ ].
    sheet = workbook.create_sheet(title=re.sub(r"[:\\/?*\[\]]", " ", title)[:31] or "applications")
    bold = Font(bold=True)
    header_cells = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
                cell.number_format = "yyyy-mm-dd hh:mm"
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # "=HYPERLINK(…)" stays the text it was typed as
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
