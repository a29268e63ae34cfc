from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from cohorts.registries import reviewed_cohorts, rubric_locks

        from . import (
            demo,  # noqa: F401 (reviewers and reviews for load_station_f --demo)
            receivers,  # noqa: F401 (a withdrawn application's assignments end)
        )
        from .selectors import cohorts_reviewed_by, rubric_lock_reason

        reviewed_cohorts.register(cohorts_reviewed_by)
        rubric_locks.register(rubric_lock_reason)
