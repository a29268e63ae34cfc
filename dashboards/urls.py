from django.urls import path

from . import views

# Under /staff/, in the "staff" namespace (accelerator/urls.py gathers every app's).
staff_urlpatterns = [
    path("", views.staff_home, name="home"),
    path("cohorts/<int:cohort_id>/", views.cohort_hub, name="cohort"),
]
