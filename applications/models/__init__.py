from .applications import Answer, Application, ApplicationEvent, Extension, Submission
from .conflicts import NamedConflict
from .startups import Invitation, Membership, Startup

__all__ = [
    "Answer",
    "Application",
    "ApplicationEvent",
    "Extension",
    "Invitation",
    "Membership",
    "NamedConflict",
    "Startup",
    "Submission",
]
