"""A cohort's conflicts of interest as a spreadsheet (XLSX or CSV, through the applications'
writers): one row per person and application, labels not codes, Paris times."""

from django.utils.translation import gettext

from applications.exports import _paris

from .enums import ConflictKind, ConflictSource, ConflictState

ROLES = {
    "reviewer": lambda: gettext("Reviewer"),
    "manager": lambda: gettext("Manager"),
    "both": lambda: gettext("Reviewer and manager"),
}


def _label(choices, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def conflicts_table(conflicts, *, hidden=frozenset()) -> tuple[list[str], list[list]]:
    """The header and the rows; an application in `hidden` (the reader's own conflicts) shows
    only its id and "conflict of interest"."""
    header = [
        gettext("Person"), gettext("Email"), gettext("Role"), gettext("Application ID"),
        gettext("Startup"), gettext("Source"), gettext("State"), gettext("Kind"),
        gettext("What matched"), gettext("Note"), gettext("Found at (Paris)"),
        gettext("Decided at (Paris)"), gettext("Decided by"),
    ]  # fmt: skip
    rows = []
    for conflict in conflicts:
        if conflict.application_id in hidden:
            rows.append([None, None, None, conflict.application_id, gettext("Conflict of interest"),
                         *([None] * 8)])  # fmt: skip
            continue
        rows.append([
            conflict.user.get_full_name(), conflict.user.email,
            ROLES[conflict.role]() if hasattr(conflict, "role") else "",
            conflict.application_id, conflict.application.startup.name,
            _label(ConflictSource, conflict.source), _label(ConflictState, conflict.state),
            _label(ConflictKind, conflict.kind), conflict.detail, conflict.note,
            _paris(conflict.created_at), _paris(conflict.decided_at),
            conflict.decided_by.get_full_name() if conflict.decided_by else "",
        ])  # fmt: skip
    return header, rows
