from django.urls import path, re_path

from . import views

# Under /staff/, in the "staff" namespace (accelerator/urls.py gathers every app's).
staff_urlpatterns = [
    path("cohorts/<int:cohort_id>/ranking/", views.ranking, name="ranking"),
    path(
        "cohorts/<int:cohort_id>/ranking/recompute/",
        views.ranking_recompute,
        name="ranking_recompute",
    ),
    path(
        "cohorts/<int:cohort_id>/ranking/threshold/",
        views.ranking_threshold,
        name="ranking_threshold",
    ),
    path(
        "cohorts/<int:cohort_id>/ranking/request-reviews/",
        views.ranking_request_reviews,
        name="ranking_request_reviews",
    ),
    path("cohorts/<int:cohort_id>/ranking/leniency/", views.leniency, name="ranking_leniency"),
    path("cohorts/<int:cohort_id>/ranking/method/", views.method, name="ranking_method"),
    re_path(
        r"^cohorts/(?P<cohort_id>[0-9]+)/ranking\.(?P<file_format>xlsx|csv)$",
        views.ranking_export,
        name="ranking_export",
    ),
    path("cohorts/<int:cohort_id>/reviews.csv", views.reviews_export, name="reviews_export"),
]
