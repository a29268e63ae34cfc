from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("Selection")

    def ready(self) -> None:
        from accounts.personal_data import personal_data_register
        from applications.registries import applicant_stages
        from cohorts.registries import decision_record_hash, winners_chosen
        from notifications.models import EmailKind
        from notifications.reminders import reminder_kind_register

        from . import (
            demo,  # noqa: F401 (the demo cohort in review is ranked once its reviews are in)
            receivers,  # noqa: F401 (reviews and withdrawals ask for a new fit)
        )
        from .decisions import winners_chosen as decisions_winners_chosen
        from .interview_selectors import invited_stages, panelist_data_export
        from .interviews import panelist_data_delete
        from .offer_reminders import offer_reminder_still_due, offer_reminders_sweep
        from .reminders import interview_reminder_still_due, interview_reminders_sweep
        from .selectors import published_record_hash

        applicant_stages.register(invited_stages)
        personal_data_register(
            "interviews", export=panelist_data_export, delete=panelist_data_delete
        )
        decision_record_hash.register(published_record_hash)
        winners_chosen.register(decisions_winners_chosen)
        reminder_kind_register(
            EmailKind.INTERVIEW_REMINDER,
            sweep=interview_reminders_sweep,
            still_due=interview_reminder_still_due,
        )
        reminder_kind_register(
            EmailKind.OFFER_REMINDER,
            sweep=offer_reminders_sweep,
            still_due=offer_reminder_still_due,
        )
