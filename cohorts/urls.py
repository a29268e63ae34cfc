from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("partners/<slug:slug>/", views.partner_detail, name="partner_detail"),
    path("partners/<slug:slug>/logo", views.partner_logo, name="partner_logo"),
    path("programs/<slug:program_slug>/<slug:slug>/", views.cohort_detail, name="cohort_detail"),
    path(
        "programs/<slug:program_slug>/<slug:slug>/calendar.ics",
        views.cohort_ics,
        name="cohort_calendar",
    ),
]
