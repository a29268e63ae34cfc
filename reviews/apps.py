from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from accounts.personal_data import personal_data_register
        from applications.registries import conflicted_with
        from cohorts.registries import outbox_hidden, reviewed_cohorts, rubric_locks
        from notifications.models import EmailKind
        from notifications.reminders import reminder_kind_register

        from . import (
            demo,  # noqa: F401 (reviewers and reviews for load_station_f --demo)
            receivers,  # noqa: F401 (a withdrawn application's assignments end)
        )
        from .personal_data import reviewer_data_export
        from .reminders import review_reminder_still_due, review_reminders_sweep
        from .selectors import (
            cohorts_reviewed_by,
            confirmed_conflicts_of,
            outbox_hidden_for,
            rubric_lock_reason,
        )
        from .services import reviewer_data_delete

        personal_data_register("reviews", export=reviewer_data_export, delete=reviewer_data_delete)

        reviewed_cohorts.register(cohorts_reviewed_by)
        rubric_locks.register(rubric_lock_reason)
        conflicted_with.register(confirmed_conflicts_of)
        outbox_hidden.register(outbox_hidden_for)
        reminder_kind_register(
            EmailKind.REVIEW_REMINDER,
            sweep=review_reminders_sweep,
            still_due=review_reminder_still_due,
        )
