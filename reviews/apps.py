from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from applications.registries import conflicted_with
        from cohorts.registries import outbox_hidden, reviewed_cohorts, rubric_locks

        from . import (
            demo,  # noqa: F401 (reviewers and reviews for load_station_f --demo)
            receivers,  # noqa: F401 (a withdrawn application's assignments end)
        )
        from .selectors import (
            cohorts_reviewed_by,
            confirmed_conflicts_of,
            outbox_hidden_for,
            rubric_lock_reason,
        )

        reviewed_cohorts.register(cohorts_reviewed_by)
        rubric_locks.register(rubric_lock_reason)
        conflicted_with.register(confirmed_conflicts_of)
        outbox_hidden.register(outbox_hidden_for)
