from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from accounts.personal_data import personal_data_register
        from notifications.models import EmailKind
        from notifications.reminders import reminder_kind_register

        from . import (
            demo,  # noqa: F401 (connects the demo founder to load_station_f --demo)
            receivers,  # noqa: F401 (staff search follows names and emails)
        )
        from .personal_data import applicant_data_export
        from .reminders import deadline_reminder_still_due, deadline_reminders_sweep
        from .services import applicant_data_delete

        personal_data_register(
            "applications", export=applicant_data_export, delete=applicant_data_delete
        )
        reminder_kind_register(
            EmailKind.DEADLINE_REMINDER,
            sweep=deadline_reminders_sweep,
            still_due=deadline_reminder_still_due,
        )
