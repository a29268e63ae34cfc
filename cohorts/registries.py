"""What upper apps tell cohorts, filled in their AppConfig.ready(): cohorts never imports them."""

from collections.abc import Callable


class Registry:
    """One function an upper app provides, and the answer when none is registered."""

    def __init__(self, default):
        self.default = default
        self.function: Callable | None = None

    def register(self, function: Callable) -> None:
        self.function = function

    def __call__(self, *args, **kwargs):
        return self.default if self.function is None else self.function(*args, **kwargs)


# user → ids of the cohorts whose applications they review (an accepted reviewer role).
reviewed_cohorts = Registry(default=frozenset())
# cohort → why its rubric can no longer change ("" when it can).
rubric_locks = Registry(default="")
# user → the outbox emails they must not read (a Q on OutgoingEmail, or None): those about
# applications they are in conflict with.
outbox_hidden = Registry(default=None)
# cohort → the SHA-256 of its published decision record, or "" (shown on its public page).
decision_record_hash = Registry(default="")

# cohort id → how many winners it holds, pending or published (a freed place not counted):
# its capacity cannot go below.
winners_chosen = Registry(default=0)
