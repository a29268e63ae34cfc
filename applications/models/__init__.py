from .applications import Answer, Application, ApplicationEvent, Extension, Submission
from .outbox import SECRET_EMAIL_KINDS, EmailKind, EmailState, OutgoingEmail
from .startups import Invitation, Membership, Startup

__all__ = [
    "SECRET_EMAIL_KINDS",
    "Answer",
    "Application",
    "ApplicationEvent",
    "EmailKind",
    "EmailState",
    "Extension",
    "Invitation",
    "Membership",
    "OutgoingEmail",
    "Startup",
    "Submission",
]
