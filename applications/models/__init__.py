from .applications import Answer, Application, ApplicationEvent, Extension, Submission
from .conflicts import NamedConflict
from .startups import Invitation, Membership, Startup, StartupPastName

__all__ = [
    "Answer",
    "Application",
    "ApplicationEvent",
    "Extension",
    "Invitation",
    "Membership",
    "NamedConflict",
    "Startup",
    "StartupPastName",
    "Submission",
]
