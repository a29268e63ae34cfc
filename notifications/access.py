"""Who may read which emails on the staff outbox page. The outbox sits below the domain and
knows a cohort only by its id; the app that knows who manages which cohort (cohorts) registers
the answer here in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OutboxReach:
    """The emails a member of staff may read: every one (superusers), or those about the
    cohorts named here, by id, with their names for display."""

    sees_all: bool
    cohort_names: dict[int, str]
    # Emails about applications the reader is in conflict with (a Q on OutgoingEmail), which
    # they never read: another manager does.
    hidden: object = None


_reach_provider: Callable[[object], OutboxReach | None] | None = None


def outbox_reach_register(provider: Callable[[object], OutboxReach | None]) -> None:
    """`provider(user)` returns the user's reach, or None when the user is not staff."""
    global _reach_provider
    _reach_provider = provider


def outbox_reach(user) -> OutboxReach | None:
    if _reach_provider is None:
        # Nobody told the outbox who manages what: only superusers, who see everything.
        is_superuser = user.is_authenticated and user.is_active and user.is_superuser
        return OutboxReach(sees_all=True, cohort_names={}) if is_superuser else None
    return _reach_provider(user)
