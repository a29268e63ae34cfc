from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Pages that gather several apps (the staff home, a cohort's hub); no models."""

    name = "dashboards"
    verbose_name = _("Dashboards")
