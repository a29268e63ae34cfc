from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Programs and cohorts")

    def ready(self) -> None:
        from notifications.access import outbox_reach_register

        from .selectors import outbox_reach_of

        outbox_reach_register(outbox_reach_of)
