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
from .outbox import (
    OutboxError,
    email_deliver,
    email_queue,
    email_queue_message,
    email_release,
    email_resend,
    outbox_sweep,
)
from .personal_data import account_delete, application_anonymise, retention_apply
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
    "OutboxError",
    "TeamError",
    "account_delete",
    "answer_file_upload",
    "answer_save",
    "application_anonymise",
    "application_search_refresh",
    "application_start",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "email_deliver",
    "email_queue",
    "email_queue_message",
    "email_release",
    "email_resend",
    "extension_grant",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "membership_leave",
    "outbox_sweep",
    "pitch_deck_upload",
    "retention_apply",
    "startup_create",
    "startup_search_refresh",
    "startup_update",
    "submission_problems",
    "user_search_refresh",
]
