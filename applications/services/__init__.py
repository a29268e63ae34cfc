"""Every write of the applications app, one function per state change; each docstring lists
its side effects."""

from .applications import (
    AnswerConflict,
    ApplicationError,
    answer_file_upload,
    answer_save,
    application_start,
    application_submit,
    application_transition,
    application_withdraw,
    extension_grant,
    pitch_deck_upload,
    submission_problems,
)
from .personal_data import applicant_data_delete, application_anonymise, retention_apply
from .startups import (
    TeamError,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_leave,
    startup_create,
)

__all__ = [
    "AnswerConflict",
    "ApplicationError",
    "TeamError",
    "answer_file_upload",
    "answer_save",
    "applicant_data_delete",
    "application_anonymise",
    "application_start",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "extension_grant",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "membership_leave",
    "pitch_deck_upload",
    "retention_apply",
    "startup_create",
    "submission_problems",
]
