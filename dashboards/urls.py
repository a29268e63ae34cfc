from django.urls import path

from . import reminders, views

# Under /staff/, in the "staff" namespace (accelerator/urls.py gathers every app's).
staff_urlpatterns = [
    path("", views.staff_home, name="home"),
    path("cohorts/<int:cohort_id>/", views.cohort_hub, name="cohort"),
    path(
        "cohorts/<int:cohort_id>/reminders/",
        reminders.cohort_reminders,
        name="cohort_reminders",
    ),
    path("cohorts/<int:cohort_id>/message/", reminders.cohort_message, name="cohort_message"),
]
