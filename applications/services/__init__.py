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
    required_question_notify,
    submission_problems,
)
from .conflicts import named_conflict_add, named_conflict_remove
from .personal_data import applicant_data_delete, application_anonymise, retention_apply
from .screening import application_screen_in, application_screen_out, applications_screen_out
from .search import application_search_refresh, startup_search_refresh, user_search_refresh
from .startups import (
    TeamError,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_leave,
    startup_create,
    startup_update,
)

__all__ = [
    "AnswerConflict",
    "ApplicationError",
    "TeamError",
    "answer_file_upload",
    "answer_save",
    "applicant_data_delete",
    "application_anonymise",
    "application_screen_in",
    "application_screen_out",
    "application_search_refresh",
    "application_start",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "applications_screen_out",
    "extension_grant",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "membership_leave",
    "named_conflict_add",
    "named_conflict_remove",
    "pitch_deck_upload",
    "required_question_notify",
    "retention_apply",
    "startup_create",
    "startup_search_refresh",
    "startup_update",
    "submission_problems",
    "user_search_refresh",
]
