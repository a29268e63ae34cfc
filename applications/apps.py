from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from . import (
            demo,  # noqa: F401 (connects the demo founder to load_station_f --demo)
            signals,  # noqa: F401 (staff search follows names and emails)
        )
